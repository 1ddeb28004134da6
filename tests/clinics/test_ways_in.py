"""Ways into the clinic console: the header's "Your clinics", the landing after sign-in,
/manage/, "List your clinic" for someone without an account, and the dashboard's links."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from directory.clinics.models import Clinic, Membership, Role
from directory.extensions import db
from tests.accounts.test_accounts import emails_in, link_in
from tests.clinics.test_console import CLINIC_FORM, member, sign_in
from tests.factories import PASSWORD, create_clinic, create_therapist, create_user

NEW_OWNER = {
    "display_name": "Nok Owner",
    "email": "nok@example.com",
    "password": "a long enough password",
    "confirm": "a long enough password",
}


def landing(client, user, **query) -> str:
    """Where signing in takes `user` in the end."""
    response = client.post(
        "/sign-in",
        query_string=query,
        data={"email": user.email, "password": PASSWORD},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.request.path


def header_of(page: str) -> str:
    return page[page.index('<header class="site-header') : page.index("</header>")]


def test_a_member_of_one_clinic_lands_on_its_console_after_signing_in(client):
    clinic = create_clinic(slug="harbour")
    user = member(clinic)
    assert landing(client, user) == "/manage/harbour/"


def test_a_member_of_several_clinics_lands_on_the_list_of_them(client):
    user = member(create_clinic("Harbour Massage"))
    lakeside = create_clinic("Lakeside")
    db.session.add(Membership(clinic_id=lakeside.id, user_id=user.id, role=Role.STAFF))
    db.session.commit()
    assert landing(client, user) == "/manage"
    page = client.get("/manage").get_data(as_text=True)
    assert "Harbour Massage" in page and "Lakeside" in page
    assert client.get("/manage/").headers["Location"] == "/manage"


def test_someone_on_no_team_lands_where_they_did_before(client):
    user = create_user()
    db.session.commit()
    assert landing(client, user) == "/"
    assert client.get("/manage/").headers["Location"] == "/manage"
    assert "Your clinics" not in header_of(client.get("/").get_data(as_text=True))


def test_a_safe_next_wins_over_the_console(client):
    user = member(create_clinic(slug="harbour"))
    assert landing(client, user, next="/account") == "/account"


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "manage"]
)
def test_an_unsafe_next_sends_a_member_to_their_console_instead(client, target):
    user = member(create_clinic(slug="harbour"))
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/signed-in"
    assert client.get("/signed-in").headers["Location"] == "/manage/harbour/"


def test_the_header_leads_a_member_straight_to_their_console(client):
    user = member(create_clinic(slug="harbour"))
    sign_in(client, user)
    header = header_of(client.get("/").get_data(as_text=True))
    assert '<a href="/manage/harbour/">Your clinics</a>' in header


def test_the_header_leads_a_member_of_several_clinics_to_the_list(client):
    user = member(create_clinic())
    db.session.add(Membership(clinic_id=create_clinic().id, user_id=user.id, role="manager"))
    db.session.commit()
    sign_in(client, user)
    header = header_of(client.get("/").get_data(as_text=True))
    assert '<a href="/manage">Your clinics</a>' in header


def test_list_your_clinic_is_offered_on_the_home_page_and_in_the_footer(client):
    page = client.get("/").get_data(as_text=True)
    assert page.count('href="/clinics/new"') >= 2
    assert "List your clinic" in page
    footer = page[page.index('<footer class="site-footer') :]
    assert 'href="/clinics/new">List your clinic</a>' in footer


def test_a_signed_out_new_owner_makes_the_account_on_the_way_to_the_clinic(client, mail_folder):
    response = client.get("/clinics/new")
    assert response.headers["Location"] == "/register?next=/clinics/new"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "your account first, then your clinic" in page
    assert 'href="/sign-in?next=/clinics/new"' in page  # for those who have an account
    response = client.post("/register?next=/clinics/new", data=NEW_OWNER)
    assert response.headers["Location"] == "/register/check-your-inbox"
    # The emailed link confirms the address, signs in and leads on to the clinic form.
    [message] = emails_in(mail_folder)
    response = client.get(link_in(message))
    assert response.headers["Location"] == "/clinics/new"
    response = client.post("/clinics/new", data=CLINIC_FORM)
    clinic = db.session.scalar(sa.select(Clinic))
    assert response.headers["Location"] == f"/manage/{clinic.slug}/"
    header = header_of(client.get("/").get_data(as_text=True))
    assert f'<a href="/manage/{clinic.slug}/">Your clinics</a>' in header


def test_an_unconfirmed_address_cannot_list_a_clinic(client):
    user = create_user(verified=False)
    db.session.commit()
    sign_in(client, user)
    page = client.get("/clinics/new")
    assert page.status_code == 403
    assert "Confirm your email first" in page.get_data(as_text=True)
    assert client.post("/clinics/new", data=CLINIC_FORM).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Clinic)) == 0


def test_registering_never_follows_an_off_site_next(client, mail_folder):
    client.post("/register?next=//evil.example/", data=NEW_OWNER)
    [message] = emails_in(mail_folder)
    assert client.get(link_in(message)).headers["Location"] == "/account"


def test_the_header_shows_a_new_membership_at_once_with_pages_shared(redis_app):
    client = redis_app.test_client()
    user = create_user()
    clinic = create_clinic(slug="harbour")
    db.session.commit()
    sign_in(client, user)
    assert "Your clinics" not in header_of(client.get("/").get_data(as_text=True))
    assert "Your clinics" not in header_of(client.get("/").get_data(as_text=True))
    db.session.add(Membership(clinic_id=clinic.id, user_id=user.id, role=Role.STAFF))
    db.session.commit()
    header = header_of(client.get("/").get_data(as_text=True))
    assert '<a href="/manage/harbour/">Your clinics</a>' in header
    db.session.delete(db.session.scalar(sa.select(Membership)))
    db.session.commit()
    assert "Your clinics" not in header_of(client.get("/").get_data(as_text=True))


def test_dashboard_rows_lead_to_each_therapist(client):
    clinic = create_clinic(slug="harbour")
    listed = create_therapist(clinic, "Listed One", slug="listed-one")
    draft = create_therapist(clinic, "Draft One", is_published=False)
    owner, staff = member(clinic), member(clinic, Role.STAFF)
    sign_in(client, owner)
    page = client.get("/manage/harbour/").get_data(as_text=True)
    edit = f'href="/manage/harbour/therapists/{listed.id}/edit">Listed One</a>'
    assert page.count(edit) == 2  # the ratings table and the clicks table
    assert f'href="/manage/harbour/therapists/{draft.id}/edit">Draft One</a>' in page
    client.post("/sign-out")
    sign_in(client, staff)  # staff do not edit profiles: the public one, once listed
    page = client.get("/manage/harbour/").get_data(as_text=True)
    assert page.count('href="/therapists/listed-one">Listed One</a>') == 2
    assert "<td>Draft One</td>" in page
