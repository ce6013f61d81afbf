"""Signals gathering sends so later stages can react without gathering importing them.

``pages_ready`` is sent (sender: the Document) inside the ingest job's transaction once a document's
pages and word boxes are stored; review subscribes to queue detection.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

pages_ready = _signals.signal("document-pages-ready")
