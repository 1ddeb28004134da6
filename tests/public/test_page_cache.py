"""Shared pages: every visitor gets the page stored in Redis, with their own header,
messages, compare controls and CSRF token, until what it shows changes."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
import sqlalchemy as sa
from flask import request

from directory.clinics.hours import set_week
from directory.clinics.opening_hours import TimeRange
from directory.extensions import db
from directory.public import contact, page_cache, shared_store, visitor_parts
from directory.reviews.responses import post_reply
from directory.search.reindex import rebuild_all
from directory.taxonomy.models import Modality
from directory.therapists import services as therapists
from tests.factories import PASSWORD, create_clinic, create_review, create_therapist, create_user
from tests.support import statements

PROFILE = "/therapists/john-wintertime"
TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


@pytest.fixture
def client(redis_app):
    return redis_app.test_client()


def john():
    therapist = create_therapist(create_clinic(), "John Wintertime", slug="john-wintertime")
    db.session.commit()
    return therapist


def visit(client, path: str = PROFILE) -> tuple[str, int]:
    """The page's text and how many SQL statements answering it took."""
    # Requests here share the test's session; end its transaction, as the end of a
    # production request would, so that the request does not re-scope it.
    db.session.commit()
    with statements() as seen:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True), len(seen)


def without_tokens(page: str) -> str:
    return TOKEN.sub("", page)


def test_a_second_visitor_gets_the_stored_profile_with_a_token_of_their_own(client, redis_app):
    john()
    first, first_queries = visit(client)
    second_client = redis_app.test_client()
    second, second_queries = visit(second_client)

    assert first_queries > 0
    assert second_queries == 0  # no query at all: the page and the view count are in Redis
    assert without_tokens(second) == without_tokens(first)
    first_tokens, second_tokens = set(TOKEN.findall(first)), set(TOKEN.findall(second))
    assert len(first_tokens) == len(second_tokens) == 1
    assert first_tokens != second_tokens
    assert visitor_parts.CSRF_MARKER not in second
    with second_client.session_transaction() as session:
        assert session.get("csrf_token")  # the token in the page is this visitor's


def test_each_sort_and_page_is_a_page_of_its_own(client):
    therapist = john()
    create_review(therapist, title="Fixed my neck")
    db.session.commit()
    newest, _ = visit(client)
    helpful, _ = visit(client, PROFILE + "?sort=helpful")
    assert "Fixed my neck" in newest and "Fixed my neck" in helpful
    _, queries = visit(client, PROFILE + "?sort=helpful")
    assert queries == 0
    assert client.get(PROFILE + "?sort=nonsense").status_code == 400  # never stored


def test_unpublishing_a_therapist_takes_their_stored_page_away(client):
    therapist = john()
    visit(client)
    therapists.unpublish(therapist)
    db.session.commit()
    assert client.get(PROFILE).status_code == 404


def test_a_published_reply_shows_at_once(client):
    therapist = john()
    review = create_review(therapist, title="Fixed my neck")
    db.session.commit()
    visit(client)
    post_reply(review, create_user(), "Thank you for coming to see us.", confirmed=False)
    db.session.commit()
    page, queries = visit(client)
    assert queries > 0
    assert "Thank you for coming to see us." in page


def test_a_helpful_vote_shows_at_once(client, redis_app):
    therapist = john()
    review = create_review(therapist, title="Fixed my neck")
    db.session.commit()
    visit(client)
    _, queries = visit(client)
    assert queries == 0  # stored
    voter = redis_app.test_client()
    assert voter.post(f"/reviews/{review.id}/helpful").status_code == 302
    page, queries = visit(client)
    assert queries > 0
    assert "1 person found this helpful" in page


def test_a_rolled_back_change_keeps_the_stored_page(client):
    therapist = john()
    visit(client)
    therapists.unpublish(therapist)
    db.session.rollback()
    _, queries = visit(client)
    assert queries == 0


def sign_in(redis_app, name: str):
    user = create_user(display_name=name)
    db.session.commit()
    member = redis_app.test_client()
    member.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    member.get("/")  # where the "signed in" message is shown
    return member


def test_a_signed_in_visitor_gets_the_stored_page_with_their_own_header(client, redis_app):
    john()
    shared, _ = visit(client)  # stored by a signed-out visitor
    member = sign_in(redis_app, "Sam Signedin")

    db.session.commit()
    with statements() as seen:
        page = member.get(PROFILE).get_data(as_text=True)
    # Who they are is looked up; the page itself is the stored one.
    assert seen and not [s for s in seen if "therapist" in s or "review" in s]
    assert "Sam Signedin" in page and "Sign out" in page and "Sign in</a>" not in page
    outside_header = without_tokens(page.replace(header(page), ""))
    assert outside_header == without_tokens(shared.replace(header(shared), ""))


def test_a_page_stored_from_a_signed_in_visit_shows_nothing_of_theirs_to_others(client, redis_app):
    john()
    member = sign_in(redis_app, "Sam Signedin")
    member.post("/compare/add", data={"slug": "john-wintertime"})
    page, queries = visit(member)  # rendered for this visit, and stored
    assert queries > 1
    assert "Sam Signedin" in page and "Remove from compare" in page

    page, queries = visit(redis_app.test_client())
    assert queries == 0
    assert "Sam Signedin" not in page and "Sign out" not in page
    assert "Add to compare" in page and "Remove from compare" not in page
    assert "is on your compare list" not in page


def test_a_visitor_comparing_therapists_gets_the_stored_page_with_their_own_controls(client):
    therapist = john()
    create_therapist(therapist.clinic, "Ann Other", slug="ann-other")
    db.session.commit()
    visit(client, PROFILE)

    client.post("/compare/add", data={"slug": "john-wintertime", "next": PROFILE})
    page, queries = visit(client)  # after the redirect back: the stored page, and the message
    assert queries == 0
    assert "John Wintertime is on your compare list. Add one more to compare." in page
    assert "Remove from compare" in page
    assert re.search(r'<li data-compare-tray>\s*<a href="/compare\?t=john-wintertime"', page)

    page, queries = visit(client)
    assert queries == 0
    assert "is on your compare list" not in page  # a message is shown once
    assert "Remove from compare" in page

    page, _ = visit(client, "/therapists/ann-other")
    assert "Add to compare" in page and "Remove from compare" not in page


def header(page: str) -> str:
    return re.search(r"<header class=\"site-header.*?</header>", page, re.S).group(0)


def test_search_pages_are_shared_until_the_index_changes(client):
    clinic = create_clinic("Lakeside Massage")
    swedish = db.session.scalar(sa.select(Modality.id).where(Modality.slug == "swedish"))

    def add(name: str) -> None:
        therapist = therapists.create_therapist(
            clinic, therapists.TherapistProfile(name=name, modality_ids=[swedish])
        )
        therapists.publish(therapist)
        db.session.commit()  # the (eager) worker rebuilds the document after this

    add("Ana Reyes")
    visit(client, "/therapists?specialty=swedish")
    again, queries = visit(client, "/therapists?specialty=swedish")
    assert queries == 0
    assert "Ana Reyes" in again and "Ben Ortiz" not in again

    add("Ben Ortiz")
    page, queries = visit(client, "/therapists?specialty=swedish")
    assert queries > 0
    assert "Ana Reyes" in page and "Ben Ortiz" in page


def test_a_page_rendered_while_its_subject_changed_is_never_served(redis_app):
    def render_then_change(text: str):
        def render() -> str:
            # A commit lands while this request was still rendering the older data.
            shared_store.forget("subject")
            return text

        return render

    with redis_app.test_request_context("/anything"):
        assert page_cache.serve("subject", render_then_change("older"), {}) == "older"
    with redis_app.test_request_context("/anything"):
        assert request.path == "/anything"
        assert page_cache.serve("subject", lambda: "newer", {}) == "newer"
    with redis_app.test_request_context("/anything"):
        assert page_cache.serve("subject", lambda: "not rendered", {}) == "newer"


def test_pages_still_render_when_redis_is_down(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0", SHARED_PAGE_SECONDS=300)
    with app.app_context():
        john()
        assert app.test_client().get(PROFILE).status_code == 200
        assert app.test_client().get("/therapists?q=john").status_code == 200


def test_the_token_in_a_stored_page_is_accepted_from_the_visitor_it_was_served_to(
    make_redis_app,
):
    app = make_redis_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        john()
        app.test_client().get(PROFILE)  # rendered and stored
        visitor = app.test_client()
        page, queries = visit(visitor)
        assert queries == 0
        token = TOKEN.search(page).group(1)
        refused = visitor.post("/compare/add", data={"slug": "john-wintertime"})
        assert refused.status_code == 400  # no token, no change
        added = visitor.post(
            "/compare/add", data={"slug": "john-wintertime", "csrf_token": token, "next": PROFILE}
        )
        assert added.status_code == 303
        assert "Remove from compare" in visitor.get(PROFILE).get_data(as_text=True)


def test_tracking_parameters_and_spelt_out_defaults_share_one_stored_page(client):
    john()
    visit(client, PROFILE + "?utm_source=newsletter")
    for path in (
        PROFILE,
        PROFILE + "?utm_source=other&fbclid=x",
        PROFILE + "?sort=newest&page=1",
        PROFILE + "?page=&sort=newest&gclid=y",
    ):
        _, queries = visit(client, path)
        assert queries == 0, path
    _, queries = visit(client, PROFILE + "?sort=helpful&utm_source=a")
    assert queries > 0  # a known parameter with another value is another page


def test_search_pages_share_one_entry_whatever_order_or_tracking_their_parameters_have(client):
    therapist = john()
    therapists.publish(therapist)
    db.session.commit()
    visit(client, "/therapists?specialty=swedish&sort=rating&utm_campaign=spring")
    _, queries = visit(client, "/therapists?sort=rating&ref=abc&specialty=swedish&page=1")
    assert queries == 0


def test_a_renamed_clinic_shows_on_its_therapists_stored_profiles_at_once(client):
    therapist = john()
    visit(client)
    therapist.clinic.name = "Bang Rak Renamed"
    db.session.commit()
    page, queries = visit(client)
    assert queries > 0
    assert "Bang Rak Renamed" in page


def test_a_change_of_a_therapists_row_in_a_rolled_back_savepoint_keeps_the_page(client):
    therapist = john()
    visit(client)
    with db.session.begin_nested() as savepoint:
        therapist.bio = "Changed, then undone."
        db.session.flush()
        savepoint.rollback()
    db.session.commit()
    _, queries = visit(client)
    assert queries == 0


def test_a_full_reindex_makes_the_stored_search_pages_stale(client):
    create_therapist(create_clinic(), "Ana Reyes")  # listed, but no document yet
    db.session.commit()
    first, _ = visit(client, "/therapists?q=reyes")
    _, queries = visit(client, "/therapists?q=reyes")
    assert queries == 0 and "Ana Reyes" not in first
    rebuild_all()  # builds her document on its own connection, outside the session
    page, queries = visit(client, "/therapists?q=reyes")
    assert queries > 0
    assert "Ana Reyes" in page


def test_a_page_stored_for_one_locale_is_never_served_to_a_reader_of_another(client):
    therapist = john()
    create_review(therapist, visit_month=date(2026, 3, 1))
    db.session.commit()

    def visit_in(language: str) -> tuple[str, int]:
        db.session.commit()
        with statements() as seen:
            response = client.get(PROFILE, headers={"Accept-Language": language})
        return response.get_data(as_text=True), len(seen)

    german, _ = visit_in("de-DE")
    english, english_queries = visit_in("en-US")
    german_again, german_again_queries = visit_in("de-AT,de;q=0.9")

    assert "visited März 2026" in german and "visited March 2026" in english
    assert english_queries > 0  # rendered for English, not the stored German page
    assert "visited März 2026" in german_again
    assert german_again_queries == 0  # the German page, stored for every German reader


def test_changed_opening_hours_show_on_stored_profiles_at_once(client):
    therapist = john()
    visit(client)
    nine_to_five = (TimeRange(time(9), time(17)),)
    set_week(therapist.clinic, (nine_to_five,) * 5 + ((), ()))
    db.session.commit()
    page, queries = visit(client)
    assert queries > 0
    assert "9:00\u201317:00" in page
    set_week(therapist.clinic, ((),) * 7)  # every row removed, none added
    db.session.commit()
    page, queries = visit(client)
    assert queries > 0
    assert "9:00\u201317:00" not in page


def test_a_stored_profile_serves_one_clock_window_so_open_now_stays_true(client, monkeypatch):
    john()
    monkeypatch.setattr(contact, "clock_window", lambda: "clock:1")
    visit(client)
    _, queries = visit(client)
    assert queries == 0
    monkeypatch.setattr(contact, "clock_window", lambda: "clock:2")
    _, queries = visit(client)
    assert queries > 0  # rendered again: its status is worked out anew
    assert contact.CLOCK_WINDOW_SECONDS == 300
    monkeypatch.undo()
    assert contact.clock_window(599.0) == "clock:1"
    assert contact.clock_window(600.0) == "clock:2"
