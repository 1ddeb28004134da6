"""The home page: a search box, what is popular, the top cities, the best-rated therapists."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.search.engine import search
from directory.search.params import parse_search
from tests.factories import create_clinic, create_therapist
from tests.public.builders import give_terms, index, publish


def links(page: str, parameter: str) -> list[tuple[str, str, str]]:
    """(slug, name, count) of each home-page link to the search by `parameter`."""
    pattern = (
        rf'<a href="/therapists\?{parameter}=([^"]+)">([^<]+) '
        r'<span class="tag-count">([\d,]+)<span'
    )
    return re.findall(pattern, page)


def small_directory():
    """Three listed therapists in Toronto and one in Mississauga; one draft that counts for
    nothing."""
    toronto = create_clinic("Queen West", slug="queen-west", city_slug="toronto")
    mississauga = create_clinic("Port Credit", slug="port-credit", city_slug="mississauga")
    listed = [
        give_terms(create_therapist(toronto), ("thai", "swedish"), ("upper-back-pain",)),
        give_terms(create_therapist(toronto), ("thai",), ("upper-back-pain", "stress")),
        give_terms(create_therapist(toronto), ("thai", "swedish"), ("neck-pain",)),
        give_terms(create_therapist(mississauga), ("shiatsu",), ("upper-back-pain",)),
    ]
    draft = give_terms(
        create_therapist(mississauga, is_published=False), ("shiatsu", "reflexology"), ("stress",)
    )
    index(*listed, draft)
    return listed


def test_popular_modalities_conditions_and_cities_link_to_the_search(client):
    small_directory()
    page = client.get("/").get_data(as_text=True)

    assert links(page, "specialty") == [
        ("thai", "Thai", "3"),
        ("swedish", "Swedish", "2"),
        ("shiatsu", "Shiatsu", "1"),
    ]
    assert links(page, "condition") == [
        ("upper-back-pain", "Upper back pain", "3"),
        ("neck-pain", "Neck pain", "1"),
        ("stress", "Stress", "1"),
    ]
    assert links(page, "city") == [("toronto", "Toronto", "3"), ("mississauga", "Mississauga", "1")]
    assert "Reflexology" not in page  # only the draft practises it


def test_the_counts_are_what_the_search_finds(client):
    small_directory()
    home = client.get("/").get_data(as_text=True)
    for parameter in ("specialty", "condition", "city"):
        for slug, _name, count in links(home, parameter):
            found = search(parse_search(MultiDict({parameter: slug})))
            assert found.total == int(count), (parameter, slug)


def test_the_search_box_sends_words_and_a_place_to_the_search_page(client):
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/therapists"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    assert 'name="q"' in form.group(1) and 'name="near"' in form.group(1)
    assert '<label for="home-q">' in form.group(1) and '<label for="home-near">' in form.group(1)


def test_featured_therapists_stay(client):
    therapists = small_directory()
    publish(therapists[0], 5, 5, 4)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Highly rated therapists" in page
    assert f'href="/therapists/{therapists[0].slug}"' in page
    assert "4.7 ★ from 3 reviews" in page


def test_an_empty_directory_says_so_and_shows_no_popular_lists(client):
    page = client.get("/").get_data(as_text=True)
    assert "No therapists listed yet" in page
    assert "Popular kinds of massage" not in page and "Therapists by city" not in page


def test_listed_therapists_without_reviews_are_not_called_missing(client):
    small_directory()
    page = client.get("/").get_data(as_text=True)
    assert "No therapists listed yet" not in page
    assert "<strong>4</strong> therapists listed" in page


def test_the_cached_lists_follow_the_index(make_app):
    app = make_app(SEARCH_CACHE_SECONDS=300, REDIS_URL="")  # this process's memory
    with app.app_context():
        clinic = create_clinic()
        index(give_terms(create_therapist(clinic), ("thai",)))
        client = app.test_client()
        assert links(client.get("/").text, "specialty") == [("thai", "Thai", "1")]
        # A changed document moves the index to a new generation: no stale count.
        index(give_terms(create_therapist(clinic), ("thai",)))
        assert links(client.get("/").text, "specialty") == [("thai", "Thai", "2")]
