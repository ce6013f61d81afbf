"""Stage 3, gather: search tasks, source connectors, documents, extraction and de-duplication."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Gathering's pages (documents, search tasks, upload links, connectors), its commands, its case panels and its
    jobs (registered when their modules are imported, which the views do)."""
    from sar.cases.facts import register_facts_provider
    from sar.sources.connector_views import bp as connectors_bp
    from sar.sources.facts import gathering_facts
    from sar.sources.task_views import bp as tasks_bp
    from sar.sources.upload_views import bp as upload_link_bp
    from sar.sources.views import bp as sources_bp

    for blueprint in (sources_bp, tasks_bp, upload_link_bp, connectors_bp):
        app.register_blueprint(blueprint)
    # The case's derived status and next action follow its search tasks.
    register_facts_provider(app, "gathering", gathering_facts)
