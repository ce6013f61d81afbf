"""Review and sign-off (issue 12): findings decided on the page with an exemption each, consultations, the
consistency check and a second person's sign-off. The bundle stage asks :func:`is_signed_off`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from sar.cases.models import Case


def init_app(app: Flask) -> None:
    """Review's pages and commands; registering the blueprint also adds its case panel and subscribes detection to
    gathering's ``pages_ready`` and intake's ``case_changed`` (see ``sar.review.views``)."""
    from sar.cases.facts import register_facts_provider
    from sar.review.facts import review_facts
    from sar.review.views import bp

    app.register_blueprint(bp)
    # The case's derived status ("In review", "Awaiting sign-off", "Returned", "Ready to send") follows review.
    register_facts_provider(app, "review", review_facts)


def is_signed_off(case: Case) -> bool:
    """True only for a case a second person signed off and nobody changed since."""
    from sar.review.signoff import is_signed_off as signed_off

    return signed_off(case)
