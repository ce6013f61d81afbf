"""Letter pages: write a letter on a case, read, download and send it; the DPO's template and Art 15 pages.

Thin views: parse the form, call one service function, render or redirect. A refused form is rendered with status
422, so the request's transaction is rolled back (sar.web) and nothing is half-saved.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.auth.models import Role
from sar.bundle.letters import layout, service
from sar.bundle.letters.context import PLACEHOLDERS
from sar.bundle.letters.forms import (
    Art15Form,
    EmailLetterForm,
    LetterDetailsForm,
    LetterKindForm,
    PostedForm,
    StyleForm,
    TemplateForm,
    preview_digest,
)
from sar.bundle.letters.models import ART15_FIELDS, Audience, Letter, LetterKind, LetterStatus, LetterTemplate
from sar.bundle.letters.panel import panel_context
from sar.bundle.letters.sandbox import Rendered
from sar.cases.models import Case
from sar.cases.panels import CasePanel, register_case_panel
from sar.cases.service import get_case
from sar.errors import DomainError
from sar.extensions import db
from sar.forms import REFUSED, refused, show_error

bp = Blueprint("letters", __name__)
DPO_ONLY = (Role.DPO,)
Page = str | tuple[str, int] | BaseResponse


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    register_case_panel(
        cast(Flask, state.app), CasePanel("letters", "letters/_case_panel.html", panel_context, order=30)
    )


@bp.app_template_filter("letter_html")
def letter_html(text: str) -> Markup:
    """Letter text laid out as the PDF lays it out (sar.bundle.letters.layout); everything escaped."""
    parts: list[str] = []
    for block in layout.blocks(text):
        if block.kind == "heading":
            parts.append(f'<h3 class="govuk-heading-s">{escape(block.lines[0])}</h3>')
        elif block.kind == "bullets":
            items = "".join(f"<li>{escape(item)}</li>" for item in block.lines)
            parts.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        else:
            parts.append('<p class="govuk-body">' + "<br>".join(str(escape(line)) for line in block.lines) + "</p>")
    return Markup("\n".join(parts))


def _case(case_id: int) -> Case:
    return get_case(case_id)


def _letter(case: Case, letter_id: int) -> Letter:
    return service.get_letter(case, letter_id)


# --- writing a letter -------------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/letters/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_letter(case_id: int) -> Page:
    case = _case(case_id)
    raw_kind = request.values.get("kind", "")
    kind = LetterKind(raw_kind) if raw_kind in {k.value for k in LetterKind} else None
    audience = service.audience_for(case)
    if kind is None or (request.method == "POST" and "step" in request.form):
        # Step 1: choose the kind of letter.
        choose = LetterKindForm()
        kinds = [(choice, service.unavailable(case, choice)) for choice in LetterKind]
        if request.method == "POST":
            if choose.validate():
                return redirect(url_for("letters.new_letter", case_id=case.id, kind=choose.kind.data))
            return refused("letters/new_kind.html", case=case, form=choose, kinds=kinds, audience=audience)
        return render_template("letters/new_kind.html", case=case, form=choose, kinds=kinds, audience=audience)
    form = LetterDetailsForm()
    context = {
        "case": case,
        "form": form,
        "kind": kind,
        "audience": audience,
        "fields": LetterDetailsForm.FIELDS_BY_KIND.get(kind, ()),
    }
    if request.method == "GET":
        form.kind.data = kind.value
        if kind is LetterKind.EVIDENCE_REQUEST and not form.evidence_kind.data:
            form.evidence_kind.data = "identity"
        return render_template("letters/new_details.html", **context)
    if not form.validate():
        return refused("letters/new_details.html", **context)
    try:
        letter = service.create_letter(case, kind, form.details(kind), by=current_user)
    except service.LetterRefused as problem:
        # "kind" is the page's hidden field: a refusal about the kind of letter is about the whole form.
        show_error(form, DomainError(problem.message) if problem.field == "kind" else problem)
        return refused("letters/new_details.html", **context)
    flash(f"{kind.label} written. Check it, then send it by email or print it for post.", "success")
    return redirect(url_for("letters.show_letter", case_id=case.id, letter_id=letter.id))


# --- a letter ---------------------------------------------------------------------------------------------


def _letter_page(
    case: Case,
    letter: Letter,
    *,
    email_form: EmailLetterForm | None = None,
    posted_form: PostedForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    can_send = current_user.has_role(*CASE_WORKERS) and letter.status is LetterStatus.DRAFT
    addresses = service.email_addresses(case)
    if email_form is None:
        email_form = EmailLetterForm(formdata=None)
    email_form.to_address.choices = [(address, address) for address in addresses]
    if email_form.to_address.data is None and len(addresses) == 1:
        email_form.to_address.data = addresses[0]
    return (
        render_template(
            "letters/show.html",
            case=case,
            letter=letter,
            can_send=can_send,
            addresses=addresses,
            email_form=email_form,
            posted_form=posted_form or PostedForm(formdata=None),
        ),
        status,
    )


@bp.get("/cases/<int:case_id>/letters/<int:letter_id>")
@roles_required(*CASE_READERS)
def show_letter(case_id: int, letter_id: int) -> Page:
    case = _case(case_id)
    letter = _letter(case, letter_id)
    service.record_letter_viewed(case, letter, by=current_user)
    return _letter_page(case, letter)


@bp.get("/cases/<int:case_id>/letters/<int:letter_id>/letter.pdf")
@roles_required(*CASE_READERS)
def download_letter(case_id: int, letter_id: int) -> Response:
    case = _case(case_id)
    letter = _letter(case, letter_id)
    content = service.open_letter_pdf(case, letter, by=current_user)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.original_name}"'},
    )


@bp.post("/cases/<int:case_id>/letters/<int:letter_id>/email")
@roles_required(*CASE_WORKERS)
def email_letter(case_id: int, letter_id: int) -> Page:
    case = _case(case_id)
    letter = _letter(case, letter_id)
    form = EmailLetterForm()
    form.to_address.choices = [(address, address) for address in service.email_addresses(case)]
    if not form.validate():
        return _letter_page(case, letter, email_form=form, status=REFUSED)
    try:
        consequence = service.send_by_email(case, letter, form.to_address.data or "", by=current_user)
    except service.LetterRefused as problem:
        # Every refusal of sending (already sent, the clock refused) is shown beside the one field on the form.
        show_error(form, DomainError(problem.message, "to_address"))
        return _letter_page(case, letter, email_form=form, status=REFUSED)
    flash(f"{letter.kind.label} queued to be emailed to {letter.sent_to}. {consequence}".strip(), "success")
    return redirect(url_for("letters.show_letter", case_id=case.id, letter_id=letter.id))


@bp.post("/cases/<int:case_id>/letters/<int:letter_id>/posted")
@roles_required(*CASE_WORKERS)
def mark_posted(case_id: int, letter_id: int) -> Page:
    case = _case(case_id)
    letter = _letter(case, letter_id)
    form = PostedForm()
    if not form.validate():
        return _letter_page(case, letter, posted_form=form, status=REFUSED)
    try:
        consequence = service.mark_posted(case, letter, by=current_user)
    except service.LetterRefused as problem:
        show_error(form, DomainError(problem.message))  # the form has no field to put it beside
        return _letter_page(case, letter, posted_form=form, status=REFUSED)
    flash(f"{letter.kind.label} recorded as printed for post. {consequence}".strip(), "success")
    return redirect(url_for("letters.show_letter", case_id=case.id, letter_id=letter.id))


@bp.post("/cases/<int:case_id>/letters/style")
@roles_required(*CASE_WORKERS)
def set_style(case_id: int) -> Page:
    case = _case(case_id)
    form = StyleForm(prefix="letters-style")
    if not form.validate():
        flash("Select how letters on this case should be written.")
        return redirect(url_for("cases.show_case", case_id=case.id, _anchor="letters"))
    service.set_audience(case, Audience(form.audience.data), by=current_user)
    flash(f"Letters on this case will be written: {Audience(form.audience.data).label.lower()}.", "success")
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="letters"))


# --- templates --------------------------------------------------------------------------------------------


@bp.get("/letters/templates")
@roles_required(*CASE_READERS)
def templates() -> Page:
    current = service.all_current_templates()
    return render_template("letters/templates.html", templates=current, can_edit=current_user.has_role(*DPO_ONLY))


def _template(template_id: int) -> LetterTemplate:
    return db.session.execute(select(LetterTemplate).where(LetterTemplate.id == template_id)).scalar_one()


@bp.get("/letters/templates/<int:template_id>")
@roles_required(*CASE_READERS)
def template_version(template_id: int) -> Page:
    template = _template(template_id)
    versions = service.template_versions(template.kind, template.audience)
    return render_template(
        "letters/template.html",
        template=template,
        versions=versions,
        uses=service.template_use(versions),
        is_current=versions[0].id == template.id,
        can_edit=current_user.has_role(*DPO_ONLY),
    )


def _preview_case(reference: str) -> Case | None:
    return db.session.scalars(select(Case).where(Case.reference == reference.strip().upper())).first()


@bp.route("/letters/templates/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(*DPO_ONLY)
def edit_template(template_id: int) -> Page:
    base = _template(template_id)
    form = TemplateForm()
    rendered: Rendered | None = None
    context: dict[str, Any] = {"base": base, "form": form, "placeholders": PLACEHOLDERS}
    if request.method == "GET":
        form.subject.data, form.body.data = base.subject, base.body
        return render_template("letters/edit_template.html", rendered=None, **context)
    if not form.validate():
        return refused("letters/edit_template.html", rendered=None, **context)
    subject, body = form.subject.data or "", form.body.data or ""
    reference = form.preview_reference.data or ""
    case = _preview_case(reference)
    if case is None:
        show_error(form, DomainError(f"There is no case with the reference {reference.strip()}", "preview_reference"))
        return refused("letters/edit_template.html", rendered=None, **context)
    digest = preview_digest(subject, body, reference)
    if form.save.data:
        if form.previewed.data != digest:
            show_error(form, DomainError("Preview the changed text with a case before saving it", "body"))
            return refused("letters/edit_template.html", rendered=None, **context)
        try:
            saved = service.save_template(base, subject, body, form.note.data or "", preview_case=case, by=current_user)
        except service.LetterRefused as problem:
            show_error(form, problem)
            return refused("letters/edit_template.html", rendered=None, **context)
        flash(f"{saved.kind.label} ({saved.audience.label.lower()}): version {saved.version} saved.", "success")
        return redirect(url_for("letters.template_version", template_id=saved.id))
    try:
        rendered = service.preview_template(base.kind, subject, body, case, by=current_user)
    except service.LetterRefused as problem:
        show_error(form, problem)
        # Status 200, not 422: the preview read a case's data, and that audit event must be kept (sar.web rolls
        # back a 4xx response). Nothing else was changed.
        return render_template("letters/edit_template.html", rendered=None, **context)
    form.previewed.data = digest
    return render_template("letters/edit_template.html", rendered=rendered, preview_case=case, **context)


# --- the Art 15 supplementary information -----------------------------------------------------------------


@bp.get("/letters/supplementary-information")
@roles_required(*CASE_READERS)
def supplementary() -> Page:
    return render_template(
        "letters/art15.html",
        info=service.supplementary(),
        fields=ART15_FIELDS,
        can_edit=current_user.has_role(*DPO_ONLY),
    )


@bp.route("/letters/supplementary-information/edit", methods=["GET", "POST"])
@roles_required(*DPO_ONLY)
def edit_supplementary() -> Page:
    form = Art15Form()
    info = service.supplementary()
    if request.method == "GET":
        if info is not None:
            for name, value in info.values().items():
                getattr(form, name).data = value
        return render_template("letters/art15_edit.html", form=form, fields=ART15_FIELDS)
    if not form.validate():
        return refused("letters/art15_edit.html", form=form, fields=ART15_FIELDS)
    try:
        service.update_supplementary({name: getattr(form, name).data for name, _, _ in ART15_FIELDS}, by=current_user)
    except service.LetterRefused as problem:
        show_error(form, problem)
        return refused("letters/art15_edit.html", form=form, fields=ART15_FIELDS)
    flash("Art 15 supplementary information saved. New letters use it from now on.", "success")
    return redirect(url_for("letters.supplementary"))
