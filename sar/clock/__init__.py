"""Stage 2, the clock: events that move each case's statutory deadline and the stored dates worked out from them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the clock into the app, explicitly rather than as a side effect of importing its views: its pages and
    commands, its panel on the case page, its facts for the case status and due dates for the case list,
    its subscription to intake's ``case_changed`` and its reminders job."""
    from sar.calendar import today
    from sar.cases.facts import register_facts_provider
    from sar.cases.panels import CaseListDates, CasePanel, register_case_list_dates, register_case_panel
    from sar.cases.signals import case_changed
    from sar.clock import cli, service
    from sar.clock.facts import clock_facts
    from sar.clock.models import CaseClock
    from sar.clock.panel import panel_context
    from sar.clock.views import bp
    from sar.jobs import register_job

    app.register_blueprint(bp)
    cli.register(app)
    register_case_panel(app, CasePanel("deadline", "clock/_case_panel.html", panel_context, order=10))
    # Intake derives each case's status and shows due dates without importing the clock.
    register_facts_provider(app, "clock", clock_facts)
    register_case_list_dates(app, CaseListDates(CaseClock, CaseClock.case_id, CaseClock.due_date, today))
    # Process-wide and idempotent (blinker keys receivers by identity); weak=False: it must live as long as the app.
    case_changed.connect(service.on_case_changed, weak=False)
    register_job("clock.send_reminders", cli.reminders_job)
