"""A clinic's place gives its defaults: the currency of its prices (its country's) and the
time zone of its opening hours (its city's)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from directory.extensions import db
from directory.places.currencies import FALLBACK_CURRENCY, country_currency
from directory.therapists import services as therapists
from directory.therapists.models import Therapist
from tests.clinics.test_console import member, sign_in, therapist_form
from tests.factories import create_clinic
from tests.pages import field_errors


def test_a_clinic_in_bangkok_prices_in_baht_and_keeps_bangkok_time(app):
    clinic = create_clinic(city_slug="bangkok")
    assert clinic.currency == "THB"
    assert clinic.time_zone == ZoneInfo("Asia/Bangkok")


def test_a_clinic_in_toronto_prices_in_canadian_dollars(app):
    clinic = create_clinic(city_slug="toronto")
    assert clinic.currency == "CAD"
    assert clinic.time_zone == ZoneInfo("America/Toronto")


def test_a_country_without_a_known_currency_falls_back():
    assert country_currency("TH") == country_currency("th") == "THB"
    assert country_currency("ZZ") == country_currency("") == FALLBACK_CURRENCY


def test_a_new_therapist_of_a_bangkok_clinic_is_priced_in_baht(app):
    clinic = create_clinic(city_slug="bangkok")
    therapist = therapists.create_therapist(clinic, therapists.TherapistProfile(name="Somchai"))
    assert therapist.currency == "THB"
    # Saving the profile again without naming a currency keeps the therapist's own.
    therapist.currency = "USD"
    therapists.update_therapist(therapist, therapists.TherapistProfile(name="Somchai"))
    assert therapist.currency == "USD"


def test_the_console_offers_the_clinics_currency_first_and_chosen(client):
    clinic = create_clinic(city_slug="bangkok")
    sign_in(client, member(clinic))
    page = client.get(f"/manage/{clinic.slug}/therapists/new").get_data(as_text=True)
    options = page[page.index('id="currency"') :]
    assert options.index('selected value="THB"') < options.index('value="CAD"')
    assert "THB — Thai Baht" in page


def test_a_posted_profile_without_a_currency_is_priced_in_the_clinics(client):
    clinic = create_clinic(city_slug="bangkok")
    sign_in(client, member(clinic))
    form = therapist_form()
    del form["currency"]
    response = client.post(f"/manage/{clinic.slug}/therapists/new", data=form)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Therapist.currency)) == "THB"


def test_a_therapist_keeps_a_currency_outside_the_common_list(client):
    clinic = create_clinic(city_slug="bangkok")
    sign_in(client, member(clinic))
    response = client.post(
        f"/manage/{clinic.slug}/therapists/new", data=therapist_form(currency="JPY")
    )
    assert field_errors(response, "currency") == ["Choose one of the listed currencies."]
    therapist = therapists.create_therapist(
        clinic, therapists.TherapistProfile(name="Kenji", currency="JPY")
    )
    db.session.commit()
    response = client.get(f"/manage/{clinic.slug}/therapists/{therapist.id}/edit")
    assert 'selected value="JPY"' in response.get_data(as_text=True)
    response = client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/edit",
        data=therapist_form(name="Kenji", currency="JPY"),
    )
    assert response.status_code == 302
