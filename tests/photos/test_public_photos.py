"""Photos on public pages, serving the files, visitors' reports and moderators' decisions."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.moderation.reasons import PhotoReason
from directory.photos import services
from directory.photos.models import PhotoReport, PhotoReportState
from tests.clinics.test_console import sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.photos import samples
from tests.photos.test_uploads import media_files, photo_count
from tests.public.builders import index


@pytest.fixture
def clinic():
    return create_clinic("Bang Rak Thai Massage")


@pytest.fixture
def listed(clinic):
    therapist = create_therapist(clinic, name="John Wintertime")
    index(therapist)
    return therapist


@pytest.fixture
def headshot(listed):
    photo = services.set_headshot(listed, samples.plain_jpeg())
    db.session.commit()
    return photo


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def test_the_profile_shows_the_headshot_with_alt_text_and_lazy_loading(client, headshot, listed):
    page = client.get(f"/therapists/{listed.slug}").get_data(as_text=True)
    [tag] = [t for t in img_tags(page) if headshot.small_name in t]
    assert 'alt="Photo of John Wintertime"' in tag
    assert 'loading="lazy"' in tag
    assert f'width="{headshot.small_width}"' in tag and f'height="{headshot.small_height}"' in tag
    assert headshot.large_name in tag  # the srcset offers the large rendition
    assert f"/photos/{headshot.id}/report" in page


def test_without_a_photo_initials_stand_on_a_colour(client, listed):
    page = client.get(f"/therapists/{listed.slug}").get_data(as_text=True)
    assert re.search(r'class="portrait portrait-profile initials initials-\d"', page)
    assert 'data-initials="JW"' in page
    assert "/media/" not in page


def test_search_cards_the_clinic_page_and_compare_show_the_headshot(
    app, client, clinic, headshot, listed
):
    other = create_therapist(clinic, name="Ari Nopphon")
    index(other)

    search = client.get("/therapists").get_data(as_text=True)
    assert "2 therapists" in search
    assert headshot.small_name in search
    assert 'data-initials="AN"' in search  # the other card: initials
    clinic_page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert headshot.small_name in clinic_page and 'data-initials="AN"' in clinic_page
    compare = client.get(f"/compare?t={listed.slug}&t={other.slug}").get_data(as_text=True)
    assert headshot.small_name in compare and 'data-initials="AN"' in compare


def test_media_are_served_for_a_year_under_their_content_hash(client, headshot):
    response = client.get(f"/media/{headshot.large_name}")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == 365 * 24 * 3600
    assert "Set-Cookie" not in response.headers
    response.close()


@pytest.mark.parametrize("name", ["nothing.webp", "../config.py", "a" * 64 + ".webp", "x.png"])
def test_unknown_or_malformed_media_names_answer_404(client, name):
    assert client.get(f"/media/{name}").status_code == 404


def test_a_visitor_reports_a_photo_and_a_moderator_takes_it_down(app, client, headshot, listed):
    response = client.post(
        f"/photos/{headshot.id}/report", data={"reason": "not_them", "note": "Wrong person"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/therapists/{listed.slug}")
    report = db.session.scalar(sa.select(PhotoReport))
    assert (report.reason_code, report.state) == ("not_them", PhotoReportState.OPEN)

    moderator = create_user(platform_role="moderator")
    sign_in(client, moderator)
    queue = client.get("/moderation/photos").get_data(as_text=True)
    assert "Wrong person" in queue and headshot.large_name in queue

    response = client.post(
        f"/moderation/photos/{headshot.id}",
        data={"decision": "take_down", "reason": "not_them", "note": "Not him."},
    )
    assert response.status_code == 302
    assert photo_count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhotoReport)) == 0
    assert media_files(app) == []
    audit = db.session.scalar(sa.select(AuditEntry))
    assert (audit.action, audit.subject_type, audit.subject_id) == (
        "take_down_photo",
        "photo",
        headshot.id,
    )
    assert (audit.actor_id, audit.reason_code, audit.note) == (moderator.id, "not_them", "Not him.")
    page = client.get(f"/therapists/{listed.slug}").get_data(as_text=True)
    assert 'data-initials="JW"' in page


def test_a_moderator_dismisses_reports_and_the_photo_stays(client, headshot):
    services.report_photo(headshot, PhotoReason.INAPPROPRIATE)
    db.session.commit()
    sign_in(client, create_user(platform_role="moderator"))
    response = client.post(f"/moderation/photos/{headshot.id}", data={"decision": "dismiss"})
    assert response.status_code == 302
    assert photo_count() == 1
    assert db.session.scalar(sa.select(PhotoReport.state)) == PhotoReportState.DISMISSED
    assert db.session.scalar(sa.select(AuditEntry.action)) == "dismiss_photo_reports"
    assert "No reported photos." in client.get("/moderation/photos").get_data(as_text=True)
    again = client.post(f"/moderation/photos/{headshot.id}", data={"decision": "dismiss"})
    assert again.status_code == 409


def test_a_take_down_without_a_reason_is_refused_next_to_the_field(client, headshot):
    services.report_photo(headshot, PhotoReason.INAPPROPRIATE)
    db.session.commit()
    sign_in(client, create_user(platform_role="moderator"))
    response = client.post(f"/moderation/photos/{headshot.id}", data={"decision": "take_down"})
    assert response.status_code == 422
    assert "Choose the reason for taking the photo down." in response.get_data(as_text=True)
    assert photo_count() == 1


def test_only_moderators_see_reported_photos(client, headshot):
    sign_in(client, create_user())
    assert client.get("/moderation/photos").status_code == 404
    assert client.post(f"/moderation/photos/{headshot.id}", data={}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "bogus"}, "Choose one of the listed reasons."),
        ({"reason": "photo_other", "note": ""}, "Tell us what is wrong"),
        ({"reason": "not_them", "note": "x" * 1001}, "Keep it under 1,000 characters."),
    ],
)
def test_a_bad_report_is_refused_next_to_the_field_and_nothing_is_saved(
    client, headshot, data, message
):
    response = client.post(f"/photos/{headshot.id}/report", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhotoReport)) == 0


def test_the_report_page_shows_the_photo_and_the_reasons(client, headshot):
    page = client.get(f"/photos/{headshot.id}/report").get_data(as_text=True)
    assert "Report a photo of John Wintertime" in page
    assert headshot.small_name in page
    assert "Someone else&#39;s photo, used without permission" in page


def test_photos_the_public_cannot_see_cannot_be_reported(client, clinic, headshot, listed):
    draft = create_therapist(clinic, name="Draft Person", is_published=False)
    hidden = services.set_headshot(draft, samples.plain_jpeg(colour=(1, 1, 1)))
    db.session.commit()
    assert client.get(f"/photos/{hidden.id}/report").status_code == 404
    assert (
        client.post(f"/photos/{hidden.id}/report", data={"reason": "not_them"}).status_code == 404
    )
    assert client.get("/photos/999999/report").status_code == 404


def test_clinic_photos_can_be_reported_from_the_clinic_page(client, clinic):
    photo = services.add_clinic_photo(clinic, samples.plain_jpeg(), "Our front desk")
    db.session.commit()
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert 'alt="Our front desk"' in page
    assert f"/photos/{photo.id}/report" in page
    response = client.post(f"/photos/{photo.id}/report", data={"reason": "inappropriate"})
    assert response.headers["Location"].endswith(f"/clinics/{clinic.slug}")
    assert db.session.scalar(sa.select(PhotoReport.clinic_id)) == clinic.id


def test_a_new_headshot_replaces_the_shared_profile_and_search_pages(redis_app):
    client = redis_app.test_client()
    therapist = create_therapist(create_clinic("Shared Pages Clinic"), name="John Wintertime")
    index(therapist)
    for url in (f"/therapists/{therapist.slug}", "/therapists"):
        assert 'data-initials="JW"' in client.get(url).get_data(as_text=True)  # now stored

    photo = services.set_headshot(therapist, samples.plain_jpeg())
    db.session.commit()

    for url in (f"/therapists/{therapist.slug}", "/therapists"):
        assert photo.small_name in client.get(url).get_data(as_text=True)
