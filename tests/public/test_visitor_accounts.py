"""A signed-in visitor's header on stored pages comes from a snapshot of their account,
kept current by every commit that changes the user row."""

from __future__ import annotations

import pytest

from directory.accounts.models import PlatformRole
from directory.extensions import db
from directory.public.visitor_accounts import AccountSnapshot
from tests.factories import PASSWORD, create_user
from tests.public.test_page_cache import PROFILE, john, visit


@pytest.fixture
def member(redis_app):
    """A signed-in visitor, and their user row."""
    john()
    visit(redis_app.test_client())  # the profile, stored by a signed-out visitor
    user = create_user(display_name="Sam Signedin")
    db.session.commit()
    client = redis_app.test_client()
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    visit(client, "/")  # where the "signed in" message is shown
    return client, user


def test_a_signed_in_visitor_is_shown_from_the_snapshot_without_a_query(member):
    client, _ = member
    page, queries = visit(client)
    assert "Sam Signedin" in page and "Sign out" in page
    page, queries = visit(client)
    assert queries == 0  # neither the page nor who they are
    assert "Sam Signedin" in page and "Sign out" in page and "Sign in</a>" not in page


def test_a_new_name_shows_on_the_next_page(member):
    client, user = member
    visit(client)
    user.display_name = "Sam Renamed"
    db.session.commit()
    page, queries = visit(client)
    assert queries > 0
    assert "Sam Renamed" in page and "Sam Signedin" not in page


def test_a_deactivated_account_is_signed_out_at_once(member):
    client, user = member
    visit(client)
    user.is_active = False
    db.session.commit()
    page, _ = visit(client)
    assert "Sam Signedin" not in page and "Sign in</a>" in page
    page, _ = visit(client)
    assert "Sam Signedin" not in page and "Sign in</a>" in page


def test_a_deleted_account_is_signed_out_at_once(member):
    client, user = member
    visit(client)
    db.session.delete(user)
    db.session.commit()
    page, _ = visit(client)
    assert "Sam Signedin" not in page and "Sign in</a>" in page


def test_a_new_moderator_sees_the_moderation_link(member):
    client, user = member
    page, _ = visit(client)
    assert "Moderation</a>" not in page
    user.platform_role = PlatformRole.MODERATOR
    db.session.commit()
    page, _ = visit(client)
    assert "Moderation</a>" in page
    page, queries = visit(client)
    assert queries == 0 and "Moderation</a>" in page


def test_signed_in_pages_still_render_when_redis_is_down(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:9/0", SHARED_PAGE_SECONDS=300)
    with app.app_context():
        john()
        user = create_user(display_name="Sam Signedin")
        db.session.commit()
        client = app.test_client()
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        page = client.get(PROFILE).get_data(as_text=True)
    assert "Sam Signedin" in page and "Sign out" in page


@pytest.mark.parametrize(
    ("role", "moderates"),
    [(None, False), (PlatformRole.MODERATOR, True), (PlatformRole.ADMIN, True)],
)
def test_a_snapshot_reads_back_as_it_was_stored(role, moderates):
    snapshot = AccountSnapshot(display_name='Ann "A" O\u2019Neil', platform_role=role)
    again = AccountSnapshot.loads(snapshot.dumps())
    assert again == snapshot
    assert again.is_authenticated and again.is_moderator is moderates
