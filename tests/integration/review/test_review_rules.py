"""The rules of review: detection by itself, decisions kept across register changes, consultations and the
consistency check blocking sign-off, the two-person rule, voiding, apply-to-all with undo, the schedule."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from sar.auth.models import Role, User
from sar.cases import service as intake
from sar.cases.models import PersonRole
from sar.extensions import db
from sar.review import consistency, is_signed_off, schedule, service, signoff
from sar.review.models import Consultation, DetectionRun, Outcome, SignOffState
from tests.integration.review.conftest import ReviewCase


def _decide_all(reviewed: ReviewCase, user: User) -> None:
    service.accept_all_proposed(reviewed.case, by=user)
    db.session.commit()


def test_detection_runs_by_itself_and_stores_findings_with_word_boxes_and_explanations(reviewed: ReviewCase) -> None:
    gary = reviewed.findings("Gary Pollard", reviewed.letter)
    assert len(gary) == 1
    finding = gary[0]
    assert (finding.page_number, finding.category, finding.role, finding.person_name) == (
        1,
        "person",
        "third_party",
        "Gary Pollard",
    )
    assert finding.proposed == "redact" and finding.proposed_code == "TP"
    assert finding.outcome is Outcome.PENDING
    assert "neighbour" in finding.explanation and "no consent" in finding.explanation
    # One box over the two words, on the second line of the letter (reportlab drew it 78 points from the top).
    [[x0, y0, x1, y1]] = finding.boxes
    assert 70 < x0 < x1 < 150 and 65 < y0 < y1 < 82
    assert reviewed.findings("Jo Bloggs", reviewed.letter)[0].proposed_code == "TP-PRO"
    assert reviewed.findings("Ayesha Khan", reviewed.letter)[0].role == "subject"


def test_a_register_change_reruns_detection_shows_what_changed_and_keeps_every_decision(
    reviewed: ReviewCase, make_user: Callable[..., User], run_jobs: Callable[[], None]
) -> None:
    officer = make_user(Role.IG_OFFICER)
    letter_gary = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    service.decide(letter_gary, "keep", by=officer, reason="The requester already knows he made the report")
    db.session.commit()

    # Gary consents: recorded on the register, detection re-runs by itself through case_changed.
    service.record_consent(reviewed.person("Gary Pollard"), True, date(2026, 11, 20), "by phone", by=officer)
    run_jobs()

    after = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    assert after.id == letter_gary.id
    assert after.proposed == "keep" and "consented" in after.explanation
    assert after.outcome is Outcome.KEEP and after.reason == "The requester already knows he made the report"
    run = db.session.scalars(select(DetectionRun).order_by(DetectionRun.id.desc())).first()
    assert run is not None and run.reason == "consent recorded"
    assert run.changed == 2 and run.decisions_kept == 1
    assert any("Gary Pollard" in change and "redact → keep" in change for change in run.changes)

    # A person added to the register: the re-run adds what it newly finds, and nothing decided is lost.
    intake.update_person(
        reviewed.person("Jo Bloggs"),
        intake.PersonDetails(full_name="Jo Bloggs", relationship="neighbour"),
        role=PersonRole.THIRD_PARTY,
        by=officer,
    )
    run_jobs()
    jo = reviewed.findings("Jo Bloggs", reviewed.note)[0]
    assert jo.proposed == "redact" and jo.role == "third_party"
    kept = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    assert kept.outcome is Outcome.KEEP and kept.decided_by_label == officer.email


def test_detection_that_finds_nothing_new_does_nothing(reviewed: ReviewCase, run_jobs: Callable[[], None]) -> None:
    runs = len(db.session.scalars(select(DetectionRun)).all())
    from sar.review.detection import request_detection

    request_detection(reviewed.case.id, "evidence received")
    run_jobs()
    assert len(db.session.scalars(select(DetectionRun)).all()) == runs


def test_two_people_are_needed_and_the_same_person_cannot_sign_off(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    _decide_all(reviewed, reviewer)
    with pytest.raises(signoff.SignOffRefused, match="not been marked ready"):
        signoff.sign_off(reviewed.case, by=dpo)
    signoff.mark_ready(reviewed.case, by=reviewer)
    with pytest.raises(signoff.SignOffRefused, match="second person"):
        signoff.sign_off(reviewed.case, by=reviewer)
    assert not is_signed_off(reviewed.case)
    signoff.sign_off(reviewed.case, by=dpo)
    db.session.commit()
    assert is_signed_off(reviewed.case)


def test_any_later_change_to_a_decision_voids_the_sign_off(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    _decide_all(reviewed, reviewer)
    signoff.mark_ready(reviewed.case, by=reviewer)
    signoff.sign_off(reviewed.case, by=dpo)
    db.session.commit()

    service.decide(reviewed.findings("Jo Bloggs", reviewed.letter)[0], "redact", by=reviewer, code="SW-SH")
    db.session.commit()

    assert not is_signed_off(reviewed.case)
    review = signoff.review_of(reviewed.case.id)
    assert review is not None and review.state is SignOffState.IN_REVIEW
    assert "voided" in review.voided_reason and "Jo Bloggs" in review.voided_reason


def test_a_code_that_needs_a_consultation_blocks_sign_off_until_it_is_recorded(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    _decide_all(reviewed, reviewer)
    service.withhold_page(reviewed.note, 1, by=reviewer, code="HEALTH-SH", reason="CAMHS assessment")
    [consultation] = db.session.scalars(select(Consultation)).all()
    assert consultation.code == "HEALTH-SH" and consultation.is_open
    with pytest.raises(signoff.SignOffRefused, match="consultations"):
        signoff.mark_ready(reviewed.case, by=reviewer)

    with pytest.raises(service.ReviewError, match="date of the opinion"):
        service.record_consultation(
            consultation,
            by=reviewer,
            consultee="Dr A Patel, CAMHS consultant",
            opinion="Serious harm likely",
            opinion_date=None,
        )
    service.record_consultation(
        consultation,
        by=reviewer,
        consultee="Dr A Patel, CAMHS consultant",
        opinion="Serious harm likely",
        opinion_date=date(2026, 11, 10),
    )
    signoff.mark_ready(reviewed.case, by=reviewer)
    signoff.sign_off(reviewed.case, by=dpo)
    assert is_signed_off(reviewed.case)


def test_social_work_serious_harm_needs_a_team_managers_reasons(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    _decide_all(reviewed, reviewer)
    service.decide(reviewed.findings("Gary Pollard", reviewed.note)[0], "exemption", by=reviewer, code="SW-SH")
    service.decide(reviewed.findings("Gary Pollard", reviewed.letter)[0], "exemption", by=reviewer, code="SW-SH")
    consultations = db.session.scalars(select(Consultation).order_by(Consultation.document_id)).all()
    assert [c.kind.value for c in consultations] == ["social_work", "social_work"]
    assert any("consultations" in b.message for b in signoff.blockers(reviewed.case))
    for consultation in consultations:
        service.record_consultation(
            consultation,
            by=reviewer,
            consultee="M Rahman, team manager",
            opinion="Disclosure would put the child at risk",
            opinion_date=None,
        )
    assert not signoff.blockers(reviewed.case)


def test_the_consistency_check_lists_differences_and_refuses_sign_off_until_explained(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer, dpo = make_user(Role.IG_OFFICER), make_user(Role.DPO)
    _decide_all(reviewed, reviewer)
    # Gary redacted in the letter, disclosed in the note; the subject's own name redacted in the note.
    service.decide(reviewed.findings("Gary Pollard", reviewed.note)[0], "keep", by=reviewer)
    service.decide(reviewed.findings("Ayesha Khan", reviewed.note)[0], "redact", by=reviewer, code="TP")
    issues = consistency.check(reviewed.case)
    kinds = sorted(issue.kind for issue in issues)
    assert kinds == ["person", "subject"]
    person = next(issue for issue in issues if issue.kind == "person")
    assert {place.document_id for place in person.places} == {reviewed.letter.id, reviewed.note.id}
    with pytest.raises(signoff.SignOffRefused, match="inconsistencies"):
        signoff.mark_ready(reviewed.case, by=reviewer)

    consistency.explain(reviewed.case, person.key, "The note repeats what he told the family himself", by=reviewer)
    service.decide(reviewed.findings("Ayesha Khan", reviewed.note)[0], "keep", by=reviewer)  # resolved
    assert all(issue.explained for issue in consistency.check(reviewed.case))
    signoff.mark_ready(reviewed.case, by=reviewer)
    signoff.sign_off(reviewed.case, by=dpo)


def test_a_third_party_redacted_on_one_page_and_visible_on_another_is_listed(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    # Only the letter's mention is decided; the note's detector finding is removed as if never found.
    service.decide(reviewed.findings("Gary Pollard", reviewed.letter)[0], "accept", by=reviewer)
    db.session.delete(reviewed.findings("Gary Pollard", reviewed.note)[0])
    db.session.flush()
    visible = [issue for issue in consistency.check(reviewed.case) if issue.kind == "visible"]
    assert len(visible) == 1
    assert [p.document_id for p in visible[0].places] == [reviewed.letter.id, reviewed.note.id]


def test_apply_to_every_mention_of_a_person_counts_first_and_can_be_undone(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    service.decide(reviewed.findings("Gary Pollard", reviewed.letter)[0], "keep", by=reviewer, reason="known")
    scope = service.person_scope(reviewed.case, "P1")
    assert scope.count == 2 and scope.documents == 2
    batch = service.apply_scope(reviewed.case, scope, Outcome.REDACT, by=reviewer, code="TP", reason="neighbour")
    assert {f.outcome for f in reviewed.findings("Gary Pollard")} == {Outcome.REDACT}

    service.undo_batch(reviewed.case, batch.id, by=reviewer)
    letter, note = reviewed.findings("Gary Pollard")
    assert (letter.outcome, letter.reason) == (Outcome.KEEP, "known")
    assert note.outcome is Outcome.PENDING


def test_apply_to_every_occurrence_of_a_text_adds_what_detection_missed(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    scope = service.text_scope(reviewed.case, "health visitor")
    assert scope.count == 1 and not scope.findings
    batch = service.apply_scope(reviewed.case, scope, Outcome.REDACT, by=reviewer, code="TP")
    [added] = reviewed.findings("health visitor")
    assert added.outcome is Outcome.REDACT and added.boxes
    service.undo_batch(reviewed.case, batch.id, by=reviewer)
    assert reviewed.findings("health visitor") == []


def test_the_schedule_carries_who_when_what_the_exemption_and_why(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    _decide_all(reviewed, reviewer)
    service.withhold_page(reviewed.note, 1, by=reviewer, code="CRIME", reason="Police investigation")
    rows = list(csv.DictReader(io.StringIO("".join(schedule.rows(reviewed.case)))))
    gary = next(r for r in rows if r["text"] == "Gary Pollard" and r["document_id"] == str(reviewed.letter.id))
    assert gary["decision"] == "redact" and gary["exemption_code"] == "TP"
    assert gary["provision"] == "DPA 2018 Sch 2 Pt 3 para 16"
    assert "neighbour" in gary["why_flagged"] and gary["decided_by"] == reviewer.email and gary["decided_at"]
    page = next(r for r in rows if r["decision"] == "withhold page")
    assert page["exemption_code"] == "CRIME" and page["reviewer_reason"] == "Police investigation"


def test_every_decision_is_audited_with_its_author(reviewed: ReviewCase, make_user: Callable[..., User]) -> None:
    from sar.audit import AuditEvent

    reviewer = make_user(Role.IG_OFFICER)
    service.decide(reviewed.findings("Gary Pollard", reviewed.letter)[0], "accept", by=reviewer)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.decided")).one()
    assert (
        event.actor_id == reviewer.id
        and "Gary Pollard" in event.summary
        and event.after == {"outcome": "redact", "code": "TP"}
    )


def test_accepted_app_has_the_catalogue(app: Flask) -> None:
    from sar.review import catalogue

    codes = catalogue.by_code()
    assert {"TP", "TP-PRO", "SW-SH", "HEALTH-SH", "CHILD-ABUSE", "MUE"} <= set(codes)
    assert codes["HEALTH-SH"].consultation.value == "health"
    assert "TP-PRO" not in {e.code for e in catalogue.redaction_codes()}


def test_a_consultation_is_no_longer_needed_once_its_code_is_not_used(
    reviewed: ReviewCase, make_user: Callable[..., User]
) -> None:
    reviewer = make_user(Role.IG_OFFICER)
    _decide_all(reviewed, reviewer)
    gary = reviewed.findings("Gary Pollard", reviewed.letter)[0]
    service.decide(gary, "exemption", by=reviewer, code="HEALTH-OP")
    assert any("consultations" in b.message for b in signoff.blockers(reviewed.case))
    service.decide(gary, "exemption", by=reviewer, code="TP")
    assert not signoff.blockers(reviewed.case)
    service.decide(gary, "exemption", by=reviewer, code="HEALTH-OP")  # used again: needed again
    assert any("consultations" in b.message for b in signoff.blockers(reviewed.case))


def test_a_refusal_or_consent_feeds_detection_and_changing_the_answer_reruns_it(
    reviewed: ReviewCase, make_user: Callable[..., User], run_jobs: Callable[[], None]
) -> None:
    officer = make_user(Role.IG_OFFICER)
    runs = len(db.session.scalars(select(DetectionRun)).all())

    # Gary refuses: a refusal is a fact of the register, so detection runs again and names it.
    service.record_consent(reviewed.person("Gary Pollard"), False, date(2026, 11, 20), "by letter", by=officer)
    run_jobs()
    assert len(db.session.scalars(select(DetectionRun)).all()) == runs + 1
    for gary in reviewed.findings("Gary Pollard"):
        assert (gary.proposed, gary.proposed_code) == ("redact", "TP")
        assert "refused consent" in gary.explanation

    # He changes his mind: his mentions are now proposed for disclosure.
    service.record_consent(reviewed.person("Gary Pollard"), True, date(2026, 11, 22), "by phone", by=officer)
    run_jobs()
    assert {g.proposed for g in reviewed.findings("Gary Pollard")} == {"keep"}

    # A professional who refuses is still normally disclosed (Sch 2 para 17), but the refusal must be weighed.
    service.record_consent(reviewed.person("Jo Bloggs"), False, date(2026, 11, 22), "", by=officer)
    run_jobs()
    for jo in reviewed.findings("Jo Bloggs"):
        assert jo.proposed == "review" and jo.outcome is Outcome.PENDING
        assert "refused consent" in jo.explanation and "para 17" in jo.explanation
