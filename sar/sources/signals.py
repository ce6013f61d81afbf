"""Signals gathering sends so later stages can react without gathering importing them.

``pages_ready`` is sent inside the ingest job's transaction when the last of a case's documents waiting to be
read has been read (sender: that Document; a batch of 2,000 files sends it once, not 2,000 times): every page
and word box of the case's readable documents is then stored. Review subscribes to queue detection, which looks
at the whole case.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

pages_ready = _signals.signal("document-pages-ready")
