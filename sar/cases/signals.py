"""Signals intake sends so later stages can react without intake importing them.

The clock subscribes to ``case_changed`` to recalculate the due date whenever intake records
something that moves it (evidence received, rights changed, case closed). Receivers run inside
the same transaction as the change, before the request commits.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Case; keyword arguments: reason (str, shown in the audit trail)
case_changed = _signals.signal("case-changed")
