"""The parts of a page that are the visitor's own, cut out so that the rest can be shared.

Three things on a public page differ between visitors besides the CSRF token of its
forms: the header's account links and compare link, the messages waiting to be shown,
and the state of each "add to compare" control.  Templates write each of them as
`visitor_part(kind, ...)`.  Rendered for one visitor, that is simply the visitor's part.
Rendered to be shared (`render_shared`), it is a hole: a marker in the page, with the
part as the *default visitor* sees it (signed out, nothing on their compare list, no
message waiting) kept beside it.  `SharedPage.for_visitor()` then gives any visitor the
page: the default part wherever theirs is the same, their own where it is not.

While a shared page renders, its templates see the default visitor everywhere (a
signed-out `current_user`, no flashed messages), so a template that shows something
personal outside a part shows the signed-out version, never one visitor's to another.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from flask import (
    Flask,
    g,
    get_flashed_messages,
    get_template_attribute,
    request,
    session,
    url_for,
)
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from directory.public.compare_tray import CompareTray, current_tray
from directory.public.visitor_accounts import current_account

MACROS = "_macros/visitor.html"
COMPARE_MACROS = "_macros/compare.html"
CSRF_MARKER = "\x00csrf-token\x00"  # no page holds a NUL: every input refuses one
_HOLE = re.compile("\x00([0-9]+)\x00")
_HOLES = "visitor_parts_holes"  # on g: the holes of the shared page being rendered
_CONTROLS = "visitor_parts_compare_controls"  # on g: per `next`, made once a request
_VISITOR = "visitor_parts_visitor"  # on g: this request's Visitor


class Visitor:
    """Who a page is for.  Each fact is looked up when a part first needs it (a search
    page's twenty compare controls need only the compare list)."""

    def __init__(self, **known: Any):
        self.__dict__.update(known)  # facts given here are never looked up

    @cached_property
    def user(self) -> Any:
        # A header needs only a snapshot of the account (visitor_accounts), not the row.
        return current_account()

    @cached_property
    def tray(self) -> CompareTray:
        return current_tray()

    @cached_property
    def has_messages(self) -> bool:
        return bool(session.get("_flashes"))

    @property
    def is_default(self) -> bool:
        return not (self.user.is_authenticated or self.tray.count or self.has_messages)

    def messages(self) -> list[tuple[str, str]]:
        """The messages waiting for this visitor (shown once: reading them clears them)."""
        return get_flashed_messages(with_categories=True) if self.has_messages else []


DEFAULT_VISITOR = Visitor(user=AnonymousUserMixin(), tray=CompareTray(()), has_messages=False)


def current_visitor() -> Visitor:
    """The visitor a part is rendered for: one per request, so the twenty compare controls
    of a search page read the session's compare list once."""
    if g.get(_HOLES) is not None:
        return DEFAULT_VISITOR
    visitor = g.get(_VISITOR)
    if visitor is None:
        visitor = g.setdefault(_VISITOR, Visitor())
    return visitor


@dataclass(frozen=True)
class CompareControls:
    """What every "add to compare" form of a page shares, worked out once per page (a
    search page shows twenty)."""

    csrf_token: str
    next: str
    add_url: str
    remove_url: str
    _stamps: dict[bool, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def form(self, slug: str, name: str, chosen: bool) -> str:
        """One therapist's form.  The macro runs once per page and state, with markers
        where the slug and name go; each form then only puts its own in."""
        stamp = self._stamps.get(chosen)
        if stamp is None:
            form = _macro("compare_toggle_form", COMPARE_MACROS)
            stamp = _MARKS.split(str(form(_SLUG_MARK, _NAME_MARK, chosen, self)))
            self._stamps[chosen] = stamp
        values = {_SLUG_MARK: escape(slug), _NAME_MARK: escape(name)}
        # Texts sit at the even places of the split, markers at the odd ones.
        return "".join(piece if i % 2 == 0 else values[piece] for i, piece in enumerate(stamp))


# No input holds a NUL (core.input_guard), so nothing else in a form can read as these.
_SLUG_MARK, _NAME_MARK = "\x00compare-slug\x00", "\x00compare-name\x00"
_MARKS = re.compile(f"({_SLUG_MARK}|{_NAME_MARK})")


def compare_controls(next: str) -> CompareControls:
    known = g.setdefault(_CONTROLS, {})  # emptied at the end of every request
    if next not in known:
        known[next] = CompareControls(
            csrf_token=generate_csrf(),
            next=next,
            add_url=url_for("compare.add"),
            remove_url=url_for("compare.remove"),
        )
    return known[next]


class _Part(NamedTuple):
    render: Callable[..., str]  # (visitor, *args) -> HTML
    differs: Callable[..., bool]  # (visitor, *args) -> whether it is not the default's


def _macro(name: str, template: str = MACROS) -> Callable[..., str]:
    return get_template_attribute(template, name)


_PARTS: dict[str, _Part] = {
    "account": _Part(
        render=lambda visitor: _macro("account")(visitor.user, visitor.tray),
        differs=lambda visitor: bool(visitor.user.is_authenticated or visitor.tray.count),
    ),
    "messages": _Part(
        render=lambda visitor: _macro("messages")(visitor.messages()),
        differs=lambda visitor: visitor.has_messages,
    ),
    "compare_toggle": _Part(
        render=lambda visitor, slug, name, next: compare_controls(next).form(
            slug, name, slug in visitor.tray
        ),
        differs=lambda visitor, slug, name, next: slug in visitor.tray,
    ),
}


def part(kind: str, *args: str) -> Markup:
    """The template global `visitor_part`: this visitor's part, or, while a shared page
    renders, a hole in its place."""
    holes: list | None = g.get(_HOLES)
    if holes is None:
        return Markup(_PARTS[kind].render(current_visitor(), *args))
    holes.append([kind, list(args), str(_PARTS[kind].render(DEFAULT_VISITOR, *args))])
    return Markup(f"\x00{len(holes) - 1}\x00")


def this_page() -> str:
    """Where a form on this page sends the visitor back to."""
    return request.full_path.rstrip("?")


@dataclass(frozen=True)
class SharedPage:
    """A page as the default visitor sees it, CSRF tokens marked, and where its holes are.

    Stored as one line of JSON (the holes) and the page itself, so that serving the
    default visitor only decodes the page and puts their token in.
    """

    page: str
    holes_json: bytes  # [[kind, args, start, end], ...]: the default part is page[start:end]

    @cached_property
    def holes(self) -> list[list]:
        return json.loads(self.holes_json)

    def for_visitor(self) -> str:
        """The page for this request's visitor, with their own parts and CSRF token."""
        visitor = current_visitor()
        page = self.page if visitor.is_default else self._with_parts_of(visitor)
        return page.replace(CSRF_MARKER, generate_csrf()) if CSRF_MARKER in page else page

    def _with_parts_of(self, visitor: Visitor) -> str:
        pieces, done = [], 0
        for kind, args, start, end in self.holes:
            part = _PARTS[kind]
            if part.differs(visitor, *args):
                pieces += [self.page[done:start], part.render(visitor, *args)]
                done = end
        return "".join([*pieces, self.page[done:]])

    def dumps(self) -> bytes:
        return self.holes_json + b"\n" + self.page.encode()

    @classmethod
    def loads(cls, data: bytes) -> SharedPage:
        holes_json, _, page = data.partition(b"\n")
        return cls(page.decode(), holes_json)


def render_shared(render: Callable[[], str]) -> SharedPage | None:
    """render() as the default visitor with every part a hole, or None when its text
    cannot be told from the holes (a NUL no input lets in)."""
    holes: list[list] = []
    setattr(g, _HOLES, holes)
    try:
        page = render()
    finally:
        g.pop(_HOLES, None)
    pieces = _HOLE.split(page)
    texts, numbers = pieces[::2], pieces[1::2]
    defaults = [default for *_, default in holes]
    if numbers != [str(n) for n in range(len(holes))] or any("\x00" in t for t in texts + defaults):
        return None
    has_forms = "csrf_token" in page or any("csrf_token" in default for default in defaults)
    token = generate_csrf() if has_forms else None

    def marked(html: str) -> str:
        return html.replace(token, CSRF_MARKER) if token else html

    assembled, places = [marked(texts[0])], []
    length = len(assembled[0])
    for (kind, args, default), text in zip(holes, texts[1:], strict=True):
        default, text = marked(default), marked(text)
        places.append([kind, args, length, length + len(default)])
        assembled += [default, text]
        length += len(default) + len(text)
    holes_json = json.dumps(places, separators=(",", ":")).encode()
    return SharedPage("".join(assembled), holes_json)


def _default_visitor_context() -> dict[str, Any]:
    if g.get(_HOLES) is None:
        return {}
    return {"current_user": DEFAULT_VISITOR.user, "get_flashed_messages": _no_messages}


def _no_messages(*args, **kwargs) -> list:
    return []


def init_app(app: Flask) -> None:
    # After Flask-Login's, so that it overrides current_user while a shared page renders.
    app.context_processor(_default_visitor_context)
    app.add_template_global(part, "visitor_part")
    app.add_template_global(this_page)
    app.teardown_request(_forget_controls)


def _forget_controls(error: BaseException | None) -> None:
    # A test's requests share its app context's g; no request sees another's token.
    g.pop(_CONTROLS, None)
    g.pop(_VISITOR, None)
