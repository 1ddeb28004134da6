"""Hostile text in every review field and in the clinic's reply renders inert."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.extensions import db
from directory.reviews import ratings
from directory.reviews.models import ClinicReply, ReplyState, Review
from directory.therapists.queries import listed_therapist
from tests.factories import create_clinic, create_review, create_therapist

PAYLOADS = [
    "<script>alert(1)</script>",
    "</p><script src=//evil.example/x.js></script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<!-- --><style>*{display:none}</style>",
    "{{ config }}{% raw %}",
    "&lt;script&gt;&#x3C;script&#x3E;",
    "\u202e<b>bold</b>\u0000\ufeff",
    "<body onload=alert(1)>",
    "javascript:alert(document.cookie)",
]

# Any unicode PostgreSQL can store (no NUL, no lone surrogates).
SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)
HOSTILE = st.one_of(
    st.sampled_from(PAYLOADS),
    st.builds(lambda a, p, b: a + p + b, SAFE_TEXT, st.sampled_from(PAYLOADS), SAFE_TEXT),
).map(lambda text: text.replace("\x00", ""))


class Elements(HTMLParser):
    """The tags, attributes and scripts of a page, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def elements_of(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert(page: Elements, baseline: Elements) -> None:
    assert page.tags == baseline.tags, "hostile text created or removed elements"
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), (tag, name, value)
        if name in {"href", "src", "action", "formaction"}:
            assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
        if tag == "script":
            assert name != "src" or value.startswith("/static/"), value


def show(therapist, *, title: str, body: str, name: str, reply: str, client) -> str:
    review = create_review(therapist, title=title[:120], body=body, reviewer_name=name[:80])
    db.session.add(
        ClinicReply(
            clinic_id=review.clinic_id,
            review_id=review.id,
            body=reply,
            state=ReplyState.PUBLISHED,
        )
    )
    ratings.recompute(therapist.id)
    db.session.commit()
    try:
        response = client.get(f"/therapists/{therapist.slug}")
        assert response.status_code == 200
        return response.get_data(as_text=True)
    finally:
        db.session.execute(sa.delete(ClinicReply))
        db.session.execute(sa.delete(Review))
        ratings.recompute(therapist.id)
        db.session.commit()


def the_therapist():
    """One therapist for all examples of a test (the database resets between tests only)."""
    therapist = listed_therapist("john-wintertime")
    if therapist is None:
        therapist = create_therapist(create_clinic(), "John Wintertime", slug="john-wintertime")
        db.session.commit()
    return therapist


BENIGN = {"title": "A title", "body": "A body", "name": "Robin Client", "reply": "Thanks"}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=HOSTILE, body=HOSTILE, name=HOSTILE, reply=HOSTILE)
def test_hostile_review_text_renders_inert_on_the_profile(client, title, body, name, reply):
    therapist = the_therapist()
    baseline = elements_of(show(therapist, **BENIGN, client=client))
    page = show(therapist, title=title, body=body, name=name, reply=reply, client=client)
    assert_inert(elements_of(page), baseline)
    assert "<script>alert" not in page


def test_the_check_itself_catches_an_injected_element():
    baseline = elements_of("<p>fine</p>")
    hostile = elements_of('<p>fine</p><img src=x onerror="alert(1)">')
    try:
        assert_inert(hostile, baseline)
    except AssertionError:
        return
    raise AssertionError("assert_inert let an injected element through")
