"""The "Letters" panel on intake's case page."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from sar.auth.access import CASE_WORKERS
from sar.bundle.letters import service
from sar.bundle.letters.forms import StyleForm
from sar.cases.models import Case


def panel_context(case: Case) -> dict[str, Any]:
    can_write = bool(getattr(current_user, "is_authenticated", False) and current_user.has_role(*CASE_WORKERS))
    audience = service.audience_for(case)
    style_form = None
    if can_write:
        style_form = StyleForm(prefix="letters-style", formdata=None)
        style_form.audience.data = audience.value
    return {
        "letters_case": case,
        "letters": service.letters_for(case),
        "letters_audience": audience,
        "letters_style_chosen": service.style_chosen(case),
        "letters_can_write": can_write,
        "letters_style_form": style_form,
    }
