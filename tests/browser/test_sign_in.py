"""Signing in with a password and an authenticator app, the way staff do it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Page, expect

from sar.auth.models import Role

pytestmark = pytest.mark.browser


def test_first_sign_in_sets_up_mfa_and_later_sign_ins_ask_for_a_code(
    page: Page, staff: Any, axe: Callable[..., None]
) -> None:
    account = staff.new_account(Role.IG_OFFICER, full_name="Nadia Whitaker")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    axe(page, what="sign-in page")

    staff.enter_password(page, account)
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-authenticator"))
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    axe(page, what="MFA enrolment page")

    account.totp_secret = staff.secret_shown_on(page)
    assert re.fullmatch(r"[A-Z2-7]{16,}", account.totp_secret), "the key is a base32 TOTP secret"
    page.get_by_label("Code from your authenticator app").fill(account.next_code())
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = staff.recovery_codes_on(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    axe(page, what="recovery codes page")
    page.get_by_role("button", name="I have saved these codes").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Nadia Whitaker").first).to_be_visible()
    axe(page, what="home page")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in"))

    staff.enter_password(page, account)
    expect(page).to_have_url(re.compile(r"/sign-in/security-code"))
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    axe(page, what="security code page")
    page.get_by_label("Security code").fill(account.next_code())
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_wrong_code_is_refused_with_an_error_summary_and_a_recovery_code_works(
    page: Page, staff: Any, axe: Callable[..., None]
) -> None:
    account = staff.new_account(Role.AUDITOR)
    staff.enter_password(page, account)
    staff.complete_sign_in(page, account)
    page.get_by_role("button", name="Sign out").click()

    staff.enter_password(page, account)
    right = pyotp.TOTP(account.totp_secret or "").now()
    page.get_by_label("Security code").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe(page, what="security code page with an error")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Security code")).to_be_focused()

    page.get_by_label("Security code").fill(account.recovery_codes[0].upper())
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text(re.compile(r"You have 9 recovery codes left"))).to_be_visible()


def test_a_wrong_password_shows_one_error_that_does_not_say_which_part_was_wrong(
    page: Page, staff: Any, axe: Callable[..., None]
) -> None:
    account = staff.new_account(Role.IG_OFFICER)
    account.password = "not the right password at all"
    staff.enter_password(page, account)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    axe(page, what="sign-in page with an error")


def test_a_demo_account_signs_in_with_the_password_seed_demo_prints(page: Page, staff: Any) -> None:
    from sar.demo import DEMO_PASSWORD, STAFF

    dpo = next(person for person in STAFF if Role.DPO in person.roles)
    account = staff.existing_account(dpo.email, DEMO_PASSWORD, Role.DPO)
    staff.enter_password(page, account)
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-authenticator"))
    staff.complete_sign_in(page, account)
    expect(page.get_by_text(dpo.full_name).first).to_be_visible()
    expect(page.get_by_role("link", name="Audit log").first).to_be_visible()


def test_repeated_wrong_passwords_never_reveal_that_the_account_exists(page: Page, staff: Any) -> None:
    # The delay after repeated failures answers exactly as an unknown email does; the account
    # holder hears about it by email instead (tests/integration/auth/test_lockout.py).
    account = staff.new_account(Role.IG_OFFICER)
    right_password = account.password
    account.password = "this is not the password"
    for _ in range(5):
        staff.enter_password(page, account)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(summary).not_to_contain_text("locked")

    account.password = right_password
    staff.enter_password(page, account)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_url(re.compile(r"/sign-in(/enrol/\S+)?$"))
