"""A person creates an account, confirms it from the mailbox (which signs them in), signs
out and back in, then signs out everywhere (a second device included)."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_register_confirm_sign_out_and_in(live_server, page, artifacts_dir, database_url):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    main = page.get_by_role("main")
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Find a massage therapist you can trust"
    )
    page.screenshot(path=artifacts_dir / f"home-{kind}.png", full_page=True)

    page.get_by_role("navigation").get_by_role("button", name="Create account").click()
    page.get_by_label("Your name").fill("Maya")
    page.get_by_label("Email address").fill("maya@example.com")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Repeat the password").fill("short")
    main.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Use between 10 and 128 characters.")).to_be_visible()
    expect(page.get_by_label("Email address")).to_have_value("maya@example.com")
    page.screenshot(path=artifacts_dir / f"register-error-{kind}.png", full_page=True)

    page.get_by_label("Password", exact=True).fill("a sensible password")
    page.get_by_label("Repeat the password").fill("a sensible password")
    main.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    page.screenshot(path=artifacts_dir / f"check-inbox-{kind}.png", full_page=True)

    page.get_by_role("link", name="Development mailbox").click()
    page.get_by_role("link", name="Confirm your email address").click()
    page.screenshot(path=artifacts_dir / f"mailbox-message-{kind}.png", full_page=True)
    page.locator("a[href*='/account/verify/']").click()
    expect(page.get_by_text("maya@example.com is confirmed")).to_be_visible()
    page.screenshot(path=artifacts_dir / f"account-confirmed-{kind}.png", full_page=True)

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill("maya@example.com")
    page.get_by_label("Password").fill("wrong password")
    main.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()
    page.get_by_label("Password").fill("a sensible password")
    main.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as maya@example.com")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()

    # Signed in on a second device too; "Sign out everywhere" on the account page ends both.
    other = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = other.new_page()
    phone.goto(live_server + "/sign-in")
    phone.get_by_label("Email address").fill("maya@example.com")
    phone.get_by_label("Password").fill("a sensible password")
    phone.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(phone.get_by_text("Signed in as maya@example.com")).to_be_visible()

    page.goto(live_server + "/account")
    page.screenshot(path=artifacts_dir / f"account-sessions-{kind}.png", full_page=True)
    page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.get_by_text("You are signed out everywhere.")).to_be_visible()
    phone.goto(live_server + "/account")
    expect(phone).to_have_url(re.compile(r"/sign-in"))
    other.close()
