"""Review pages: a case's review overview, the page-by-page review, consistency, consultations, sign-off,
the schedule CSV and the exemption catalogue. Every core decision is a plain form (works without JavaScript);
review.js adds keyboard shortcuts and drawing boxes on the page image."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask import Response as FlaskResponse
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from sar import audit
from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.auth.models import Role
from sar.case_rows import of_case
from sar.cases.models import Case, CasePerson, PersonRole
from sar.cases.panels import CasePanel, register_case_panel
from sar.cases.service import record_case_viewed
from sar.cases.signals import case_changed
from sar.errors import DomainError
from sar.extensions import db
from sar.forms import refused, show_error
from sar.review import catalogue, cli, consistency, detection, forms, images, queries, schedule, service, signoff
from sar.review.models import Consultation, ConsultationKind, Exemption, Outcome
from sar.sources.models import Document, DocumentPage
from sar.sources.queries import document_of_case
from sar.sources.signals import pages_ready

bp = Blueprint("review", __name__, cli_group=None)
cli.register(bp)


def panel_context(case: Case) -> dict[str, Any]:
    review = signoff.review_of(case.id, create=False)
    return {"review_case": case, "review_progress": queries.progress(case.id), "review_state": review}


def _on_pages_ready(document: Document, **extra: Any) -> None:
    detection.request_detection(document.case_id, "document read")


def _on_case_changed(case: Case, **extra: Any) -> None:
    # Only a case with read pages has anything to detect in; the job itself skips a run that would change nothing.
    if db.session.scalar(select(DocumentPage.id).join(Document).where(Document.case_id == case.id).limit(1)):
        detection.request_detection(case.id, str(extra.get("reason", "case changed")))


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = cast(Flask, state.app)
    register_case_panel(app, CasePanel("review", "review/_case_panel.html", panel_context, 30))
    app.add_template_global(queries.progress, "review_progress")  # for gathering's document list
    pages_ready.connect(_on_pages_ready, weak=False)
    case_changed.connect(_on_case_changed, weak=False)


def _case(case_id: int) -> Case:
    return db.session.get_one(Case, case_id)


def _can_change(case: Case) -> bool:
    return bool(current_user.has_role(*CASE_WORKERS)) and not case.is_closed


def _open_case(case_id: int) -> Case:
    """The case a change is made to: a closed case refuses every change (403), whatever the form says."""
    case = _case(case_id)
    if case.is_closed:
        abort(403)
    return case


def _check(form: forms.ReviewForm) -> None:
    """The form's own checks (CSRF, lengths): the first failure is refused like a service's."""
    if not form.validate():
        raise DomainError(form.first_error(), next((f.name for f in form if f.errors), None))


def _data(field: Any, limit: int = 2000) -> str:
    return str(field.data or "").strip()[:limit]


def _int(name: str, *, source: Any = None) -> int | None:
    value = (source or request.form).get(name, "")
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _safe_next(default: str) -> str:
    """Only a path of this service: never an address the form could point anywhere else."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _page_url(case_id: int, document_id: int, number: int, anchor: str = "") -> str:
    url = url_for("review.page", case_id=case_id, document_id=document_id, number=number)
    return url + (f"#{anchor}" if anchor else "")


# --- overview ------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/review")
@roles_required(*CASE_READERS)
def overview(case_id: int) -> str:
    case = _case(case_id)
    record_case_viewed(case, by=current_user, what="review")
    return render_template("review/overview.html", **_overview_context(case))


def _overview_context(case: Case) -> dict[str, Any]:
    progress = queries.progress(case.id)
    documents = {
        d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(list(progress.per_document))))
    }
    third_parties = [p for p in case.people if p.role in (PersonRole.THIRD_PARTY, PersonRole.PROFESSIONAL)]
    return {
        "case": case,
        "progress": progress,
        "documents": [documents[d] for d in sorted(documents)],
        "review": signoff.review_of(case.id, create=False),
        "blockers": signoff.blockers(case),
        "runs": queries.latest_runs(case.id),
        "batches": queries.batches_of(case.id),
        "people": queries.people_in_findings(case.id),
        "third_parties": third_parties,
        "can_change": _can_change(case),
        "can_sign": current_user.has_role(*signoff.SIGNERS),
        "notes": queries.notes_of(case.id),
        "first_pages": {d: _first_page(d) for d in documents},
        "form": None,
    }


def _overview_refused(case: Case, form: forms.ReviewForm) -> tuple[str, int]:
    return refused("review/overview.html", **{**_overview_context(case), "form": form})


def _first_page(document_id: int) -> int:
    pending = queries.pending_pages(document_id)
    return pending[0] if pending else 1


# --- the page ------------------------------------------------------------------------------------------------


@bp.get("/cases/<int:case_id>/review/documents/<int:document_id>/pages/<int:number>")
@roles_required(*CASE_READERS)
def page(case_id: int, document_id: int, number: int) -> str | Response:
    case = _case(case_id)
    document = document_of_case(case.id, document_id)
    jump = _int("page", source=request.args)
    if jump is not None and "page" in request.args:
        target = min(max(jump, 1), max(document.page_count, 1))
        return redirect(url_for("review.page", case_id=case.id, document_id=document.id, number=target))
    record_case_viewed(case, by=current_user, what=f"review of document {document.id} page {number}")
    return render_template("review/page.html", **_page_context(case, document, number))


def _page_context(case: Case, document: Document, number: int) -> dict[str, Any]:
    page = db.session.execute(
        select(DocumentPage).where(DocumentPage.document_id == document.id, DocumentPage.number == number)
    ).scalar_one()
    findings = queries.findings_of_page(document.id, number)
    pending_pages = queries.pending_pages(document.id)
    return {
        "case": case,
        "document": document,
        "page": page,
        "findings": findings,
        "segments": _segments(page.text, findings),
        "withheld": queries.withheld_page(document.id, number),
        "flags": db.session.get(service.DocumentReview, document.id),
        "codes": catalogue.by_code(),
        "redaction_codes": catalogue.redaction_codes(),
        "next_pending": next((p for p in pending_pages if p > number), None),
        "pending_pages": set(pending_pages),
        "can_change": _can_change(case),
        "notes": queries.notes_of(case.id, document.id),
        "document_flags": service.DOCUMENT_FLAGS,
        "has_image": bool(document.working_key),
        "form": None,
    }


def _page_refused(case: Case, document: Document, number: int, form: forms.ReviewForm) -> tuple[str, int]:
    """The page again with the refused form's message beside its field and in the one error summary (422)."""
    if number < 1 or number > max(document.page_count, 1):
        number = 1
    return refused("review/page.html", **{**_page_context(case, document, number), "form": form})


def _segments(text: str, findings: list[Any]) -> list[tuple[str, Any]]:
    """The page text cut into plain runs and marked runs (one finding each), for the text view."""
    spans = sorted((f for f in findings if f.start >= 0), key=lambda f: (f.start, -f.end))
    out: list[tuple[str, Any]] = []
    position = 0
    for finding in spans:
        if finding.start < position:
            continue
        out.append((text[position : finding.start], None))
        out.append((text[finding.start : finding.end], finding))
        position = finding.end
    out.append((text[position:], None))
    return out


@bp.get("/cases/<int:case_id>/review/documents/<int:document_id>/pages/<int:number>.png")
@roles_required(*CASE_READERS)
def page_image(case_id: int, document_id: int, number: int) -> Response:
    case = _case(case_id)
    document = document_of_case(case.id, document_id)
    try:
        content = images.page_png(document, number)
    except images.NoImage:
        abort(404)
    record_case_viewed(case, by=current_user, what=f"image of document {document.id} page {number}")
    return FlaskResponse(content, mimetype="image/png")


@bp.post("/cases/<int:case_id>/review/findings/<int:finding_id>")
@roles_required(*CASE_WORKERS)
def decide(case_id: int, finding_id: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    finding = service.finding_of_case(case.id, finding_id)
    form = forms.DecisionForm().for_finding(finding.id)
    try:
        _check(form)
        service.decide(
            finding,
            _data(form.action, 20),
            by=current_user,
            code=_data(form.code, 20) or None,
            reason=_data(form.reason),
        )
    except DomainError as error:
        form.refuse(error)
        return _page_refused(case, document_of_case(case.id, finding.document_id), finding.page_number, form)
    following = _next_pending_on_page(finding)
    anchor = f"finding-{following}" if following else "decisions"
    return redirect(_safe_next(_page_url(case.id, finding.document_id, finding.page_number, anchor)))


def _next_pending_on_page(finding: Any) -> int | None:
    for other in queries.findings_of_page(finding.document_id, finding.page_number):
        if other.outcome is Outcome.PENDING:
            return int(other.id)
    return None


@bp.post("/cases/<int:case_id>/review/documents/<int:document_id>/pages/<int:number>/redact")
@roles_required(*CASE_WORKERS)
def redact(case_id: int, document_id: int, number: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    document = document_of_case(case.id, document_id)
    form = forms.RedactForm()
    code, reason = _data(form.code, 20), _data(form.reason)
    try:
        _check(form)
        if form.is_box:
            service.redact_box(document, number, form.corners(), by=current_user, code=code, reason=reason)
            flash("Area redacted.", "success")
        else:
            start, end = form.span()
            made = service.redact_text(
                document,
                number,
                by=current_user,
                code=code,
                reason=reason,
                search=_data(form.search, 200),
                start=start,
                end=end,
            )
            flash(
                f"{len(made)} redactions added on page {number}."
                if made
                else "Those words are already marked on this page.",
                "success",
            )
    except DomainError as error:
        form.refuse(error)
        return _page_refused(case, document, number, form)
    return redirect(_page_url(case.id, document.id, number, "add-redaction"))


@bp.post("/cases/<int:case_id>/review/documents/<int:document_id>/pages/<int:number>/withhold")
@roles_required(*CASE_WORKERS)
def withhold_page(case_id: int, document_id: int, number: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    document = document_of_case(case.id, document_id)
    form = forms.WithholdPageForm()
    try:
        _check(form)
        if form.release.data:
            service.release_page(document, number, by=current_user)
            flash(f"Page {number} is no longer withheld.", "success")
        else:
            service.withhold_page(
                document, number, by=current_user, code=_data(form.code, 20), reason=_data(form.reason)
            )
            flash(f"Page {number} withheld.", "success")
    except DomainError as error:
        form.refuse(error)
        return _page_refused(case, document, number, form)
    return redirect(_page_url(case.id, document.id, number, "page-actions"))


@bp.post("/cases/<int:case_id>/review/documents/<int:document_id>/flag")
@roles_required(*CASE_WORKERS)
def flag_document(case_id: int, document_id: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    document = document_of_case(case.id, document_id)
    form = forms.DocumentFlagForm()
    number = forms.number(form.page.data) or 1
    try:
        _check(form)
        service.flag_document(
            document,
            _data(form.flag, 20),
            by=current_user,
            code=_data(form.code, 20) or None,
            reason=_data(form.reason),
        )
        flash("Recorded.", "success")
    except DomainError as error:
        form.refuse(error)
        return _page_refused(case, document, number, form)
    return redirect(_page_url(case.id, document.id, number, "document-actions"))


@bp.post("/cases/<int:case_id>/review/notes")
@roles_required(*CASE_WORKERS)
def add_note(case_id: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    form = forms.NoteForm()
    document_id, number = forms.number(form.document_id.data), forms.number(form.page.data)
    document = document_of_case(case.id, document_id) if document_id else None
    try:
        _check(form)
        service.add_note(case, _data(form.note), by=current_user, document=document, page=number)
        flash("Note added.", "success")
    except DomainError as error:
        form.refuse(error)
        if document is not None:
            return _page_refused(case, document, number or 1, form)
        return _overview_refused(case, form)
    if document is not None:
        return redirect(_page_url(case.id, document.id, number or 1, "notes"))
    return redirect(url_for("review.overview", case_id=case.id) + "#notes")


# --- across the case -----------------------------------------------------------------------------------------


def _scope(case: Case, form: forms.ApplyForm) -> service.Scope:
    person = str(form.person.data or "").strip()
    if person:
        return service.person_scope(case, person[:10])
    return service.text_scope(case, str(form.text.data or "")[:200])


@bp.route("/cases/<int:case_id>/review/apply", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def apply(case_id: int) -> str | tuple[str, int] | Response:
    case = _open_case(case_id)
    posted = request.method == "POST"
    # Asking for the count is a GET (a link from each finding); only the confirming POST needs a CSRF token.
    form = forms.ApplyForm() if posted else forms.ApplyForm(formdata=request.args, meta={"csrf": False})
    outcome = Outcome.KEEP if (form.outcome.data or "redact").strip() == "keep" else Outcome.REDACT
    page: dict[str, Any] = {
        "case": case,
        "form": form,
        "outcome": outcome,
        "scope": None,
        "redaction_codes": catalogue.redaction_codes(),
        "back": _safe_back(form.back.data or ""),
    }
    if not posted and not (form.person.data or "").strip() and "text" not in request.args:
        record_case_viewed(case, by=current_user, what="apply a decision across the case")
        return render_template("review/apply.html", **page)
    try:
        _check(form)
        page["scope"] = scope = _scope(case, form)
        if not posted or not form.confirm.data:
            record_case_viewed(case, by=current_user, what=f"what {scope.description} would change")
            return render_template("review/apply.html", **page)
        code = _data(form.code, 20) or None
        batch = service.apply_scope(case, scope, outcome, by=current_user, code=code, reason=_data(form.reason))
    except DomainError as error:
        form.refuse(error)
        return refused("review/apply.html", **page)
    flash(f"{batch.description}: {scope.count} changed. You can undo this from the review page.", "success")
    return redirect(url_for("review.overview", case_id=case.id) + f"#batch-{batch.id}")


def _safe_back(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") and "\\" not in value else ""


@bp.post("/cases/<int:case_id>/review/batches/<int:batch_id>/undo")
@roles_required(*CASE_WORKERS)
def undo(case_id: int, batch_id: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    form = forms.UndoForm()
    try:
        _check(form)
        batch = service.undo_batch(case, batch_id, by=current_user)
        flash(f"Undone: {batch.description}.", "success")
    except DomainError as error:
        form.refuse(error)
        return _overview_refused(case, form)
    return redirect(url_for("review.overview", case_id=case.id) + "#batches")


# --- consistency, consultations, consent -------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/review/consistency", methods=["GET", "POST"])
@roles_required(*CASE_READERS)
def consistency_check(case_id: int) -> str | tuple[str, int] | Response:
    case = _case(case_id)
    form: forms.ExplanationForm | None = None
    if request.method == "POST":
        if not _can_change(case):
            abort(403)
        form = forms.ExplanationForm()
        form.for_issue(str(form.key.data or "")[:64])
        try:
            _check(form)
            consistency.explain(case, str(form.key.data or "")[:64], _data(form.explanation), by=current_user)
        except DomainError as error:
            form.refuse(error)
            return refused("review/consistency.html", **_consistency_context(case, form))
        flash("Explanation recorded.", "success")
        return redirect(url_for("review.consistency_check", case_id=case.id))
    record_case_viewed(case, by=current_user, what="consistency check")
    return render_template("review/consistency.html", **_consistency_context(case, form))


def _consistency_context(case: Case, form: forms.ExplanationForm | None) -> dict[str, Any]:
    return {"case": case, "issues": consistency.check(case), "can_change": _can_change(case), "form": form}


@bp.route("/cases/<int:case_id>/review/consultations", methods=["GET", "POST"])
@roles_required(*CASE_READERS)
def consultations(case_id: int) -> str | tuple[str, int] | Response:
    case = _case(case_id)
    form: forms.ConsultationForm | None = None
    if request.method == "POST":
        if not _can_change(case):
            abort(403)
        form = forms.ConsultationForm()
        consultation = of_case(Consultation, forms.number(form.consultation_id.data) or 0, case.id)
        form.for_consultation(consultation.id)
        try:
            _check(form)
            service.record_consultation(
                consultation,
                by=current_user,
                consultee=_data(form.consultee, 200),
                opinion=_data(form.opinion),
                opinion_date=form.opinion_date.data,
            )
        except DomainError as error:
            form.refuse(error)
            return refused("review/consultations.html", **_consultations_context(case, form))
        flash(f"Consultation for {consultation.code} recorded.", "success")
        return redirect(url_for("review.consultations", case_id=case.id))
    record_case_viewed(case, by=current_user, what="consultations")
    return render_template("review/consultations.html", **_consultations_context(case, form))


def _consultations_context(case: Case, form: forms.ConsultationForm | None) -> dict[str, Any]:
    return {
        "case": case,
        "consultations": queries.consultations_of(case.id),
        "waiting": {c.id for c in signoff.open_consultations_of(case.id)},
        "codes": catalogue.by_code(),
        "can_change": _can_change(case),
        "form": form,
    }


@bp.route("/cases/<int:case_id>/review/people/<int:person_id>/consent", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def consent(case_id: int, person_id: int) -> str | tuple[str, int] | Response:
    case = _open_case(case_id)
    person = of_case(CasePerson, person_id, case.id)
    if person.is_subject:
        abort(404)
    form = forms.ConsentForm()
    if request.method == "POST":
        try:
            if not form.validate():
                return refused("review/consent.html", case=case, person=person, form=form)
            service.record_consent(
                person,
                form.answer.data == "yes",
                cast(date, form.answered_on.data),
                _data(form.note, 500),
                by=current_user,
            )
        except DomainError as error:
            show_error(form, error)
            return refused("review/consent.html", case=case, person=person, form=form)
        flash(f"{person.full_name}'s answer recorded. Detection is running again with it.", "success")
        return redirect(url_for("review.overview", case_id=case.id) + "#people")
    record_case_viewed(case, by=current_user, what=f"consent of {person.full_name}")
    return render_template("review/consent.html", case=case, person=person, form=form)


# --- sign-off ------------------------------------------------------------------------------------------------


@bp.post("/cases/<int:case_id>/review/sign-off")
@roles_required(*CASE_WORKERS)
def sign_off(case_id: int) -> Response | tuple[str, int]:
    case = _open_case(case_id)
    form = forms.SignOffForm()
    step = (form.step.data or "").strip()
    if step not in ("ready", "sign_off", "return"):
        abort(400)
    try:
        _check(form)
        if step == "ready":
            signoff.mark_ready(case, by=current_user)
            flash("Marked ready. A second person must now sign it off.", "success")
        elif step == "sign_off":
            signoff.sign_off(case, by=current_user)
            flash("Signed off. The case can now be bundled.", "success")
        else:
            signoff.return_case(case, _data(form.comments), by=current_user)
            flash("Returned to the reviewer with your comments.", "success")
    except DomainError as error:
        form.refuse(error)
        return _overview_refused(case, form)
    return redirect(url_for("review.overview", case_id=case.id) + "#sign-off")


@bp.get("/cases/<int:case_id>/review/schedule.csv")
@roles_required(*CASE_READERS)
def schedule_csv(case_id: int) -> Response:
    case = _case(case_id)
    audit.record_on(case, "review.schedule_exported", "Internal redaction schedule downloaded", by=current_user)
    db.session.commit()  # the audit event stands even though the body streams after the request
    return FlaskResponse(
        stream_with_context(schedule.rows(case)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="redaction-schedule-{case.reference}.csv"'},
    )


# --- the exemption catalogue ---------------------------------------------------------------------------------


@bp.get("/review/exemptions")
@roles_required(*CASE_READERS)
def exemptions() -> str:
    return render_template(
        "review/exemptions.html", exemptions=catalogue.all_exemptions(), can_edit=current_user.has_role(Role.DPO)
    )


@bp.route("/review/exemptions/<code>", methods=["GET", "POST"])
@roles_required(Role.DPO)
def edit_exemption(code: str) -> str | tuple[str, int] | Response:
    catalogue.all_exemptions()
    exemption = db.session.get_one(Exemption, code)
    form = forms.ExemptionForm(
        data={
            **audit.snapshot(exemption, catalogue.WORDING),
            "consultation": exemption.consultation.value,
            "active": ["yes"] if exemption.active else [],
        }
    )
    if request.method == "POST":
        if not form.validate():
            return refused("review/exemption_edit.html", exemption=exemption, form=form)
        catalogue.change_exemption(
            exemption,
            {key: str(getattr(form, key).data or "") for key in catalogue.WORDING},
            ConsultationKind(form.consultation.data),
            "yes" in (form.active.data or []),
            by=current_user,
        )
        flash(f"{exemption.code} saved.", "success")
        return redirect(url_for("review.exemptions") + f"#{exemption.code}")
    return render_template("review/exemption_edit.html", exemption=exemption, form=form)
