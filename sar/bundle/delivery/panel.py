"""The "Sending the records" panel on intake's case page."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from sar.auth.access import CASE_WORKERS
from sar.bundle.delivery import service
from sar.cases.models import Case


def panel_context(case: Case) -> dict[str, Any]:
    can_send = bool(getattr(current_user, "is_authenticated", False) and current_user.has_role(*CASE_WORKERS))
    return {
        "delivery_case": case,
        "delivery_bundles": service.deliverable(case),
        "delivery_links": service.links_for(case),
        "delivery_can_send": can_send,
        "delivery_now": service.now(),
    }
