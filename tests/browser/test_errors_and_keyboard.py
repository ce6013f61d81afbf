"""Error pages, keyboard use and the Content-Security-Policy, as a browser sees them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from sar import PROJECT_ROOT
from sar.auth.models import Role

pytestmark = pytest.mark.browser

STATIC = PROJECT_ROOT / "sar" / "static"


def test_health_check_answers_for_the_load_balancer(page: Page) -> None:
    response = page.goto("/healthz")
    assert response is not None and response.status == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_an_unknown_address_shows_a_helpful_not_found_page(page: Page, axe: Callable[..., None]) -> None:
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page).to_have_title(re.compile(r"^Page not found"))
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe(page, what="the 404 page")
    page.get_by_role("link", name="Go to the start page").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_a_case_that_does_not_exist_is_not_found_for_signed_in_staff(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    response = page.goto("/cases/987654")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe(page, what="the 404 page when signed in")


@pytest.mark.parametrize("path", ["/sign-in", "/", "/cases", "/cases/new", "/deadlines"])
def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(
    path: str, page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto(path)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Skip to main content")
    expect(focused).to_be_visible()  # the GOV.UK skip link appears when it has focus
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_sign_in_form_works_with_the_keyboard_alone(page: Page, staff: Any) -> None:
    account = staff.new_account(Role.IG_OFFICER)
    assert account.enrolment_link
    page.goto(account.enrolment_link)  # a new account starts from its emailed set-up link
    page.keyboard.press("Tab")  # skip link
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "email":
            break
    page.keyboard.type(account.email)
    page.keyboard.press("Tab")
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-authenticator"))


PAGES_FOR_CSP = ["/", "/cases", "/cases/new", "/deadlines", "/account"]


def test_pages_run_under_the_strict_csp_without_violations_or_inline_scripts(
    page_as: Callable[..., Page], browser_problems: Any
) -> None:
    """No CSP bypass here: the browser enforces the app's policy, and any inline script would be reported."""
    page = page_as(Role.IG_OFFICER)
    for path in PAGES_FOR_CSP:
        response = page.goto(path)
        assert response is not None
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert page.locator("script:not([src])").count() == 0, f"{path} has an inline script"
        assert page.locator("[onclick], [onload], [onchange], [onsubmit]").count() == 0, f"{path} has inline handlers"
        # The page's own JavaScript ran (it marks the body), so the scripts it needs are allowed.
        expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    assert browser_problems.csp_violations == []
    assert browser_problems.script_errors == []


def test_on_a_phone_the_menu_opens_and_forms_fit_the_screen(
    page_as: Callable[..., Page], axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10 reflow: 320 CSS pixels wide
    for path in ("/", "/cases/new", "/account"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 320px screen"
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    service_navigation = page.locator(".govuk-service-navigation")
    expect(service_navigation.get_by_role("link", name="Cases")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(service_navigation.get_by_role("link", name="Cases")).to_be_visible()
    axe(page, what="the home page on a phone, menu open")


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/static/build/sar.css", "text/css"), ("/static/build/sar.js", "text/javascript")],
)
def test_the_app_serves_its_own_styles_and_scripts(page: Page, path: str, media_type: str) -> None:
    """The other browser tests load these from disk (see conftest._serve_static); here the app serves them."""
    response = page.request.get(path)
    assert response.status == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.body() == (STATIC / path.removeprefix("/static/")).read_bytes()
