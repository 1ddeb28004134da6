"""The visitor's compare list: up to MAX_COMPARED therapist slugs kept in the session.

Works the same for guests and signed-in visitors and needs no JavaScript: forms post to
the compare views, which change the list here and redirect back.  The session cookie is
signed, but its value is still checked on every read, so a list written by an older
version of the site cannot break a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import session, url_for

from directory.public.compare import MAX_COMPARED, MAX_SLUG_LENGTH

SESSION_KEY = "compare"


class Added(StrEnum):
    ADDED = "added"
    ALREADY = "already"
    FULL = "full"


@dataclass(frozen=True)
class CompareTray:
    slugs: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.slugs)

    @property
    def is_full(self) -> bool:
        return len(self.slugs) >= MAX_COMPARED

    @property
    def url(self) -> str:
        """The compare page for this list."""
        return url_for("compare.page", t=list(self.slugs))

    def __contains__(self, slug: object) -> bool:
        return slug in self.slugs


def current_tray() -> CompareTray:
    """The list as the session holds it (malformed entries ignored, at most MAX_COMPARED)."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, list):
        return CompareTray(())
    slugs: list[str] = []
    for slug in stored:
        if isinstance(slug, str) and 0 < len(slug) <= MAX_SLUG_LENGTH and slug not in slugs:
            slugs.append(slug)
    return CompareTray(tuple(slugs[:MAX_COMPARED]))


def _store(slugs: list[str]) -> None:
    if slugs:
        session[SESSION_KEY] = slugs
    else:
        session.pop(SESSION_KEY, None)


def add(slug: str) -> Added:
    """Put a therapist on the list; a full list is left as it is (Added.FULL)."""
    tray = current_tray()
    if slug in tray:
        return Added.ALREADY
    if tray.is_full:
        return Added.FULL
    _store([*tray.slugs, slug])
    return Added.ADDED


def remove(slug: str) -> bool:
    """Take a therapist off the list; False if it was not on it."""
    tray = current_tray()
    if slug not in tray:
        return False
    _store([s for s in tray.slugs if s != slug])
    return True


def clear() -> None:
    _store([])
