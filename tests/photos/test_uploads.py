"""Uploading photos in the console: what is kept, what is refused, and what is left behind."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from directory.clinics.models import Role
from directory.extensions import db
from directory.photos import services
from directory.photos.images import MAX_BYTES
from directory.photos.models import MAX_CLINIC_PHOTOS, Photo
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_therapist
from tests.photos import samples


@pytest.fixture
def clinic():
    return create_clinic("Bang Rak Thai Massage")


@pytest.fixture
def owner(clinic, client):
    user = member(clinic, Role.OWNER)
    sign_in(client, user)
    return user


@pytest.fixture
def therapist(clinic):
    return create_therapist(clinic, name="John Wintertime")


def media_files(app) -> list[str]:
    root = Path(app.instance_path) / "media"
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def photo_count() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Photo))


def upload_headshot(client, clinic, therapist, data: bytes, filename="photo.jpg", **fields):
    return client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/photo",
        data={"photo": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
    )


def upload_large(client, clinic, therapist, data: bytes):
    """Encoded by hand: the test client spools a body this large to a temporary file of
    its own that it never closes."""
    boundary = "photo-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    )
    return client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/photo",
        data=head.encode() + data + f"\r\n--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def served(client, name: str) -> bytes:
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    data = response.data
    response.close()  # the file it streamed
    return data


def test_a_jpeg_with_gps_comes_back_upright_as_webp_without_its_exif(
    app, client, clinic, owner, therapist
):
    original = samples.jpeg_with_gps(size=(1200, 900), orientation=6)
    assert samples.gps_of(original), "the sample must carry GPS to begin with"

    response = upload_headshot(client, clinic, therapist, original)

    assert response.status_code == 302
    photo = db.session.scalar(sa.select(Photo).where(Photo.therapist_id == therapist.id))
    for name, longest in ((photo.large_name, 800), (photo.small_name, 240)):
        data = served(client, name)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "WEBP"
            assert max(image.size) == longest
            # Orientation 6 means "turn 90° clockwise": the 1200 x 900 photo stands upright.
            assert image.height > image.width
            assert "exif" not in image.info and not image.getexif()
        assert samples.gps_of(data) == {}
        assert samples.CAMERA.encode() not in data
        assert b"Exif" not in data
    assert (photo.large_width, photo.large_height) == (600, 800)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (samples.JPEG_WITH_ZIP, "photo.jpg", "something more after the image"),
        (samples.PNG_WITH_HTML, "photo.png", "something more after the image"),
        (samples.HTML_WITH_IMAGE_HEADER, "photo.jpg", "not a photo we can read"),
        (samples.truncated_jpeg(), "photo.jpg", "incomplete or damaged"),
        (samples.truncated_png(), "photo.png", "incomplete or damaged"),
        (samples.fifty_megapixel_png(), "big.png", "(50 megapixels); the limit is 40"),
        (samples.TEXT_FILE, "photo.jpg", "not a photo we can read"),
        (b"", "empty.jpg", "The file is empty"),
    ],
    ids=[
        "jpeg-with-zip",
        "png-with-html",
        "html-with-gif-header",
        "truncated-jpeg",
        "truncated-png",
        "50-megapixel-png",
        "text-renamed-jpg",
        "empty",
    ],
)
def test_a_file_that_is_not_a_whole_acceptable_image_is_refused_and_nothing_is_stored(
    app, client, clinic, owner, therapist, data, filename, message
):
    response = upload_headshot(client, clinic, therapist, data, filename, alt_text="Me")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="photo-error"' in page
    assert message in page
    assert 'value="Me"' in page  # what was typed stays
    assert photo_count() == 0
    assert media_files(app) == []


def test_no_file_chosen_says_so_next_to_the_field(client, clinic, owner, therapist):
    response = client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/photo",
        data={"alt_text": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Choose a photo to upload." in response.get_data(as_text=True)


def test_a_file_just_over_10_mb_is_refused_with_the_limit(app, client, clinic, owner, therapist):
    data = samples.plain_jpeg() + b"\x00" * (MAX_BYTES + 10)
    response = upload_large(client, clinic, therapist, data)
    assert response.status_code == 422
    assert "the limit is 10 MB" in response.get_data(as_text=True)
    assert media_files(app) == []


def test_a_body_far_over_the_limit_answers_413_with_a_clear_message(
    app, client, clinic, owner, therapist
):
    response = upload_large(client, clinic, therapist, b"\xff" * (MAX_BYTES + 600_000))
    assert response.status_code == 413
    assert "larger than 10 MB, the limit for a photo" in response.get_data(as_text=True)
    assert photo_count() == 0
    assert media_files(app) == []


def test_ordinary_forms_keep_their_smaller_limit(client, clinic, owner, therapist):
    response = client.post(
        f"/manage/{clinic.slug}/therapists/{therapist.id}/edit",
        data={"name": "x" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 413


def test_png_and_webp_uploads_are_kept(app, client, clinic, owner, therapist):
    assert upload_headshot(client, clinic, therapist, samples.png(), "a.png").status_code == 302
    webp = io.BytesIO()
    samples.photo((500, 500)).save(webp, "WEBP")
    other = create_therapist(clinic, name="Ari Second")
    assert upload_headshot(client, clinic, other, webp.getvalue(), "b.webp").status_code == 302
    assert photo_count() == 2


def test_a_new_headshot_replaces_the_old_one_and_its_files(app, client, clinic, owner, therapist):
    upload_headshot(client, clinic, therapist, samples.plain_jpeg(colour=(10, 200, 10)))
    first = set(media_files(app))
    upload_headshot(client, clinic, therapist, samples.plain_jpeg(colour=(200, 10, 10)))
    assert photo_count() == 1
    assert len(media_files(app)) == 2
    assert not first & set(media_files(app))


def test_removing_a_headshot_takes_one_click_and_deletes_its_files(
    app, client, clinic, owner, therapist
):
    upload_headshot(client, clinic, therapist, samples.plain_jpeg())
    photo = db.session.scalar(sa.select(Photo))
    response = client.post(f"/manage/{clinic.slug}/photos/{photo.id}/delete")
    assert response.status_code == 302
    assert photo_count() == 0
    assert media_files(app) == []


def test_a_file_two_photos_share_stays_until_the_last_is_removed(
    app, client, clinic, owner, therapist
):
    other = create_therapist(clinic, name="Ari Twin")
    same = samples.plain_jpeg()
    upload_headshot(client, clinic, therapist, same)
    upload_headshot(client, clinic, other, same)
    assert len(media_files(app)) == 2  # one large and one small, shared
    first, second = db.session.scalars(sa.select(Photo).order_by(Photo.id)).all()
    client.post(f"/manage/{clinic.slug}/photos/{first.id}/delete")
    assert len(media_files(app)) == 2
    client.post(f"/manage/{clinic.slug}/photos/{second.id}/delete")
    assert media_files(app) == []


def test_a_rolled_back_upload_leaves_no_file(app, therapist):
    services.set_headshot(therapist, samples.plain_jpeg())
    assert len(media_files(app)) == 2
    db.session.rollback()
    assert media_files(app) == []
    assert photo_count() == 0


def test_a_rolled_back_removal_keeps_the_files(app, therapist):
    photo = services.set_headshot(therapist, samples.plain_jpeg())
    db.session.commit()
    services.remove_photo(photo)
    db.session.rollback()
    assert len(media_files(app)) == 2
    assert photo_count() == 1


def test_the_clinic_gallery_holds_eight_photos(app, client, clinic, owner):
    for index in range(MAX_CLINIC_PHOTOS):
        response = client.post(
            f"/manage/{clinic.slug}/photos",
            data={
                "photo": (io.BytesIO(samples.plain_jpeg(colour=(index * 20, 90, 90))), "r.jpg"),
                "alt_text": f"Room {index}",
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    files = media_files(app)
    response = client.post(
        f"/manage/{clinic.slug}/photos",
        data={"photo": (io.BytesIO(samples.plain_jpeg(colour=(1, 2, 3))), "r.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "The gallery holds 8 photos" in response.get_data(as_text=True)
    assert media_files(app) == files
    page = client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)
    assert page.count('alt="Room ') == MAX_CLINIC_PHOTOS
    assert page.index('alt="Room 0"') < page.index('alt="Room 7"')


def test_a_manager_may_set_headshots_but_not_remove_clinic_photos(app, client, clinic, therapist):
    photo = services.add_clinic_photo(clinic, samples.plain_jpeg())
    db.session.commit()
    sign_in(client, member(clinic, Role.MANAGER))
    response = upload_headshot(client, clinic, therapist, samples.plain_jpeg((300, 300)))
    assert response.status_code == 302
    assert client.post(f"/manage/{clinic.slug}/photos/{photo.id}/delete").status_code == 403
    assert client.get(f"/manage/{clinic.slug}/photos").status_code == 403
    assert photo_count() == 2


def test_another_clinics_photo_answers_404(app, client, clinic, owner):
    elsewhere = create_clinic("Elsewhere Clinic")
    photo = services.add_clinic_photo(elsewhere, samples.plain_jpeg())
    db.session.commit()
    response = client.post(f"/manage/{clinic.slug}/photos/{photo.id}/delete")
    assert response.status_code == 404
    assert photo_count() == 1
