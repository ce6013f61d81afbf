"""Reviewing a case in the browser: a document end to end with the keyboard alone, a decision applied across the
case (count first, then undo), the consistency check, and the two-person sign-off."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from sar.auth.models import Role
from sar.extensions import db
from tests.browser.review_data import ReviewData, add_documents, new_case

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)


@pytest.fixture
def review_case(live_server: Any) -> ReviewData:
    return add_documents(live_server.app, new_case(live_server.app, f"{next(_numbers):04d}"))


def _outcomes(live_server: Any, data: ReviewData) -> list[str]:
    from sar.review.models import ReviewFinding

    with live_server.app.app_context():
        return [
            o.value
            for o in db.session.scalars(
                select(ReviewFinding.outcome).where(ReviewFinding.case_id == data.case_id).order_by(ReviewFinding.id)
            )
        ]


def test_a_document_is_reviewed_end_to_end_with_the_keyboard_alone(
    page_as: Callable[..., Page], live_server: Any, review_case: ReviewData, axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{review_case.case_id}/review")
    axe(page, what="review overview")
    link = page.locator(f'main a[href*="/documents/{review_case.letter_id}/pages/"]')
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page 1 of 2")
    expect(page.locator(".sar-page__image")).to_have_attribute("loading", "lazy")
    axe(page, what="review page")

    # j selects the first finding, a accepts it; the server sends the reviewer on to the next one, selected.
    findings = page.locator("[data-sar-finding]")
    count = findings.count()
    assert count >= 2
    page.keyboard.press("j")
    expect(findings.first).to_be_focused()
    for _ in range(count):
        with page.expect_navigation():
            page.keyboard.press("a")
        if page.locator(".sar-finding--pending").count():
            expect(page.locator(".sar-finding--current")).to_be_focused()
    expect(page.locator(".sar-finding--pending")).to_have_count(0)
    # r rejects a proposal: the subject's own name goes from disclose to redact, then back with a.
    redacted = page.locator(".sar-finding--redact").count()
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("r")
    expect(page.locator(".sar-finding--redact")).not_to_have_count(redacted)

    # n goes to the next page; p back.
    with page.expect_navigation():
        page.keyboard.press("n")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page 2 of 2")
    with page.expect_navigation():
        page.keyboard.press("p")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page 1 of 2")

    # A box drawn with the keyboard: b starts it, arrows move it, Enter fills in the form, then submit.
    page.keyboard.press("b")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#box-code")).to_be_focused()
    assert page.locator("#box-x0").input_value() != ""
    page.keyboard.press("Tab")  # the reason is hidden: the next stop is the button
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Area redacted")
    assert "pending" not in _outcomes(live_server, review_case)[:count]


def test_a_decision_is_applied_to_every_mention_with_the_count_first_and_undone(
    page_as: Callable[..., Page], live_server: Any, review_case: ReviewData, axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{review_case.case_id}/review")
    page.get_by_role("link", name=f"Redact every mention of {review_case.third_party}").click()
    expect(page.locator("#apply-count")).to_contain_text("2 mentions in 2 documents")
    axe(page, what="apply to every mention")
    assert "redact" not in _outcomes(live_server, review_case)  # nothing changed yet
    page.get_by_role("button", name=re.compile("Redact all 2")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 changed")
    assert _outcomes(live_server, review_case).count("redact") == 2
    page.get_by_role("button", name=re.compile("Undo")).first.click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Undone")
    assert "redact" not in _outcomes(live_server, review_case)


def test_the_consistency_check_links_to_each_place_and_takes_an_explanation(
    page_as: Callable[..., Page], live_server: Any, review_case: ReviewData, axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    from sar.review import service
    from sar.review.models import ReviewFinding

    with live_server.app.app_context():
        from sar.auth.models import User

        officer = db.session.scalars(select(User).where(User.email.like("priya.raman@%"))).one()
        for document_id, action in ((review_case.letter_id, "redact"), (review_case.note_id, "keep")):
            finding = db.session.scalars(
                select(ReviewFinding).where(ReviewFinding.document_id == document_id, ReviewFinding.person_ref == "P1")
            ).one()
            service.decide(finding, action, by=officer, code="TP")
        db.session.commit()
    page.goto(f"/cases/{review_case.case_id}/review/consistency")
    expect(page.locator("#consistency-summary")).to_contain_text("1 to resolve or explain")
    axe(page, what="consistency check")
    place = page.get_by_role("link", name=re.compile(r"Disclose: .* document \d+, page 1"))
    expect(place).to_have_attribute("href", re.compile(f"/documents/{review_case.note_id}/pages/1$"))
    page.get_by_label("Why this is right").fill("He told the family himself that he called")
    page.get_by_role("button", name="Save the explanation").click()
    expect(page.locator("#consistency-summary")).to_contain_text("0 to resolve or explain, 1 explained")


def test_the_same_person_cannot_sign_off_and_a_second_person_can(
    page_as: Callable[..., Page], live_server: Any, review_case: ReviewData, axe: Callable[..., None], staff: Any
) -> None:
    reviewer = page_as(Role.IG_OFFICER)
    reviewer.goto(f"/cases/{review_case.case_id}/review")
    reviewer.get_by_role("button", name="Mark ready for sign-off").click()
    # Refused: the overview again, with the one error summary saying why (no JavaScript involved).
    expect(reviewer.locator(".govuk-error-summary")).to_contain_text("findings need a decision")
    axe(reviewer, what="sign-off refused")
    result = live_server.app.test_cli_runner().invoke(
        args=["review", "accept-proposed", review_case.reference, "--as", staff.account(Role.IG_OFFICER).email]
    )
    assert result.exit_code == 0, result.output
    reviewer.goto(f"/cases/{review_case.case_id}/review")
    reviewer.get_by_role("button", name="Mark ready for sign-off").click()
    expect(reviewer.locator("#sign-off ~ p").first).to_contain_text("Marked ready by")
    expect(reviewer.get_by_role("button", name="Sign off")).to_have_count(0)
    expect(reviewer.get_by_text("A second person (the DPO or another information governance officer)")).to_be_visible()

    dpo = page_as(Role.DPO)
    dpo.goto(f"/cases/{review_case.case_id}/review")
    axe(dpo, what="review ready for sign-off")
    dpo.get_by_role("button", name="Sign off").click()
    expect(dpo.locator(".govuk-notification-banner")).to_contain_text("Signed off")
    with live_server.app.app_context():
        from sar.cases.models import Case
        from sar.review import is_signed_off

        assert is_signed_off(db.session.get_one(Case, review_case.case_id))


def test_a_refused_redaction_shows_the_page_again_with_one_error_summary_linking_to_the_words(
    page_as: Callable[..., Page], review_case: ReviewData, axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{review_case.case_id}/review/documents/{review_case.letter_id}/pages/1")
    page.get_by_label("Words to redact").fill("elephant")
    page.get_by_role("button", name="Redact these words").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("does not appear on page 1")
    axe(page, what="review page with a refused redaction")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Words to redact")).to_be_focused()
    expect(page.get_by_label("Words to redact")).to_have_value("elephant")


def test_a_third_partys_refusal_is_recorded_on_its_own_page_and_bad_input_is_explained(
    page_as: Callable[..., Page], review_case: ReviewData, axe: Callable[..., None]
) -> None:
    page = page_as(Role.IG_OFFICER)
    page.goto(f"/cases/{review_case.case_id}/review")
    page.get_by_role("link", name=f"Record their answer for {review_case.third_party}").click()
    axe(page, what="consent page")
    page.get_by_role("button", name="Record their answer").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select whether they consent or refuse")
    expect(summary).to_contain_text("Enter the date of their answer")
    axe(page, what="consent page with errors")
    page.get_by_label("No, they refuse").check()
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record their answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("answer recorded")
    expect(page.locator("#main-content")).to_contain_text(f"{review_case.third_party} (third party")
    expect(page.locator("#main-content")).to_contain_text("refused on 20 November 2026")


def test_the_dpo_edits_an_exemption_on_a_form_kit_page(page_as: Callable[..., Page], axe: Callable[..., None]) -> None:
    page = page_as(Role.DPO)
    page.goto("/review/exemptions/REF")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name")
    axe(page, what="exemption edit with an error")
