"""Numbers, distances, ratings and dates in the reader's locale (Accept-Language)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from directory.core import formatting
from directory.core.formatting import distance, month_year, number, plural, rating, share
from directory.extensions import db
from tests.factories import create_clinic, create_review, create_therapist

NO_BREAK_SPACE = "\xa0"  # how French Canada groups thousands


@pytest.fixture
def bare_app() -> Flask:
    return Flask(__name__)


def read_as(app: Flask, accept_language: str | None):
    headers = {"Accept-Language": accept_language} if accept_language else {}
    return app.test_request_context("/", headers=headers)


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en"),
        ("en-US,en;q=0.9", "en"),
        ("en-CA", "en_CA"),
        ("fr-BE,en;q=0.5", "fr"),
        ("es-MX, de;q=0.8", "de"),
        ("es, pt;q=0.5", "en"),
        ("*", "en"),
        ("th-TH", "th"),
        ("not a language;;q=x", "en"),
    ],
)
def test_the_reader_locale_is_the_best_supported_match_of_accept_language(bare_app, header, locale):
    with read_as(bare_app, header):
        assert formatting.reader_locale() == locale


def test_outside_a_request_values_are_formatted_in_the_default_locale(bare_app):
    with bare_app.app_context():
        assert formatting.reader_locale() == "en"
        assert distance(11981.2) == "11,981 km"


def test_english_readers_get_thousands_separators_and_one_decimal(bare_app):
    with read_as(bare_app, "en-GB"):
        assert distance(11981.4) == "11,981 km"
        assert distance(3.24) == "3.2 km"
        assert distance(0.8421) == "840 m"
        assert distance(0.001) == "10 m"
        assert distance(None) == ""
        assert number(1234567) == "1,234,567"
        assert plural(1234, "review") == "1,234 reviews"
        assert plural(1, "review") == "1 review"
        assert rating(4.56) == "4.6"
        assert share(0.125) == "12.5%"
        assert share(None) == "—"
        assert formatting.rating_summary(4.04, 1500) == "4.0 ★ from 1,500 reviews"
        assert month_year(date(2026, 3, 1)) == "March 2026"


def test_german_and_french_readers_get_their_own_separators(bare_app):
    with read_as(bare_app, "de-DE"):
        assert distance(11981.4) == "11.981 km"
        assert rating(4.56) == "4,6"
        assert month_year(date(2026, 3, 1)) == "März 2026"
    with read_as(bare_app, "fr-CA"):
        assert distance(11981.4) == f"11{NO_BREAK_SPACE}981 km"
        assert formatting.month_names()[0] == (1, "janvier")


def test_a_profile_shows_dates_in_the_readers_locale_and_says_it_varies(client):
    therapist = create_therapist(create_clinic(), "Mara Lind")
    create_review(therapist, visit_month=date(2026, 3, 1))
    db.session.commit()

    english = client.get(f"/therapists/{therapist.slug}", headers={"Accept-Language": "en"})
    german = client.get(f"/therapists/{therapist.slug}", headers={"Accept-Language": "de"})

    assert "visited March 2026" in english.get_data(as_text=True)
    assert "visited März 2026" in german.get_data(as_text=True)
    assert "Accept-Language" in german.headers["Vary"]


@pytest.mark.parametrize(
    ("header", "amount", "currency", "shown"),
    [
        ("en", 90, "CAD", "CA$90"),
        ("en-CA", 90, "CAD", "$90"),
        ("en", 1200, "THB", "THB1,200"),
        ("th", 1200, "THB", "฿1,200"),
        ("fr-CA", 1200, "CAD", f"1{NO_BREAK_SPACE}200{NO_BREAK_SPACE}$"),
        ("de", 90, "EUR", f"90{NO_BREAK_SPACE}€"),
    ],
)
def test_prices_are_whole_amounts_as_the_reader_writes_money(
    bare_app, header, amount, currency, shown
):
    with read_as(bare_app, header):
        assert formatting.price(amount, currency) == shown
        assert formatting.price(None, currency) == ""


def test_a_profile_shows_its_price_in_the_readers_locale(client):
    therapist = create_therapist(
        create_clinic(city_slug="bangkok"), price_min=800, price_max=1200, currency="THB"
    )
    db.session.commit()
    english = client.get(f"/therapists/{therapist.slug}", headers={"Accept-Language": "en"})
    assert "THB800\u2013THB1,200 for 60 minutes" in english.get_data(as_text=True)
    french = client.get(f"/therapists/{therapist.slug}", headers={"Accept-Language": "fr-CA"})
    shown = f"800{NO_BREAK_SPACE}THB\u20131{NO_BREAK_SPACE}200{NO_BREAK_SPACE}THB"
    assert shown in french.get_data(as_text=True)
