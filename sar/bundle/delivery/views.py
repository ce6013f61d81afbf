"""Delivery pages: the officer's (send a link, revoke, resend, print) and the requester's public download page.

Thin views: parse the form, call one service function, render. A refused form answers 422, so sar.web rolls the
request back and nothing is half-sent.
"""

from __future__ import annotations

from typing import cast

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from werkzeug.http import dump_options_header
from werkzeug.wrappers import Response as BaseResponse

from sar.auth.access import CASE_WORKERS, public, roles_required
from sar.bundle.delivery import service
from sar.bundle.delivery.forms import DownloadForm, LinkActionForm, LinkForm
from sar.bundle.delivery.models import PasswordChannel
from sar.bundle.delivery.panel import panel_context
from sar.bundle.letters.service import email_addresses
from sar.cases.models import Case
from sar.cases.panels import CasePanel, register_case_panel
from sar.cases.service import get_case, record_case_viewed
from sar.forms import refused, show_error
from sar.link_attempts import client_address

bp = Blueprint("delivery", __name__)
# The requester's page: its own blueprint, so the public route list names exactly one endpoint of it.
records_bp = Blueprint("records", __name__)
Page = str | tuple[str, int] | BaseResponse


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    register_case_panel(
        cast(Flask, state.app), CasePanel("delivery", "bundle/delivery/_case_panel.html", panel_context, order=45)
    )


# --- the officer's pages ----------------------------------------------------------------------------------


def _link_form(case: Case, form: LinkForm) -> None:
    form.bundle_id.choices = [
        (str(b.id), f"{b.title} ({b.page_count} page{'' if b.page_count == 1 else 's'})")
        for b in service.deliverable(case)
    ]
    form.to_address.choices = [(address, address) for address in email_addresses(case)]


def _form_page(case: Case, form: LinkForm) -> dict[str, object]:
    return {
        "case": case,
        "form": form,
        "bundles": service.deliverable(case),
        "addresses": email_addresses(case),
    }


@bp.route("/cases/<int:case_id>/delivery/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_link(case_id: int) -> Page:
    case = get_case(case_id)
    form = LinkForm()
    _link_form(case, form)
    if request.method == "GET":
        form.days.data = str(service.default_days())
        form.max_downloads.data = str(service.default_max_downloads())
        if len(form.bundle_id.choices) == 1:
            form.bundle_id.data = form.bundle_id.choices[0][0]
        if len(form.to_address.choices) == 1:
            form.to_address.data = form.to_address.choices[0][0]
        # The form shows the requester's addresses and the released bundles: a read of case data, audited.
        record_case_viewed(case, by=current_user, what="the form to send a download link")
        return render_template("bundle/delivery/new.html", **_form_page(case, form))
    if not form.validate():
        return refused("bundle/delivery/new.html", **_form_page(case, form))
    try:
        bundle = service.get_released(
            case, int(form.bundle_id.data or 0) if (form.bundle_id.data or "").isdigit() else 0
        )
        issued = service.create_link(
            case,
            bundle,
            to_address=form.to_address.data or "",
            channel=PasswordChannel(form.password_channel.data),
            password=form.password.data or "",
            days=int(form.days.data or 0),
            max_downloads=int(form.max_downloads.data or 0),
            by=current_user,
        )
    except service.DeliveryRefused as problem:
        show_error(form, problem)
        return refused("bundle/delivery/new.html", **_form_page(case, form))
    # Rendered, not redirected: the link and the SMS text exist in clear only in this response.
    return render_template("bundle/delivery/link_made.html", case=case, issued=issued, link=issued.link)


def _back_to_delivery(case: Case, message: str | None = None) -> BaseResponse:
    """A button's answer: back to the case page's delivery section, with what was refused if anything was."""
    if message:
        flash(message)
    return redirect(url_for("cases.show_case", case_id=case.id, _anchor="delivery"))


@bp.post("/cases/<int:case_id>/delivery/links/<int:link_id>/revoke")
@roles_required(*CASE_WORKERS)
def revoke(case_id: int, link_id: int) -> Page:
    case = get_case(case_id)
    link = service.get_link(case, link_id)
    if not LinkActionForm().validate():
        return _back_to_delivery(case, "The form expired. Try again.")
    try:
        service.revoke_link(case, link, by=current_user)
    except service.DeliveryRefused as problem:
        return _back_to_delivery(case, problem.message)
    flash(f"Download link to {link.to_address} revoked. It no longer works.", "success")
    return _back_to_delivery(case)


@bp.post("/cases/<int:case_id>/delivery/links/<int:link_id>/resend")
@roles_required(*CASE_WORKERS)
def resend(case_id: int, link_id: int) -> Page:
    case = get_case(case_id)
    link = service.get_link(case, link_id)
    if not LinkActionForm().validate():
        return _back_to_delivery(case, "The form expired. Try again.")
    try:
        issued = service.resend_link(case, link, by=current_user)
    except service.DeliveryRefused as problem:
        return _back_to_delivery(case, problem.message)
    return render_template("bundle/delivery/link_made.html", case=case, issued=issued, link=issued.link, resent=True)


@bp.get("/cases/<int:case_id>/delivery/links/<int:link_id>/password-letter.pdf")
@roles_required(*CASE_WORKERS)
def password_letter(case_id: int, link_id: int) -> Response:
    case = get_case(case_id)
    link = service.get_link(case, link_id)
    try:
        content = service.password_letter(case, link, by=current_user)
    except service.DeliveryRefused:
        abort(404)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{case.reference}-password-letter.pdf"'},
    )


@bp.get("/cases/<int:case_id>/delivery/bundles/<int:bundle_id>/print-ready.pdf")
@roles_required(*CASE_WORKERS)
def print_ready(case_id: int, bundle_id: int) -> Response:
    from sar.bundle import queries

    case = get_case(case_id)
    bundle = queries.get_bundle(case, bundle_id)
    if bundle is None:
        abort(404)
    try:
        chunks = service.print_ready(case, bundle, by=current_user)
    except service.DeliveryRefused:
        abort(404)
    name = f"{case.reference}-bundle-{bundle.build_number}-part-{bundle.part}-print.pdf"
    headers = {"Content-Disposition": dump_options_header("attachment", {"filename": name})}
    if bundle.built_size:
        headers["Content-Length"] = str(bundle.built_size)
    return Response(stream_with_context(chunks), mimetype="application/pdf", headers=headers)


# --- the requester's page ---------------------------------------------------------------------------------


def _unavailable() -> tuple[str, int]:
    # One answer for unknown, expired, revoked and used-up links: the page must not reveal which tokens exist.
    return render_template("bundle/delivery/unavailable.html"), 404


@records_bp.route("/records/<token>", methods=["GET", "POST"])
@public
def collect(token: str) -> Page:
    """Public on purpose: the requester has no account. The unguessable token (256 bits, stored only as a hash) is
    the credential, the file it gives is AES-256 encrypted with a password sent on another channel, and the page
    shows nothing of the case but its reference and the link's expiry."""
    if service.too_many_failures(client_address()):
        return render_template("bundle/delivery/unavailable.html", too_many=True), 429
    link = service.resolve(token)
    if link is None:
        service.record_failure(token, client_address())
        return _unavailable()
    form = DownloadForm()
    if request.method == "GET":
        service.record_opened(link, client_address())
        return render_template(
            "bundle/delivery/collect.html",
            form=form,
            link=link,
            reference=get_case(link.case_id).reference,
            size=service.file_size(link),
        )
    # A POST without a valid CSRF token never gets here: sar.web answers "your page timed out" and counts nothing.
    chunks = service.take_download(link, client_address())
    if chunks is None:
        service.record_failure(token, client_address())
        return _unavailable()
    bundle = service.bundle_of(link)
    name = bundle.original_name or f"{get_case(link.case_id).reference}-records.pdf"
    return Response(
        stream_with_context(chunks),
        mimetype="application/pdf",
        headers={
            "Content-Disposition": dump_options_header("attachment", {"filename": name}),
            "Content-Length": str(bundle.file_size or 0),
        },
    )
