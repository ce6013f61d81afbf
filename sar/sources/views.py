"""Documents of a case: the panel on the case page, the document list, a document's pages, adding files."""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from werkzeug.wrappers import Response

from sar.auth.access import CASE_READERS, CASE_WORKERS, roles_required
from sar.case_rows import of_case
from sar.cases.models import Case, EvidenceItem
from sar.cases.panels import CasePanel, register_case_panel
from sar.cases.service import record_case_viewed
from sar.extensions import db
from sar.forms import refused, show_error
from sar.sources import cli, evidence, ingest, queries, tasks
from sar.sources.forms import AddDocumentsForm, ConfirmForm, EvidenceFileForm, chosen_files
from sar.sources.models import DocumentGroup, EvidenceFile, TaskStatus

bp = Blueprint("sources", __name__, cli_group=None)


def panel_context(case: Case) -> dict[str, Any]:
    return {"documents": queries.summary(case.id), "documents_case": case}


def tasks_panel_context(case: Case) -> dict[str, Any]:
    rows = tasks.tasks_of_case(case.id)
    counts = {
        "open": sum(t.status.is_open for t in rows),
        "overdue": sum(tasks.is_overdue(t) for t in rows),
        "supplied": sum(t.status is TaskStatus.RECORDS_SUPPLIED for t in rows),
        "none_held": sum(t.status is TaskStatus.NO_RECORDS for t in rows),
        "failed": sum(t.status is TaskStatus.FAILED for t in rows),
    }
    return {"search_tasks": rows, "search_counts": counts, "search_case": case}


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = cast(Flask, state.app)
    register_case_panel(app, CasePanel("evidence-files", "sources/_evidence_panel.html", evidence_panel_context, 12))
    register_case_panel(app, CasePanel("searches", "sources/_tasks_panel.html", tasks_panel_context, 15))
    register_case_panel(app, CasePanel("documents", "sources/_case_panel.html", panel_context, 20))


cli.register(bp)


def _case(case_id: int) -> Case:
    return db.session.get_one(Case, case_id)


@bp.get("/cases/<int:case_id>/documents")
@roles_required(*CASE_READERS)
def list_documents(case_id: int) -> str:
    case = _case(case_id)
    record_case_viewed(case, by=current_user, what="documents")
    return render_template(
        "sources/documents.html",
        case=case,
        summary=queries.summary(case.id),
        documents=queries.documents_of(case.id),
        groups=queries.groups_of(case.id),
        set_aside=queries.set_aside_ids(case.id),
        can_change=current_user.has_role(*CASE_WORKERS) and not case.is_closed,
        form=ConfirmForm(),
    )


@bp.get("/cases/<int:case_id>/documents/<int:document_id>")
@roles_required(*CASE_READERS)
def show_document(case_id: int, document_id: int) -> str:
    case = _case(case_id)
    document = queries.document_of_case(case.id, document_id)
    record_case_viewed(case, by=current_user, what=f"document {document.id}")
    return render_template("sources/document.html", case=case, document=document, pages=queries.pages_of(document.id))


@bp.route("/cases/<int:case_id>/documents/add", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def add_documents(case_id: int) -> str | tuple[str, int] | Response:
    case = _case(case_id)
    form = AddDocumentsForm()
    if case.is_closed:
        flash("This case is closed. Reopen it before adding documents.")
        return redirect(url_for("cases.show_case", case_id=case.id))
    if request.method == "GET":
        return render_template("sources/add.html", case=case, form=form)
    if not form.validate():
        return refused("sources/add.html", case=case, form=form)
    source = (form.source.data or "").strip() or "upload"
    results = [
        ingest.add_file(case, upload.filename or "file", upload.stream, source=source, by=current_user)
        for upload in chosen_files(form.files)
    ]
    not_stored = [r for r in results if r.document is None]
    added = len(results) - len(not_stored)
    if added:
        flash(f"{added} file{'s' if added != 1 else ''} added. They are being read now.", "success")
    for result in not_stored:
        flash(f"{result.name} was not added: {result.refusal_message}")
    return redirect(url_for("sources.list_documents", case_id=case.id))


@bp.post("/cases/<int:case_id>/document-groups/<int:group_id>/undo")
@roles_required(*CASE_WORKERS)
def undo_group(case_id: int, group_id: int) -> Response:
    case = _case(case_id)
    group = of_case(DocumentGroup, group_id, case.id)
    if ConfirmForm().validate():
        ingest.undo_group(group, by=current_user)
        flash("The group was undone: its documents are back in review.", "success")
    return redirect(url_for("sources.list_documents", case_id=case.id) + f"#group-{group.id}")


# --- evidence files ---------------------------------------------------------------------------------------


def evidence_panel_context(case: Case) -> dict[str, Any]:
    files = evidence.files_of_case(case.id)
    by_item: dict[int, list[Any]] = {}
    for row in files:
        by_item.setdefault(row.evidence_id, []).append(row)
    return {"evidence_case": case, "evidence_files": by_item}


def _evidence_item(case: Case, evidence_id: int) -> EvidenceItem:
    return of_case(EvidenceItem, evidence_id, case.id)


@bp.route("/cases/<int:case_id>/evidence/<int:evidence_id>/files", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def evidence_files(case_id: int, evidence_id: int) -> str | tuple[str, int] | Response:
    case = _case(case_id)
    item = _evidence_item(case, evidence_id)
    form = EvidenceFileForm()
    if form.validate_on_submit():
        upload = chosen_files(form.file)[0]
        try:
            evidence.attach(item, upload.filename or "file", upload.stream, by=current_user)
        except evidence.EvidenceFileError as problem:
            show_error(form, problem)
        else:
            flash(f"{upload.filename} attached to the {item.kind.label.lower()}.", "success")
            return redirect(url_for("sources.evidence_files", case_id=case.id, evidence_id=item.id))
    elif not form.is_submitted():
        record_case_viewed(case, by=current_user, what=f"evidence files of evidence record {item.id}")
    files = [f for f in evidence.files_of_case(case.id) if f.evidence_id == item.id]
    context = {
        "case": case,
        "item": item,
        "files": files,
        "form": form,
        "retention_days": current_app.config["EVIDENCE_FILE_RETENTION_DAYS"],
    }
    if form.is_submitted():
        return refused("sources/evidence_files.html", **context)
    return render_template("sources/evidence_files.html", **context)


@bp.get("/cases/<int:case_id>/evidence-files/<int:file_id>")
@roles_required(*CASE_WORKERS)
def evidence_file(case_id: int, file_id: int) -> Response:
    case = _case(case_id)
    row = of_case(EvidenceFile, file_id, case.id)
    try:
        content = evidence.read(row, by=current_user)
    except evidence.EvidenceFileError:
        abort(410)
    inline = row.media_type in ("application/pdf", "image/png", "image/jpeg")
    disposition = "inline" if inline else "attachment"
    safe_name = "".join(ch for ch in row.original_name if ch.isalnum() or ch in " ._-")[:100] or "evidence"
    response = Response(content, mimetype=row.media_type if inline else "application/octet-stream")
    response.headers["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
    return response
