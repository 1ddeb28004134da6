"""A new clinic owner finds their way in: "List your clinic" on the home page, the account
made on the way, the clinic, and back to the console from the header after signing in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.factories import PASSWORD

OWNER_EMAIL = "nok@example.com"


def test_a_new_owner_lists_a_clinic_and_finds_the_console_again(
    live_server, page, artifacts_dir, database_url
):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    main = page.get_by_role("main")

    page.goto(live_server + "/")
    invitation = page.locator("section.clinic-invitation")
    expect(invitation.get_by_role("heading", name="Run a massage clinic?")).to_be_visible()
    expect(
        page.get_by_role("contentinfo").get_by_role("link", name="List your clinic")
    ).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        invitation.scroll_into_view_if_needed()
        page.screenshot(path=artifacts_dir / f"ways-in-home-{width}-{kind}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Signed out, the invitation makes the account first, then comes back to the clinic.
    invitation.get_by_role("button", name="List your clinic").click()
    expect(main.get_by_text("your account first, then your clinic")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"ways-in-register-1280-{kind}.png")
    page.get_by_label("Your name").fill("Nok Owner")
    page.get_by_label("Email address").fill(OWNER_EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    main.get_by_role("button", name="Create account").click()

    # The account is confirmed from the inbox; the link signs in and leads on.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(main.get_by_text(OWNER_EMAIL)).to_be_visible()
    page.screenshot(path=artifacts_dir / f"ways-in-check-inbox-1280-{kind}.png")
    page.get_by_role("link", name="Development mailbox").click()
    page.get_by_role("link", name="Confirm your email address").click()
    page.locator("a[href*='/account/verify/']").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("List your clinic")
    page.get_by_label("Clinic name").fill("Silom Hands")
    page.get_by_label("Street address").fill("12 Silom Road")
    page.get_by_label("City").fill("Bangkok")
    main.get_by_role("button", name="Register the clinic").click()
    expect(page.get_by_text("Silom Hands is registered")).to_be_visible()
    expect(page).to_have_url(live_server + "/manage/silom-hands/")

    # The clinic's place sets its prices' currency: baht in Bangkok.
    page.get_by_role("link", name="Therapists").click()
    main.get_by_role("button", name="Add a therapist").click()
    expect(page.get_by_label("Currency")).to_have_value("THB")

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_text("You are signed out")).to_be_visible()
    sign_in(page, live_server, OWNER_EMAIL)
    expect(page).to_have_url(live_server + "/manage/silom-hands/")  # one clinic: its console

    page.goto(live_server + "/")
    header = page.locator("header.site-header")
    your_clinics = header.get_by_role("link", name="Your clinics")
    expect(your_clinics).to_be_visible()
    page.screenshot(path=artifacts_dir / f"ways-in-header-1280-{kind}.png")
    your_clinics.click()
    expect(page).to_have_url(live_server + "/manage/silom-hands/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    # On a phone the header's account links sit in its "Menu".
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    header.get_by_text("Menu").click()
    your_clinics = header.locator(".header-menu").get_by_role("link", name="Your clinics")
    expect(your_clinics).to_be_visible()
    page.screenshot(path=artifacts_dir / f"ways-in-header-390-{kind}.png")
    your_clinics.click()
    expect(page).to_have_url(live_server + "/manage/silom-hands/")
