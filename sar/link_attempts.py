"""Every use of a public link page, and the per-address limit on refused uses.

Two pages answer anyone on the internet who holds a token: a provider's upload link (sar.sources.links) and a
requester's download link (sar.bundle.delivery). Each use is a row, kept in the database so the limit holds across
processes, and an address that has been refused too often within the window is turned away, so tokens cannot be
guessed by trying them. Each page keeps its own table and its own settings: refusals on one kind of link never lock
an address out of the other.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import request
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from sar.db import Base, utcnow
from sar.extensions import db

IP_ADDRESS_MAX = 64


class LinkAttempt(Base):
    """One use of a public link page: when, from which address, and whether it was let through. Each page's model
    adds ``link_id``, the link the token matched (None when it matched none), pointing at its own links' table."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ip_address: Mapped[str] = mapped_column(String(IP_ADDRESS_MAX), index=True)
    succeeded: Mapped[bool]


def client_address() -> str:
    """The address a use is counted against (behind a proxy, the app's ProxyFix has already put the client's there)."""
    return request.remote_addr or "unknown"


def record_attempt(model: type[LinkAttempt], ip_address: str, link_id: int | None, *, succeeded: bool) -> None:
    """Add one use to the session (the caller commits: a refusal at once, since its response rolls back)."""
    db.session.add(model(ip_address=ip_address[:IP_ADDRESS_MAX], link_id=link_id, succeeded=succeeded))


def too_many_failures(model: type[LinkAttempt], ip_address: str, *, limit: int, window_seconds: int) -> bool:
    """True once this address has been refused ``limit`` times within the last ``window_seconds``."""
    since = utcnow() - timedelta(seconds=window_seconds)
    failures = db.session.scalar(
        select(func.count())
        .select_from(model)
        .where(model.ip_address == ip_address[:IP_ADDRESS_MAX], model.at >= since, model.succeeded.is_(False))
    )
    return (failures or 0) >= limit
