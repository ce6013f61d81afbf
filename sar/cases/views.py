"""Intake pages: log a request, the case list, the case page and the forms that change a case.

Views are thin: parse the form, call one service function, render or redirect. A refused form is
rendered with status 422 so the request's transaction is rolled back (sar.web): nothing half-saved.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from sar import calendar
from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.cases import forms, importer, queries, service, workflow
from sar.cases import history as case_history
from sar.cases import status as case_status
from sar.cases.export import RegisterIncomplete
from sar.cases.models import Case, CasePerson, EvidenceItem, Outcome, PersonRole, Right, TransferTarget
from sar.cases.panels import panels_for
from sar.extensions import db
from sar.forms import refused, show_error
from sar.pagination import requested_page

bp = Blueprint("cases", __name__, url_prefix="/cases")

# One-time intake form tokens issued to this browser session; a few, so two open tabs both still work.
_TOKENS_KEY = "case_form_tokens"
_TOKENS_KEPT = 10

FormResult = str | tuple[str, int] | BaseResponse


def _teams() -> tuple[list[tuple[int, str]], dict[int, Any]]:
    teams = service.active_teams()
    return [(t.id, t.name) for t in teams], {t.id: t for t in teams}


def _case(case_id: int) -> Case:
    return service.get_case(case_id)


def _open_case(case_id: int) -> Case:
    case = _case(case_id)
    if case.is_closed:
        # A closed case is a record of what was done: changes wait until it is reopened (with a reason).
        flash("This case is closed. Reopen it before changing it.")
        abort(redirect(url_for("cases.show_case", case_id=case.id)))
    return case


def _render_panels(case: Case, can_change: bool) -> list[Markup]:
    """Later stages' panels, each rendered with its own context merged over the case page's."""
    return [
        Markup(render_template(panel.template, case=case, can_change=can_change, panel=panel, **context))
        for panel, context in panels_for(case)
    ]


# --- log a request ---------------------------------------------------------------------------------------


def _issue_token() -> str:
    token = secrets.token_urlsafe(24)
    tokens = [*session.get(_TOKENS_KEY, []), token][-_TOKENS_KEPT:]
    session[_TOKENS_KEY] = tokens
    return token


def _spend_token(token: str) -> None:
    session[_TOKENS_KEY] = [t for t in session.get(_TOKENS_KEY, []) if t != token]


def _already_logged(case: Case) -> BaseResponse:
    flash(f"This request was already logged as {case.reference}. It has not been logged twice.")
    return redirect(url_for("cases.show_case", case_id=case.id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_case() -> FormResult:
    choices, teams = _teams()
    form = forms.IntakeForm(teams=choices)
    if request.method == "GET":
        form.form_token.data = _issue_token()
        return render_template("cases/new.html", form=form)

    token = form.form_token.data or ""
    existing = service.find_by_form_token(token) if token else None
    if existing is not None:
        return _already_logged(existing)
    if token not in session.get(_TOKENS_KEY, []):
        # Not a token this session was given (an expired session, or a form from elsewhere): start afresh.
        form.form_token.data = _issue_token()
        form.form_errors.append("This form has expired. Check the details and select ‘Log the request’ again.")
        return refused("cases/new.html", form=form)
    if not form.validate():
        return refused("cases/new.html", form=form)
    details = forms.case_details_from(form, teams)
    subject, requester = forms.subject_from(form), forms.requester_from(form)
    duplicates = queries.possible_duplicates(
        subject_name=subject.full_name,
        subject_born=subject.date_of_birth,
        requester_name=(requester or subject).full_name,
        received_on=calendar.council_date(details.received_at),
    )
    seen = {part for part in (form.duplicates_seen.data or "").split(",") if part}
    unseen = [match for match in duplicates if str(match.case.id) not in seen]
    if unseen:
        # Warn before logging: the officer sees the open cases (an audited view) and chooses.
        service.record_duplicate_check([match.case for match in duplicates], by=current_user)
        form.duplicates_seen.data = ",".join(str(match.case.id) for match in duplicates)
        return render_template("cases/new.html", form=form, duplicates=duplicates)
    try:
        case = service.log_case(
            details,
            subject=subject,
            requester=requester,
            logged_by=current_user,
            form_token=token,
        )
    except service.DuplicateSubmission as duplicate:
        return _already_logged(duplicate.case)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/new.html", form=form)
    except IntegrityError:
        # A double click raced the first submission to the unique form token: show the case that won.
        db.session.rollback()
        winner = service.find_by_form_token(token)
        if winner is None:
            raise
        return _already_logged(winner)
    _spend_token(token)
    flash(f"Request logged as {case.reference}", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


# --- the case list ---------------------------------------------------------------------------------------


@bp.get("")
@roles_required(*CASE_READERS)
def list_cases() -> FormResult:
    choices, _ = _teams()
    form = forms.CaseFilterForm(request.args)
    owners = [(str(u.id), u.full_name) for u in queries.owners_for_filter()]
    form.owner.choices = forms.choices([("", "Anyone"), ("none", "Nobody (unassigned)"), *owners])
    form.team.choices = forms.choices([("", "Any")] + [(str(i), name) for i, name in choices])
    valid = form.validate()
    filters = forms.filters_from(form) if valid else queries.CaseFilters()
    case_page = queries.search_cases(
        filters,
        page=requested_page(),
        sort=form.sort.data or queries.DEFAULT_SORT,
    )
    # The list shows names of children and requesters: a search is a view of case data.
    service.record_case_search(filters, case_page.total, by=current_user)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("cases/list.html", form=form, page=case_page, args=args, searched=bool(args), valid=valid)


# --- the case page ---------------------------------------------------------------------------------------


@bp.get("/<int:case_id>")
@roles_required(*CASE_READERS)
def show_case(case_id: int) -> str:
    case = _case(case_id)
    service.record_case_viewed(case, by=current_user)
    history = queries.case_history(case, page=requested_page("history_page"))
    can_change = current_user.has_role(*CASE_WORKERS)
    facts = case_status.facts_for(case)
    return render_template(
        "cases/show.html",
        case=case,
        facts=facts,
        derived=workflow.derive(facts),
        panels=_render_panels(case, can_change),
        history=case_history.page_of(case, history),
        # Views are audited too but would drown the changes: summarised (count, last viewer) instead.
        viewing=history,
        can_change=can_change,
        Right=Right,
        Outcome=Outcome,
        TransferTarget=TransferTarget,
        people_by_id={p.id: p for p in case.people},
        factors=forms.COMPETENCE_FACTORS,
        portability_note=forms.PORTABILITY_NOTE,
    )


@bp.get("/<int:case_id>/people.json")
@roles_required(*CASE_READERS)
def export_people(case_id: int) -> Response:
    case = _case(case_id)
    try:
        register = service.export_people_register(case, by=current_user)
    except RegisterIncomplete:
        abort(409)
    body = json.dumps(register, ensure_ascii=False, indent=2) + "\n"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{case.reference}-people.json"'},
    )


# --- changing the case -----------------------------------------------------------------------------------


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def edit_case(case_id: int) -> FormResult:
    case = _open_case(case_id)
    choices, teams = _teams()
    form = forms.CaseDetailsForm(teams=choices)
    if request.method == "GET":
        forms.fill_case_details(form, case)
        service.record_case_viewed(case, by=current_user, what="request details form")
        return render_template("cases/edit.html", form=form, case=case)
    if not form.validate():
        return refused("cases/edit.html", form=form, case=case)
    try:
        service.update_case(case, forms.case_details_from(form, teams), by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/edit.html", form=form, case=case)
    flash("Request details saved", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


@bp.route("/<int:case_id>/outcome", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def decide_outcome(case_id: int) -> FormResult:
    """Close the case with an outcome whose facts are recorded, or (once closed) reopen it with a reason."""
    case = _case(case_id)
    if case.is_closed:
        return _reopen(case)
    facts = case_status.facts_for(case)
    choices = workflow.outcome_choices(facts)
    form = forms.OutcomeForm(outcomes=[outcome for outcome, missing in choices if not missing])
    context = {"form": form, "case": case, "unavailable": [(o, m) for o, m in choices if m]}
    if request.method == "GET":
        if case.education_record:
            form.transferred_to.data = TransferTarget.SCHOOL_RECORD.value  # the school answers for its records
        return render_template("cases/outcome.html", **context)
    if not form.validate():
        return refused("cases/outcome.html", **context)
    try:
        service.decide_outcome(case, forms.closure_from(form), form.reason.data or "", by=current_user)
    except (workflow.TransitionError, service.CaseError) as problem:
        show_error(form, problem)
        return refused("cases/outcome.html", **context)
    flash(f"Case closed: {case.outcome.label if case.outcome else ''}", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


def _reopen(case: Case) -> FormResult:
    form = forms.ReopenForm()
    if request.method == "GET":
        return render_template("cases/reopen.html", form=form, case=case)
    if not form.validate():
        return refused("cases/reopen.html", form=form, case=case)
    try:
        service.reopen_case(case, form.reason.data or "", by=current_user)
    except workflow.TransitionError as problem:
        show_error(form, problem)
        return refused("cases/reopen.html", form=form, case=case)
    flash(f"Case reopened: it is now ‘{case.status.label}’", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


@bp.route("/<int:case_id>/withdrawal", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def record_withdrawal(case_id: int) -> FormResult:
    case = _open_case(case_id)
    form = forms.WithdrawalForm()
    if request.method == "GET":
        return render_template("cases/withdrawal.html", form=form, case=case)
    if not form.validate():
        return refused("cases/withdrawal.html", form=form, case=case)
    assert form.withdrawn_on.data is not None
    try:
        service.record_withdrawal(case, form.withdrawn_on.data, form.note.data or "", by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/withdrawal.html", form=form, case=case)
    flash("Withdrawal recorded. You can now close the case as withdrawn.", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


@bp.route("/<int:case_id>/owner", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def assign_owner(case_id: int) -> FormResult:
    case = _case(case_id)
    workers = service.case_workers()
    form = forms.OwnerForm()
    form.owner.choices = forms.choices([(0, "Nobody (unassigned)")] + [(u.id, u.full_name) for u in workers])
    if request.method == "GET":
        form.owner.data = case.owner_id or 0
        return render_template("cases/owner.html", form=form, case=case)
    if not form.validate():
        return refused("cases/owner.html", form=form, case=case)
    owner = next((u for u in workers if u.id == form.owner.data), None)
    try:
        service.assign_owner(case, owner, by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/owner.html", form=form, case=case)
    flash("Case owner saved", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


# --- the people register ---------------------------------------------------------------------------------


def _person(case: Case, person_id: int) -> CasePerson:
    person = next((p for p in case.people if p.id == person_id), None)
    if person is None:
        abort(404)
    return person


@bp.route("/<int:case_id>/people/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def add_person(case_id: int) -> FormResult:
    case = _open_case(case_id)
    form = forms.PersonForm()
    if request.method == "GET":
        form.role.data = request.args.get("role", PersonRole.THIRD_PARTY.value)
        return render_template("cases/person.html", form=form, case=case, person=None)
    if not form.validate():
        return refused("cases/person.html", form=form, case=case, person=None)
    try:
        service.add_person(case, PersonRole(form.role.data), forms.person_details_from(form), by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/person.html", form=form, case=case, person=None)
    flash("Person added to the register", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="people"))


@bp.route("/<int:case_id>/people/<int:person_id>", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def edit_person(case_id: int, person_id: int) -> FormResult:
    case = _open_case(case_id)
    person = _person(case, person_id)
    form = forms.PersonForm()
    if person.is_subject:
        # The subject's role is fixed; offer it as the only choice so the form still validates.
        form.role.choices = forms.choices([(PersonRole.DATA_SUBJECT.value, PersonRole.DATA_SUBJECT.label)])
    context = {"form": form, "case": case, "person": person}
    if request.method == "GET":
        forms.fill_person(form, person)
        service.record_case_viewed(case, by=current_user, what=f"register entry {person.id}")
        return render_template("cases/person.html", **context)
    if not form.validate():
        return refused("cases/person.html", **context)
    try:
        service.update_person(person, forms.person_details_from(form), role=PersonRole(form.role.data), by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/person.html", **context)
    flash("Register entry saved", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="people"))


@bp.route("/<int:case_id>/people/<int:person_id>/remove", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def remove_person(case_id: int, person_id: int) -> FormResult:
    case = _open_case(case_id)
    person = _person(case, person_id)
    form = forms.ConfirmForm()
    if request.method == "GET":
        return render_template("cases/remove_person.html", form=form, case=case, person=person)
    if not form.validate():
        return refused("cases/remove_person.html", form=form, case=case, person=person)
    try:
        service.remove_person(person, by=current_user)
    except service.CaseError as problem:
        form.form_errors.append(problem.message)
        return refused("cases/remove_person.html", form=form, case=case, person=person)
    flash("Removed from the register", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="people"))


# --- evidence ---------------------------------------------------------------------------------------------


def _evidence(case: Case, evidence_id: int) -> EvidenceItem:
    item = next((e for e in case.evidence if e.id == evidence_id), None)
    if item is None:
        abort(404)
    return item


@bp.route("/<int:case_id>/evidence/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def add_evidence(case_id: int) -> FormResult:
    case = _open_case(case_id)
    form = forms.EvidenceRequestForm()
    form.person_id.choices = forms.choices(
        [(0, "Not about one person")] + [(p.id, f"{p.full_name} ({p.role.label.lower()})") for p in case.people]
    )
    if request.method == "GET":
        requester = case.requester
        form.person_id.data = requester.id if requester else 0
        return render_template("cases/evidence_new.html", form=form, case=case)
    if not form.validate():
        return refused("cases/evidence_new.html", form=form, case=case)
    try:
        service.record_evidence_request(case, forms.evidence_request_from(form), by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/evidence_new.html", form=form, case=case)
    flash("Evidence recorded", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="evidence"))


@bp.route("/<int:case_id>/evidence/<int:evidence_id>/received", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def evidence_received(case_id: int, evidence_id: int) -> FormResult:
    case = _open_case(case_id)
    item = _evidence(case, evidence_id)
    form = forms.EvidenceReceiptForm()
    context = {"form": form, "case": case, "item": item, "step": "received"}
    if request.method == "GET":
        form.received_on.data = item.received_on
        form.what_arrived.data = item.what_arrived
        return render_template("cases/evidence_update.html", **context)
    if not form.validate():
        return refused("cases/evidence_update.html", **context)
    assert form.received_on.data is not None
    try:
        service.record_evidence_receipt(item, form.received_on.data, form.what_arrived.data or "", by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/evidence_update.html", **context)
    flash("Receipt recorded", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="evidence"))


@bp.route("/<int:case_id>/evidence/<int:evidence_id>/verified", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def evidence_verified(case_id: int, evidence_id: int) -> FormResult:
    case = _open_case(case_id)
    item = _evidence(case, evidence_id)
    form = forms.EvidenceVerifyForm()
    context = {"form": form, "case": case, "item": item, "step": "verified"}
    if request.method == "GET":
        return render_template("cases/evidence_update.html", **context)
    if not form.validate():
        return refused("cases/evidence_update.html", **context)
    assert form.verified_on.data is not None
    try:
        service.record_evidence_verification(item, current_user, form.verified_on.data, form.notes.data or "")
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/evidence_update.html", **context)
    flash("Verification recorded", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="evidence"))


# --- competence and best interests -----------------------------------------------------------------------


@bp.route("/<int:case_id>/competence", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def record_competence(case_id: int) -> FormResult:
    case = _open_case(case_id)
    form = forms.CompetenceForm()
    context = {"form": form, "case": case, "factors": forms.COMPETENCE_FACTORS}
    if request.method == "GET":
        if case.competence is not None:
            forms.fill_competence(form, case.competence)
            service.record_case_viewed(case, by=current_user, what="competence assessment form")
        elif not form.assessed_by.data:
            form.assessed_by.data = current_user.full_name
        return render_template("cases/competence.html", **context)
    if not form.validate():
        return refused("cases/competence.html", **context)
    try:
        service.record_competence_assessment(case, forms.competence_from(form), by=current_user)
    except service.CaseError as problem:
        show_error(form, problem)
        return refused("cases/competence.html", **context)
    flash("Competence assessment saved", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="competence"))


importer.register(bp)
