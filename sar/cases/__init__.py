"""Stage 1, intake: the case register of rights requests, the people involved and their evidence."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Intake's pages, and the case directory the audit pages use to name cases."""
    from sar.audit import CaseDirectory, register_case_directory
    from sar.cases import queries
    from sar.cases.views import bp

    app.register_blueprint(bp)
    register_case_directory(app, CaseDirectory(references=queries.references, find=queries.find_by_reference))
