"""Secure delivery of a released bundle: an expiring, revocable download link with a limited number of downloads,
the password sent on another channel, the requester's public download page, and the print-ready copy for post.

See sar.bundle.delivery.service for the rules and docs/delivery.md for the officer's view.
"""

from __future__ import annotations

from flask import Flask

from sar import mail


def init_app(app: Flask) -> None:
    from sar.bundle.delivery.views import bp, records_bp

    app.register_blueprint(bp)
    app.register_blueprint(records_bp)


# The link and the password emails must not stay readable in the outbox once sent (sar.mail).
mail.register_secret_kind("delivery:link")
mail.register_secret_kind("delivery:password")
