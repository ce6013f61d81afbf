"""Stage 5, the bundle: what leaves the council.

* ``sar.bundle.letters``: the letters to the requester (acknowledgement ... disclosure cover);
* ``sar.bundle.plan`` / ``builder`` / ``pages``: the disclosure bundle of a signed-off case, truly redacted by the
  redaction library, with cover letter, index, furniture, key and bookmarks, built page by page;
* ``sar.bundle.gate`` / ``release``: the release gate (the library's verify, its verdict sealed to the file) and
  release, the one way a bundle leaves (AES-256 encrypted, generated password);
* ``sar.bundle.service``: build now or in the background; ``sar.bundle.views`` and ``cli``: the page and command;
* ``sar.bundle.delivery``: getting the released file to the requester.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """The letters' and the bundle's pages, the bundle command, the build job and the bundle's facts provider."""
    from sar.bundle.letters.views import bp as letters_bp
    from sar.bundle.views import bp as bundle_bp

    app.register_blueprint(letters_bp)
    app.register_blueprint(bundle_bp)
