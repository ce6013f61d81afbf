"""The public upload page for a provider's one-time link: the only public route besides sign-in.

It shows the provider only what the task asks for (its instructions, search terms and due date: never the
names of the people in the case) and accepts one submission of files for that task. Every use, refused or
not, is audited; refused uses are rate-limited per address.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from sar.auth.access import public
from sar.forms import refused
from sar.link_attempts import client_address
from sar.sources import ingest, links, tasks
from sar.sources.forms import ProviderUploadForm, chosen_files

bp = Blueprint("upload_link", __name__, url_prefix="/upload")


def _unavailable() -> tuple[str, int]:
    return render_template("sources/upload_unavailable.html"), 404


@bp.route("/<token>", methods=["GET", "POST"])
@public
def upload(token: str) -> str | tuple[str, int]:
    if links.too_many_failures(client_address()):
        return render_template("sources/upload_unavailable.html", too_many=True), 429
    link = links.resolve(token)
    if link is None:
        links.record_failure(token, client_address())
        return _unavailable()
    task = link.task
    form = ProviderUploadForm()
    if request.method == "GET":
        links.record_use(link, client_address(), viewed_only=True)
        return render_template("sources/upload.html", task=task, form=form, link=link)
    if not form.validate():
        return refused("sources/upload.html", task=task, form=form, link=link)
    uploads = chosen_files(form.files)
    sender = (form.sender.data or "").strip()
    label = f"{sender} (upload link {link.id})"
    try:
        added = ingest.add_files_for_task(task, uploads, by=None, by_label=label)
    except tasks.TaskError:
        links.record_failure(token, client_address())
        return _unavailable()
    links.record_use(link, client_address(), viewed_only=False)
    return render_template("sources/upload_done.html", added=added)
