"""Review reports its facts to the case status: the case list and the case page say where review stands
("In review", "Awaiting sign-off", "Returned for changes", "Signed off"), derived from review's own state."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from support import get_page, text_of

from sar.auth.models import Role, User
from sar.cases.models import CaseStatus
from sar.extensions import db
from sar.review import service
from tests.conftest import sign_in_as
from tests.integration.review.conftest import ReviewCase


def _listed_status(client: FlaskClient, reference: str) -> str:
    """The status tag in the case list's row for ``reference`` (the row also has a deadline tag)."""
    html = client.get("/cases").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr.*?</tr>", html, flags=re.S) if reference in r)
    tags = re.findall(r'class="govuk-tag[^"]*">\s*(.*?)\s*</strong>', row, flags=re.S)
    labels = {status.label for status in CaseStatus}
    return next(tag for tag in tags if tag in labels)


def _next_action(client: FlaskClient, case_id: int) -> str:
    html = get_page(client, f"/cases/{case_id}")
    action = html.find("dt", string=re.compile(r"\s*Next action\s*"))
    assert action is not None
    value = action.find_next_sibling("dd")
    # Shown in bold, not as a literal tag.
    assert value is not None and value.strong is not None and "<strong>" not in value.get_text()
    return text_of(value)


def test_the_case_list_and_page_follow_review_through_sign_off(
    reviewed: ReviewCase, make_user: Callable[..., User], app: Flask
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    as_reviewer, as_dpo = sign_in_as(app.test_client(), reviewer), sign_in_as(app.test_client(), dpo)
    case, reference = reviewed.case, reviewed.case.reference
    sign_off_url = f"/cases/{case.id}/review/sign-off"

    # Detection finished: the documents are review's, and the next action counts what still needs deciding.
    assert _listed_status(as_reviewer, reference) == "In review"
    assert _next_action(as_reviewer, case.id) == "2 documents await review"

    app.test_cli_runner().invoke(args=["review", "accept-proposed", reference, "--as", reviewer.email])
    assert _next_action(as_reviewer, case.id) == "Mark the review ready for sign-off"

    as_reviewer.post(sign_off_url, data={"step": "ready"})
    assert _listed_status(as_dpo, reference) == "Awaiting sign-off"
    assert _next_action(as_dpo, case.id) == "Awaiting sign-off by another officer"

    as_dpo.post(sign_off_url, data={"step": "return", "comments": "Check the neighbour's name on page 1"})
    assert _listed_status(as_reviewer, reference) == "Returned for changes"

    as_reviewer.post(sign_off_url, data={"step": "ready"})
    as_dpo.post(sign_off_url, data={"step": "sign_off"})
    assert _listed_status(as_reviewer, reference) == "Signed off: send the response"
    assert _next_action(as_reviewer, case.id) == "Build the response bundle"

    # A later change to a decision voids the sign-off, and the case is back in review.
    service.decide(reviewed.findings("Jo Bloggs", reviewed.letter)[0], "redact", by=reviewer, code="SW-SH")
    db.session.commit()
    assert _listed_status(as_reviewer, reference) == "In review"


def test_finish_review_gives_another_stages_demo_a_signed_off_case(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    from sar.review import is_signed_off
    from sar.review.demo import finish_review

    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    review = finish_review(reviewed.case, reviewer, dpo)
    assert is_signed_off(reviewed.case) and review.ready_by_id == reviewer.id and review.signed_off_by_id == dpo.id
    assert reviewed.case.status is CaseStatus.READY_TO_SEND
    assert finish_review(reviewed.case, reviewer, dpo) is review  # twice is harmless
