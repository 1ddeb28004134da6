"""The clinic console through HTTP: registering, therapists, credentials, the dashboard."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from directory.clinics.models import Clinic, Membership, Role
from directory.extensions import db
from directory.search.models import SearchDocument
from directory.taxonomy.models import Condition, CredentialType, Modality
from directory.therapists.models import Accreditation, AccreditationState, Therapist
from tests.factories import PASSWORD, create_clinic, create_therapist, create_user
from tests.pages import field_errors

CLINIC_FORM = {
    "name": "Harbour Massage",
    "website": "https://harbour.example.com",
    "phone": "+1 416 555 0101",
    "email": "hello@harbour.example.com",
    "address": "1 Queens Quay",
    "postal_code": "M5J 2H1",
    "city": "Toronto",
    "description": "Registered massage therapy by the lake.",
    # A browser posts the inputs left empty as "", not at all.
    "latitude": "",
    "longitude": "",
}


def sign_in(client, user) -> None:
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def member(clinic: Clinic, role: Role = Role.OWNER):
    user = create_user()
    db.session.add(Membership(clinic_id=clinic.id, user_id=user.id, role=role))
    db.session.commit()
    return user


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_registering_a_clinic_makes_you_its_owner(client):
    user = create_user()
    db.session.commit()
    sign_in(client, user)
    response = client.post("/clinics/new", data=CLINIC_FORM)
    assert response.status_code == 302
    clinic = db.session.scalar(sa.select(Clinic))
    assert clinic.slug == "harbour-massage"
    assert clinic.city.name == "Toronto"
    assert (clinic.latitude, clinic.longitude) == (clinic.city.latitude, clinic.city.longitude)
    membership = db.session.scalar(sa.select(Membership))
    assert (membership.user_id, membership.role) == (user.id, Role.OWNER)
    assert client.get(response.headers["Location"]).status_code == 200
    assert b"Harbour Massage" in client.get("/clinics/harbour-massage").data
    assert b"Harbour Massage" in client.get("/manage").data


def test_bad_clinic_details_get_messages_and_save_nothing(client):
    create_clinic("Taken Name")
    user = create_user()
    db.session.commit()
    sign_in(client, user)
    bad = {
        **CLINIC_FORM,
        "name": "taken name",
        "website": "harbour dot com",
        "phone": "call us",
        "city": "Qwxzyville",
        "latitude": "43.6",
        "description": "x" * 5001,
    }
    response = client.post("/clinics/new", data=bad)
    assert response.status_code == 422
    for message in (
        b"full web address",
        b"phone number",
        b"could not find that city",
        b"both latitude and longitude",
        b"under 5,000 characters",
    ):
        assert message in response.data
    assert b'value="harbour dot com"' in response.data
    assert count(Clinic) == 1
    duplicate = client.post("/clinics/new", data={**CLINIC_FORM, "name": "TAKEN NAME"})
    assert b"already listed" in duplicate.data
    assert count(Clinic) == 1


@pytest.mark.parametrize("posted", [{}, {"name": "Harbour Massage and Spa"}])
def test_settings_posted_without_the_city_keep_the_clinics_city(client, posted):
    """The clinic's `city` is a row and the form's a label: a POST leaving the field out
    (or empty) used to hand the row to the field's checks, a server error."""
    clinic = create_clinic("Harbour Massage")
    sign_in(client, member(clinic))
    response = client.post(f"/manage/{clinic.slug}/settings", data=posted)
    assert response.status_code in (302, 422)
    db.session.refresh(clinic)
    assert clinic.city.name == "Toronto"


def test_extra_fields_cannot_assign_clinic_or_role(client):
    other = create_clinic()
    user = create_user()
    db.session.commit()
    sign_in(client, user)
    client.post(
        "/clinics/new", data={**CLINIC_FORM, "id": other.id, "role": "staff", "is_active": "0"}
    )
    clinic = db.session.scalar(sa.select(Clinic).where(Clinic.name == "Harbour Massage"))
    assert clinic.id != other.id and clinic.is_active
    assert (
        db.session.scalar(sa.select(Membership.role).where(Membership.clinic_id == clinic.id))
        == Role.OWNER
    )


def therapist_form(**overrides) -> dict:
    modality = db.session.scalar(sa.select(Modality).where(Modality.slug == "trigger-point"))
    condition = db.session.scalar(sa.select(Condition).where(Condition.slug == "upper-back-pain"))
    return {
        "name": "Jo Wintertime",
        "headline": "Registered massage therapist for back pain",
        "bio": "Ten years of clinical experience.",
        "years_experience": "10",
        "price_min": "90",
        "price_max": "140",
        "currency": "CAD",
        "session_minutes": "60",
        "accepting_new_clients": "y",
        "modalities": [str(modality.id)],
        "conditions": [str(condition.id)],
        "languages": ["en", "th"],
        "does_not_treat": "Fever, contagious illness.",
        **overrides,
    }


def test_a_therapist_is_created_as_draft_then_published_into_search(client):
    clinic = create_clinic()
    owner = member(clinic)
    sign_in(client, owner)
    response = client.post(f"/manage/{clinic.slug}/therapists/new", data=therapist_form())
    assert response.status_code == 302
    therapist = db.session.scalar(sa.select(Therapist))
    assert therapist.slug == "jo-wintertime" and not therapist.is_published
    assert [m.slug for m in therapist.modalities] == ["trigger-point"]
    assert sorted(lang.code for lang in therapist.languages) == ["en", "th"]
    assert count(SearchDocument) == 0

    client.post(f"/manage/{clinic.slug}/therapists/{therapist.id}/publish")
    document = db.session.get(SearchDocument, therapist.id)
    assert document is not None and "Trigger point" in document.text_a

    client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/edit",
        data=therapist_form(name="Jo Wintertime-Smith"),
    )
    db.session.expire_all()
    assert db.session.get(Therapist, therapist.id).slug == "jo-wintertime"  # stable
    assert db.session.get(SearchDocument, therapist.id).name == "Jo Wintertime-Smith"

    client.post(f"/manage/{clinic.slug}/therapists/{therapist.id}/unpublish")
    assert db.session.get(SearchDocument, therapist.id) is None
    client.post(f"/manage/{clinic.slug}/therapists/{therapist.id}/delete")
    db.session.expire_all()
    assert db.session.get(Therapist, therapist.id).deleted_at is not None


def test_bad_therapist_input_gets_messages_and_saves_nothing(client):
    clinic = create_clinic()
    owner = member(clinic)
    sign_in(client, owner)
    response = client.post(
        f"/manage/{clinic.slug}/therapists/new",
        data=therapist_form(
            name="",
            price_min="200",
            price_max="100",
            years_experience="200",
            modalities=["99999"],
            languages=["xx"],
            bio="b" * 5001,
        ),
    )
    assert response.status_code == 422
    for message in (
        b"Enter the therapist",
        b"cannot be below",
        b"Between 0 and 70",
        b"Choose only from the listed options.",
    ):
        assert message in response.data
    assert b"not a valid choice" not in response.data
    assert count(Therapist) == 0


def test_numbers_and_options_that_cannot_be_read_get_messages_for_people(client):
    clinic = create_clinic()
    sign_in(client, member(clinic))
    response = client.post(
        f"/manage/{clinic.slug}/therapists/new",
        data=therapist_form(price_min="ninety", currency="XYZ", modalities=["abc"]),
    )
    assert response.status_code == 422
    assert field_errors(response, "price_min") == ["Enter a whole number, like 45."]
    assert field_errors(response, "currency") == ["Choose one of the listed currencies."]
    assert field_errors(response, "modalities") == ["Choose only from the listed options."]
    for library_words in (b"Not a valid", b"could not coerce", b"Invalid choice"):
        assert library_words not in response.data
    assert count(Therapist) == 0


def test_credentials_are_submitted_and_a_changed_verified_one_is_checked_again(client):
    clinic = create_clinic()
    owner = member(clinic)
    therapist = create_therapist(clinic)
    db.session.commit()
    sign_in(client, owner)
    rmt = db.session.scalar(sa.select(CredentialType).where(CredentialType.code == "RMT"))
    form = {
        "credential_type_id": str(rmt.id),
        "issuing_body": "CMTO",
        "number": "R-1234",
        "issued_on": "2015-06-01",
        "expires_on": "2014-01-01",
        "register_url": "https://cmto.example.com/register/R-1234",
    }
    url = f"/manage/{clinic.slug}/therapists/{therapist.id}/accreditations/new"
    response = client.post(url, data=form)
    assert response.status_code == 422 and b"must come after the issue date" in response.data
    assert count(Accreditation) == 0

    assert client.post(url, data={**form, "expires_on": "2030-01-01"}).status_code == 302
    accreditation = db.session.scalar(sa.select(Accreditation))
    assert accreditation.state == AccreditationState.DRAFT
    client.post(f"/manage/{clinic.slug}/therapists/accreditations/{accreditation.id}/submit")
    db.session.refresh(accreditation)
    assert accreditation.state == AccreditationState.SUBMITTED

    accreditation.state = AccreditationState.VERIFIED
    db.session.commit()
    client.post(
        f"/manage/{clinic.slug}/therapists/accreditations/{accreditation.id}/edit",
        data={**form, "expires_on": "2031-01-01", "state": "verified"},
    )
    db.session.refresh(accreditation)
    assert accreditation.state == AccreditationState.SUBMITTED
    assert accreditation.verified_at is None


def test_the_dashboard_counts_the_clinics_own_things(client):
    clinic = create_clinic()
    owner = member(clinic)
    create_therapist(clinic, name="Published One")
    create_therapist(clinic, name="Draft One", is_published=False)
    create_therapist(create_clinic(), name="Someone Else's")
    db.session.commit()
    sign_in(client, owner)
    page = client.get(f"/manage/{clinic.slug}/").data
    assert b"Published One" in page and b"Draft One" in page
    assert b"Someone Else" not in page


def test_manage_with_a_slash_leads_a_member_of_one_clinic_to_its_console(client):
    clinic = create_clinic("Harbour Massage", slug="harbour-massage")
    user = create_user("owner@example.com")
    db.session.add(Membership(clinic_id=clinic.id, user_id=user.id, role=Role.OWNER))
    db.session.commit()
    sign_in(client, user)
    response = client.get("/manage/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/harbour-massage/"
    assert b"Harbour Massage" in client.get("/manage/", follow_redirects=True).data


def test_manage_with_a_slash_sends_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/manage/", follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path == "/sign-in"
    assert response.request.args["next"] == "/manage/"
