"""Comparing therapists: the compare page, and the list kept by "Add to compare"."""

from __future__ import annotations

import re
from datetime import date

import pytest

from directory.core.formatting import distance
from directory.core.geo import haversine_km
from directory.core.models import utcnow
from directory.extensions import db
from directory.public.compare_tray import SESSION_KEY
from directory.public.compare_views import same_site_path
from directory.therapists.models import AccreditationState
from tests.factories import create_clinic, create_therapist
from tests.public.builders import credential, give_terms, publish, table_rows


def john_and_mia():
    """Two therapists with every compared fact set, in two cities about 25 km apart."""
    bang_rak = create_clinic("Bang Rak Thai Massage", slug="bang-rak", city_slug="toronto")
    port_credit = create_clinic("Port Credit Wellness", slug="port-credit", city_slug="mississauga")
    john = create_therapist(
        bang_rak,
        "John Wintertime",
        slug="john-wintertime",
        headline="Registered massage therapist and rehabilitation specialist",
        years_experience=11,
        price_min=90,
        price_max=120,
    )
    mia = create_therapist(
        port_credit,
        "Mia Laurent",
        slug="mia-laurent",
        years_experience=4,
        accepting_new_clients=False,
        currency="USD",
        price_min=80,
        price_max=80,
        session_minutes=90,
    )
    give_terms(john, ("thai", "trigger-point"), ("upper-back-pain",), ("en", "fr"))
    give_terms(mia, ("swedish", "thai"), ("stress",), ("es",))
    credential(john, "RMT", number="R-4471", expires_on=date(2030, 1, 31))
    credential(john, "NCBTMB", state=AccreditationState.SUBMITTED, number="UNCHECKED-1")
    credential(
        mia,
        "LMT",
        state=AccreditationState.EXPIRED,
        issuing_body="Board of Massage",
        number="L-9",
        expires_on=date(2024, 6, 30),
    )
    publish(john, 5, 4, technique=5, communication=4)
    db.session.commit()
    return john, mia


def page_of(client, query: str) -> tuple[int, str]:
    response = client.get("/compare" + query)
    return response.status_code, response.get_data(as_text=True)


def tray(client) -> list[str]:
    with client.session_transaction() as session:
        return list(session.get(SESSION_KEY, []))


def add(client, slug: str, **fields):
    return client.post("/compare/add", data={"slug": slug, **fields})


def test_two_therapists_side_by_side_with_every_fact(client):
    john_and_mia()
    status, page = page_of(client, "?t=john-wintertime&t=mia-laurent")
    assert status == 200
    rows = table_rows(page, "compare-table")

    assert rows[""][0].startswith("John Wintertime Registered massage therapist")
    assert rows[""][1].startswith("Mia Laurent")
    assert rows["Rating"] == [
        "4.5 ★ from 2 reviews Few reviews: this can change a lot.",
        "No reviews yet",
    ]
    assert "5 ★ 1 1 4 ★ 1 1 3 ★ 0 0 2 ★ 0 0 1 ★ 0 0" in rows["Stars given"][0]
    assert rows["Technique"] == ["5.0 ★", "Not rated"]
    assert rows["Communication"] == ["4.0 ★", "Not rated"]
    assert "Environment" not in rows  # nobody was rated on it
    assert rows["Clinic"] == ["Bang Rak Thai Massage Toronto", "Port Credit Wellness Mississauga"]
    assert rows["New clients"] == ["Accepting", "Not taking new clients"]
    assert rows["Experience"] == ["11 years", "4 years"]
    assert rows["Price"] == ["CA$90\u2013CA$120 for 60 minutes", "$80 for 90 minutes"]
    assert rows["Languages"] == ["English, French", "Spanish"]
    john_credentials, mia_credentials = rows["Credentials"]
    assert "RMT Verified" in john_credentials and "Expires 31 January 2030" in john_credentials
    assert "College of Massage Therapists of Ontario" in john_credentials
    assert "NCBTMB" not in john_credentials  # submitted, not checked: not public
    assert "LMT Expired" in mia_credentials and "Expired 30 June 2024" in mia_credentials
    # Kinds of massage and conditions: every one either practises, ticked per therapist.
    assert rows["Thai"] == ["✓Yes", "✓Yes"]
    assert rows["Trigger point"] == ["✓Yes", "—No"]
    assert rows["Swedish"] == ["—No", "✓Yes"]
    assert rows["Upper back pain"] == ["✓Yes", "—No"]
    assert rows["Stress"] == ["—No", "✓Yes"]
    assert "Deep tissue" not in rows
    assert "UNCHECKED-1" not in page
    assert 'href="/therapists/john-wintertime"' in page
    assert 'href="/clinics/port-credit"' in page


def test_the_order_of_the_link_is_the_order_of_the_columns(client):
    john_and_mia()
    _, page = page_of(client, "?t=mia-laurent&t=john-wintertime")
    header = table_rows(page, "compare-table")[""]
    assert header[0].startswith("Mia Laurent") and header[1].startswith("John Wintertime")


def test_distance_from_a_city_uses_the_clinic_coordinates(client):
    john, mia = john_and_mia()
    status, page = page_of(client, "?t=john-wintertime&t=mia-laurent&near=Mississauga")
    assert status == 200
    expected = [
        distance(
            haversine_km(
                mia.clinic.latitude,
                mia.clinic.longitude,
                t.clinic.latitude,
                t.clinic.longitude,
            )
        )
        for t in (john, mia)
    ]
    rows = table_rows(page, "compare-table")
    assert rows["Distance from Mississauga"] == expected
    assert expected[0].endswith(" km") and expected[1] == "10 m"
    # Without a place there is no distance row, and the form offers one.
    _, plain = page_of(client, "?t=john-wintertime&t=mia-laurent")
    assert not any(k.startswith("Distance") for k in table_rows(plain, "compare-table"))
    assert 'name="near"' in plain


def test_an_unknown_place_is_a_clear_400(client):
    john_and_mia()
    status, page = page_of(client, "?t=john-wintertime&t=mia-laurent&near=Nowhere+Xyzzy")
    assert status == 400
    assert "We do not know a city called &#39;Nowhere Xyzzy&#39;." in page


@pytest.mark.parametrize(
    "query",
    ["?t=john-wintertime&t=nobody", "?t=john-wintertime&t=draft-dora", "?t=" + "x" * 500],
)
def test_unknown_or_unlisted_therapists_answer_404(client, query):
    john_and_mia()
    create_therapist(create_clinic(), "Draft Dora", slug="draft-dora", is_published=False)
    db.session.commit()
    status, _ = page_of(client, query)
    assert status == 404


def test_a_deleted_therapist_answers_404(client):
    john, _ = john_and_mia()
    john.deleted_at = utcnow()
    db.session.commit()
    assert page_of(client, "?t=john-wintertime&t=mia-laurent")[0] == 404


def test_more_than_four_therapists_is_refused_with_a_message(client):
    john_and_mia()
    clinic = create_clinic()
    for n in range(3):
        create_therapist(clinic, slug=f"extra-{n}")
    db.session.commit()
    five = "?t=john-wintertime&t=mia-laurent&t=extra-0&t=extra-1&t=extra-2"
    status, page = page_of(client, five)
    assert status == 400
    assert "You can compare at most 4 therapists at a time; this link names 5." in page
    assert page_of(client, "?" + "&".join(["t=a"] * 50))[0] == 400

    # Repeats collapse first: five values naming four therapists are fine.
    status, page = page_of(
        client, "?t=john-wintertime&t=mia-laurent&t=extra-0&t=extra-1&t=MIA-LAURENT"
    )
    assert status == 200
    assert len(table_rows(page, "compare-table")[""]) == 4


def test_duplicate_slugs_collapse_into_one_column(client):
    john_and_mia()
    status, page = page_of(client, "?t=john-wintertime&t=john-wintertime&t=mia-laurent&t=")
    assert status == 200
    assert len(table_rows(page, "compare-table")[""]) == 2


def test_one_therapist_invites_adding_another(client):
    john_and_mia()
    status, page = page_of(client, "?t=john-wintertime&t=john-wintertime")
    assert status == 200
    assert "You have chosen" in page and "John Wintertime" in page
    assert "Add at least one more therapist" in page
    assert 'href="/therapists"' in page
    assert "compare-table" not in page


def test_no_therapist_explains_how_to_choose(client):
    status, page = page_of(client, "")
    assert status == 200
    assert "Choose two to 4 therapists" in page


def test_the_page_is_not_for_search_engines(client):
    john_and_mia()
    response = client.get("/compare?t=john-wintertime&t=mia-laurent")
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_add_to_compare_keeps_a_list_and_goes_back(client):
    john_and_mia()
    response = add(client, "john-wintertime", next="/therapists/john-wintertime")
    assert response.status_code == 303
    assert response.headers["Location"] == "/therapists/john-wintertime"
    assert tray(client) == ["john-wintertime"]

    profile = client.get("/therapists/john-wintertime").get_data(as_text=True)
    assert "John Wintertime is on your compare list. Add one more to compare." in profile
    assert 'action="/compare/remove"' in profile and "Remove from compare" in profile
    assert 'href="/compare?t=john-wintertime"' in profile  # the header link
    assert '<span class="compare-count">1</span>' in profile

    add(client, "mia-laurent", next="/therapists/mia-laurent")
    add(client, "mia-laurent", next="/therapists/mia-laurent")  # twice is once
    assert tray(client) == ["john-wintertime", "mia-laurent"]
    home = client.get("/").get_data(as_text=True)
    assert 'href="/compare?t=john-wintertime&amp;t=mia-laurent"' in home

    # /compare without a list in the link shows the visitor's own list.
    response = client.get("/compare")
    assert response.status_code == 302
    assert response.headers["Location"] == "/compare?t=john-wintertime&t=mia-laurent"


def test_the_header_link_is_hidden_while_the_list_is_empty(client):
    john_and_mia()
    page = client.get("/therapists/john-wintertime").get_data(as_text=True)
    assert "<li data-compare-tray hidden>" in page
    assert 'action="/compare/add"' in page and "Add to compare" in page


def test_a_fifth_therapist_is_refused_and_the_four_are_kept(client):
    clinic = create_clinic()
    slugs = [create_therapist(clinic, slug=f"t-{n}").slug for n in range(5)]
    db.session.commit()
    for slug in slugs[:4]:
        add(client, slug)
    response = add(client, slugs[4], next="/")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert tray(client) == slugs[:4]
    page = client.get("/").get_data(as_text=True)
    assert "You can compare up to 4 therapists at a time. Remove one before adding" in page


def test_remove_and_clear(client):
    _, mia = john_and_mia()
    add(client, "john-wintertime")
    add(client, "mia-laurent")
    response = client.post(
        "/compare/remove", data={"slug": "john-wintertime", "next": "/compare?t=mia-laurent"}
    )
    assert response.headers["Location"] == "/compare?t=mia-laurent"
    assert tray(client) == ["mia-laurent"]
    # A therapist unlisted since it was added can still be taken off the list.
    mia.is_published = False
    db.session.commit()
    client.post("/compare/remove", data={"slug": "mia-laurent"})
    assert tray(client) == []
    add(client, "john-wintertime")
    client.post("/compare/clear", data={"next": "/"})
    assert tray(client) == []


def test_a_therapist_unlisted_after_adding_drops_off_the_list_at_the_404(client):
    _, mia = john_and_mia()
    add(client, "john-wintertime")
    add(client, "mia-laurent")
    mia.is_published = False
    db.session.commit()
    response = client.get("/compare?t=john-wintertime&t=mia-laurent")
    assert response.status_code == 404
    assert "No listed therapist has the address &#39;mia-laurent&#39;." in response.text
    assert tray(client) == ["john-wintertime"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "",
    ],
)
def test_the_redirect_never_leaves_the_site(client, target):
    john_and_mia()
    response = add(client, "john-wintertime", next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/compare?t=john-wintertime"


def test_same_site_paths_keep_their_query():
    assert same_site_path("/therapists?q=thai&page=2") == "/therapists?q=thai&page=2"
    assert same_site_path("therapists") is None
    assert same_site_path(None) is None


def test_bad_input_to_the_forms_is_a_4xx(client):
    john_and_mia()
    assert add(client, "nobody").status_code == 404
    assert client.post("/compare/add", data={}).status_code == 400
    assert client.post("/compare/remove", data={"slug": " "}).status_code == 400
    assert client.get("/compare/add").status_code == 405
    assert tray(client) == []


def test_compare_js_gets_the_new_control_and_header_link(client):
    john_and_mia()
    response = client.post(
        "/compare/add",
        data={"slug": "john-wintertime", "next": "/therapists?q=thai"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["in_comparison"] is True and data["count"] == 1
    assert data["compare_url"] == "/compare?t=john-wintertime"
    assert data["category"] == "success"
    assert 'action="/compare/remove"' in data["toggle"]
    assert 'name="next" value="/therapists?q=thai"' in data["toggle"]
    assert "(John Wintertime)" in data["toggle"]
    assert "<li data-compare-tray>" in data["tray"]
    # No flash is left behind for the next page.
    assert "is on your compare list" not in client.get("/").get_data(as_text=True)


def test_the_forms_need_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        john_and_mia()
        client = app.test_client()
        assert add(client, "john-wintertime").status_code == 400
        page = client.get("/therapists/john-wintertime").get_data(as_text=True)
        token = re.search(
            r'action="/compare/add">\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
            page,
        ).group(1)
        response = add(client, "john-wintertime", csrf_token=token)
        assert response.status_code == 303
        assert tray(client) == ["john-wintertime"]
