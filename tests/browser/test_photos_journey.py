"""An owner adds a headshot and clinic photos; a visitor sees and reports one; a moderator
takes it down."""

from __future__ import annotations

from playwright.sync_api import expect

from directory.clinics.models import Membership, Role
from directory.extensions import db
from tests.browser.helpers import sign_in
from tests.factories import create_clinic, create_therapist, create_user
from tests.photos import samples
from tests.public.builders import index


def a_clinic_with_john(make_app) -> int:
    with make_app().app_context():
        owner = create_user("owner@example.com", display_name="Nok Owner")
        create_user("moderator@example.com", platform_role="moderator")
        clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak")
        db.session.add(Membership(clinic_id=clinic.id, user_id=owner.id, role=Role.OWNER))
        john = create_therapist(
            clinic,
            "John Wintertime",
            slug="john-wintertime",
            headline="Registered massage therapist and rehabilitation specialist",
        )
        colleague = create_therapist(clinic, "Mia Laurent", slug="mia-laurent")
        index(john, colleague)
        therapist_id = john.id
        db.session.remove()
        return therapist_id


def test_owner_adds_photos_a_visitor_reports_one_and_a_moderator_takes_it_down(
    live_server, page, artifacts_dir, database_url, make_app, tmp_path
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    therapist_id = a_clinic_with_john(make_app)
    headshot = tmp_path / "john.jpg"
    headshot.write_bytes(samples.jpeg_with_gps(size=(900, 1200), orientation=1))
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_bytes(samples.TEXT_FILE)
    room = tmp_path / "room.png"
    room.write_bytes(samples.png((1200, 800)))
    main = page.get_by_role("main")

    sign_in(page, live_server, "owner@example.com")
    page.goto(f"{live_server}/manage/bang-rak/therapists/{therapist_id}/edit")
    page.get_by_role("link", name="Add a photo").click()

    page.get_by_label("Photo", exact=True).set_input_files(not_a_photo)
    main.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("This file is not a photo we can read")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"photos-refused-{kind}.png", full_page=True)

    page.get_by_label("Photo", exact=True).set_input_files(headshot)
    main.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The photo of John Wintertime is saved")).to_be_visible()
    expect(main.get_by_role("img", name="Photo of John Wintertime")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"photos-console-headshot-{kind}.png", full_page=True)

    page.get_by_role("link", name="Photos", exact=True).click()
    page.get_by_label("Photo", exact=True).set_input_files(room)
    page.get_by_label("What the photo shows").fill("Treatment room with a massage table")
    main.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The photo is added to the clinic's page")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server + "/therapists/john-wintertime")
        photo = main.get_by_role("img", name="Photo of John Wintertime")
        expect(photo).to_be_visible()
        assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
        page.screenshot(path=artifacts_dir / f"photos-profile-{width}-{kind}.png")
        page.goto(live_server + "/therapists")
        expect(main.get_by_role("img", name="Photo of John Wintertime")).to_be_visible()
        expect(main.get_by_role("img", name="Mia Laurent")).to_have_attribute("data-initials", "ML")
        page.screenshot(path=artifacts_dir / f"photos-search-{width}-{kind}.png", full_page=True)
        page.goto(live_server + "/clinics/bang-rak")
        expect(main.get_by_role("img", name="Treatment room with a massage table")).to_be_visible()
        page.screenshot(path=artifacts_dir / f"photos-clinic-{width}-{kind}.png", full_page=True)

    page.goto(live_server + "/therapists/john-wintertime")
    main.get_by_role("link", name="Report this photo").click()
    page.get_by_label("What is wrong with this photo?").select_option(
        label="It does not show this therapist or clinic"
    )
    page.get_by_label("Note for the moderators").fill("This is not John.")
    main.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("A moderator will look at this photo")).to_be_visible()

    sign_in(page, live_server, "moderator@example.com")
    page.goto(live_server + "/moderation/photos")
    expect(page.get_by_text("This is not John.")).to_be_visible()
    page.get_by_label("Take the photo down").check()
    page.get_by_label("Reason (when taken down)").select_option(
        label="It does not show this therapist or clinic"
    )
    page.screenshot(path=artifacts_dir / f"photos-moderation-{kind}.png", full_page=True)
    main.get_by_role("button", name="Decide").click()
    expect(page.get_by_text("The photo is taken down")).to_be_visible()

    page.goto(live_server + "/therapists/john-wintertime")
    expect(main.get_by_role("img", name="John Wintertime")).to_have_attribute("data-initials", "JW")
