"""Writing a review through HTTP: guests confirm by email, guards refuse what they must."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from directory.core.outbox import OutboxMessage
from directory.extensions import db
from directory.reviews import submission
from directory.reviews.forms import GUEST_EMAIL_MISSING, months_back
from directory.reviews.models import Provenance, Review, ReviewState
from directory.reviews.reviewer_control import manage_token
from tests.accounts.test_accounts import emails_in
from tests.clinics.test_console import count, member, sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.pages import field_errors
from tests.support import run_at_once

CONFIRM_LINK = re.compile(r"http://localhost(/reviews/confirm/\S+)")


def review_form(**overrides) -> dict:
    return {
        "rating": "5",
        "rating_technique": "5",
        "rating_communication": "",
        "rating_environment": "4",
        "rating_value": "",
        "title": "My upper back finally let go",
        "body": "Two sessions of trigger point work and I can sit at my desk all day again.",
        "visit_month-month": str(date.today().month),
        "visit_month-year": str(date.today().year),
        "reviewer_name": "Sam Rivera",
        "initials_only": "y",
        "email": "Sam@Example.org",
        **overrides,
    }


def listed_therapist():
    therapist = create_therapist(create_clinic(), name="John Wintertime", slug="john-wintertime")
    db.session.commit()
    return therapist


def test_a_guest_review_waits_for_the_email_link_then_goes_to_moderation(client, mail_folder):
    therapist = listed_therapist()
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    assert response.status_code == 200
    assert b"We emailed" in response.data
    review = db.session.scalar(sa.select(Review))
    assert (review.state, review.provenance) == (
        ReviewState.AWAITING_EMAIL,
        Provenance.EMAIL_CONFIRMED,
    )
    assert review.reviewer_email == "sam@example.org"
    assert review.public_name == "S.R."
    assert (review.rating_technique, review.rating_communication) == (5, None)

    [email] = emails_in(mail_folder)
    link = CONFIRM_LINK.search(email.get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200
    db.session.refresh(review)
    assert review.state == ReviewState.PENDING
    again = client.get(link)
    assert again.status_code == 200 and b"already confirmed" in again.data


def test_two_concurrent_confirmations_succeed_exactly_once(app, make_app, mail_folder):
    therapist = listed_therapist()
    app.test_client().post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    [email] = emails_in(mail_folder)
    link = CONFIRM_LINK.search(email.get_body(("plain",)).get_content()).group(1)
    clients = [make_app().test_client() for _ in range(2)]
    pages = run_at_once([lambda c=c: c.get(link).get_data(as_text=True) for c in clients])
    assert sorted("already confirmed" in page for page in pages) == [False, True]


def test_a_verified_client_skips_the_email_step(client):
    therapist = listed_therapist()
    user = create_user("client@example.org")
    db.session.commit()
    sign_in(client, user)
    data = review_form()
    del data["email"]
    client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    review = db.session.scalar(sa.select(Review))
    assert review.state == ReviewState.PENDING
    assert review.reviewer_email == "client@example.org"


def test_bad_review_input_keeps_what_was_typed_and_saves_nothing(client):
    therapist = listed_therapist()
    response = client.post(
        f"/therapists/{therapist.slug}/reviews/new",
        data=review_form(
            rating="9", body="Too short.", email="nope", title="", **{"visit_month-year": "2099"}
        ),
    )
    assert response.status_code == 422
    for message in (
        b"Choose a rating from 1 to 5.",
        b"between 40 and 5,000",
        b"cannot be in the future",
        b"valid email",
        b"title",
    ):
        assert message in response.data
    assert b"Too short." in response.data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 0


def test_guards_refuse_staff_throwaway_addresses_and_second_reviews(client, mail_folder):
    therapist = listed_therapist()
    staff = member(db.session.get(type(therapist.clinic), therapist.clinic_id))
    url = f"/therapists/{therapist.slug}/reviews/new"

    own_staff = client.post(url, data=review_form(email=staff.email))
    assert own_staff.status_code == 422 and b"work at this clinic" in own_staff.data
    throwaway = client.post(url, data=review_form(email="x@mailinator.com"))
    assert throwaway.status_code == 422 and b"throwaway" in throwaway.data
    assert client.post(url, data=review_form()).status_code == 200
    second = client.post(url, data=review_form())
    assert second.status_code == 422 and b"already reviewed" in second.data
    offer = emails_in(mail_folder)[-1]
    assert offer["Subject"].startswith("Edit your review")
    assert "/reviews/manage/" in offer.get_body(("plain",)).get_content()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 1


def test_unlisted_therapists_cannot_be_reviewed(client):
    therapist = create_therapist(create_clinic(), is_published=False)
    db.session.commit()
    assert client.get(f"/therapists/{therapist.slug}/reviews/new").status_code == 404


WITHOUT_THE_FIELD = None
MALFORMED = "Enter a valid email address, like name@example.com."


@pytest.mark.parametrize(
    ("email", "message"),
    [
        (WITHOUT_THE_FIELD, GUEST_EMAIL_MISSING),
        ("", GUEST_EMAIL_MISSING),
        ("   ", GUEST_EMAIL_MISSING),
        ("not-an-address", MALFORMED),
        ("sam@example", MALFORMED),
        ("sam@@example.org", MALFORMED),
    ],
    ids=["missing field", "blank", "spaces", "no at sign", "no domain dot", "two at signs"],
)
def test_a_guest_review_needs_a_usable_email_and_saves_nothing_without_one(client, email, message):
    therapist = listed_therapist()
    data = review_form(email=email)
    if email is WITHOUT_THE_FIELD:
        del data["email"]
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    assert response.status_code == 422
    assert field_errors(response, "email") == [message]
    assert count(Review) == 0
    assert count(OutboxMessage) == 0


@pytest.mark.parametrize("email", [WITHOUT_THE_FIELD, "", "not-an-address"])
def test_a_signed_in_client_needs_no_email_whatever_the_field_holds(client, email):
    therapist = listed_therapist()
    user = create_user("client@example.org")
    db.session.commit()
    sign_in(client, user)
    data = review_form(email=email)
    if email is WITHOUT_THE_FIELD:
        del data["email"]
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    assert response.status_code == 200
    review = db.session.scalar(sa.select(Review))
    assert (review.reviewer_email, review.state) == ("client@example.org", ReviewState.PENDING)


def test_a_refusal_about_a_signed_in_clients_address_is_shown(client):
    """The email field is hidden for a signed-in client; what is said about it is not."""
    therapist = listed_therapist()
    staff = member(db.session.get(type(therapist.clinic), therapist.clinic_id))
    sign_in(client, staff)
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    assert response.status_code == 422
    assert b"People who work at this clinic cannot review" in response.data
    assert count(Review) == 0


def draft(**overrides) -> submission.ReviewDraft:
    return replace(
        submission.ReviewDraft(
            rating=5,
            title="My upper back finally let go",
            body="Two sessions of trigger point work and I can sit at my desk all day again.",
            visit_month=date.today().replace(day=1),
            reviewer_name="Sam Rivera",
            initials_only=False,
            email="sam@example.org",
            aspects={},
        ),
        **overrides,
    )


@pytest.mark.parametrize("email", [None, "", "  ", "not-an-address"])
def test_the_service_refuses_a_guest_review_without_a_usable_address(app, email):
    """No caller can skip the form's check: nothing is stored and no email is queued."""
    therapist = listed_therapist()
    with pytest.raises(submission.ReviewRefused) as refusal:
        submission.submit_review(therapist, draft(email=email))
    assert refusal.value.field == "email"
    assert refusal.value.message in (
        "Enter an email address.",
        "Enter a valid email address, like name@example.com.",
    )
    db.session.flush()
    assert count(Review) == 0
    assert count(OutboxMessage) == 0


def test_a_value_outside_the_choices_gets_a_human_message(client):
    therapist = listed_therapist()
    response = client.post(
        f"/therapists/{therapist.slug}/reviews/new",
        data=review_form(rating="six", rating_technique="9", rating_value="abc"),
    )
    assert response.status_code == 422
    assert field_errors(response, "rating") == ["Choose a rating from 1 to 5."]
    for aspect in ("rating_technique", "rating_value"):
        assert field_errors(response, aspect) == [
            "Choose a rating from 1 to 5, or leave it as not rated."
        ]
    for library_words in (b"could not coerce", b"Not a valid choice", b"Invalid Choice"):
        assert library_words not in response.data
    assert count(Review) == 0


def confirmed_guest_review(client, mail_folder) -> tuple[Review, str]:
    """A guest's review, confirmed through the emailed link; and that link."""
    therapist = listed_therapist()
    client.post(f"/therapists/{therapist.slug}/reviews/new", data=review_form())
    [email] = emails_in(mail_folder)
    link = CONFIRM_LINK.search(email.get_body(("plain",)).get_content()).group(1)
    assert client.get(link).status_code == 200
    return db.session.scalar(sa.select(Review)), link


def test_a_used_confirmation_link_says_already_confirmed_and_links_to_the_status(
    client, mail_folder
):
    review, link = confirmed_guest_review(client, mail_folder)
    first_confirmed_at = review.email_confirmed_at

    again = client.get(link)

    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "already confirmed" in page and "waiting for a moderator" in page
    manage = re.search(r'href="http://localhost(/reviews/manage/[^"]+)"', page).group(1)
    assert "Withdraw" in client.get(manage).get_data(as_text=True)
    db.session.refresh(review)
    assert review.state == ReviewState.PENDING
    assert review.email_confirmed_at == first_confirmed_at  # nothing was done again


def test_a_used_link_never_brings_back_a_decided_review(client, mail_folder):
    review, link = confirmed_guest_review(client, mail_folder)
    review.state = ReviewState.REJECTED
    db.session.commit()

    again = client.get(link)

    assert again.status_code == 200 and b"was not published" in again.data
    assert b"/reviews/manage/" not in again.data  # a decided review has nothing to manage
    db.session.refresh(review)
    assert review.state == ReviewState.REJECTED


def test_a_forged_or_expired_confirmation_link_is_still_a_problem(client, mail_folder, app):
    _, link = confirmed_guest_review(client, mail_folder)
    forged = client.get(link[:-3] + "abc")
    assert forged.status_code == 400 and b"not valid" in forged.data
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    expired = client.get(link)
    assert expired.status_code == 400 and b"expired" in expired.data


def test_the_review_form_offers_stars_and_month_and_year_selects(client):
    therapist = listed_therapist()
    page = client.get(f"/therapists/{therapist.slug}/reviews/new").get_data(as_text=True)

    assert re.search(r"<legend>Overall rating</legend>", page)
    for stars in ("1 star out of 5", "4 stars out of 5", "5 stars out of 5"):
        assert stars in page
    assert page.count('type="radio"') == 5 + 4 * 6  # aspects add "Not rated"
    assert re.search(r'<input checked class="star-none" id="rating_technique-0"', page)
    assert '<select id="visit_month-month" name="visit_month-month"' in page
    assert ">March</option>" in page and f">{date.today().year}</option>" in page
    german = client.get(
        f"/therapists/{therapist.slug}/reviews/new", headers={"Accept-Language": "de"}
    )
    assert ">März</option>" in german.get_data(as_text=True)


def test_month_and_year_map_to_the_first_of_the_month(client):
    therapist = listed_therapist()
    last_year = date.today().year - 1
    data = review_form(**{"visit_month-month": "11", "visit_month-year": str(last_year)})
    assert client.post(f"/therapists/{therapist.slug}/reviews/new", data=data).status_code == 200
    assert db.session.scalar(sa.select(Review.visit_month)) == date(last_year, 11, 1)


def test_a_month_typed_as_year_and_month_is_still_read(client):
    """What the form posted before it had two selects (a page left open over a deploy)."""
    therapist = listed_therapist()
    visit = months_back(date.today(), 3)
    data = review_form(visit_month=visit.strftime("%Y-%m"))
    del data["visit_month-month"], data["visit_month-year"]
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    assert response.status_code == 200
    assert db.session.scalar(sa.select(Review.visit_month)) == visit


@pytest.mark.parametrize(
    ("month", "year", "message"),
    [
        ("5", "", "Choose the month and the year of your visit."),
        ("", "2025", "Choose the month and the year of your visit."),
        ("13", "2025", "Choose the month and the year of your visit."),
        ("²", "2025", "Choose the month and the year of your visit."),
        ("1", "99999", "Choose the month and the year of your visit."),
        ("", "", "Choose the month and the year of your visit."),
    ],
)
def test_a_month_or_year_missing_or_unreadable_is_refused_next_to_the_field(
    client, month, year, message
):
    therapist = listed_therapist()
    data = review_form(**{"visit_month-month": month, "visit_month-year": year})
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    assert response.status_code == 422
    assert field_errors(response, "visit_month") == [message]
    assert count(Review) == 0


def test_a_future_month_is_refused_and_what_was_chosen_is_kept(client):
    therapist = listed_therapist()
    next_month = months_back(date.today(), -1)
    data = review_form(
        rating="4",
        rating_technique="3",
        **{"visit_month-month": str(next_month.month), "visit_month-year": str(next_month.year)},
    )
    response = client.post(f"/therapists/{therapist.slug}/reviews/new", data=data)
    page = response.get_data(as_text=True)

    assert response.status_code == 422
    assert field_errors(response, "visit_month") == ["The visit cannot be in the future."]
    assert re.search(r'<input checked class="star" id="rating-3"[^>]*value="4"', page)
    assert re.search(r'<input checked class="star" id="rating_technique-3"[^>]*value="3"', page)
    assert f'<option value="{next_month.month}" selected>' in page
    assert f'<option value="{next_month.year}" selected>' in page
    assert count(Review) == 0


def test_editing_a_review_shows_its_stars_and_month(client, mail_folder):
    review, _ = confirmed_guest_review(client, mail_folder)
    page = client.get(f"/reviews/manage/{manage_token(review)}").get_data(as_text=True)
    assert re.search(r'<input checked class="star" id="rating-4"[^>]*value="5"', page)
    assert f'<option value="{review.visit_month.month}" selected>' in page
