"""The case (a rights request) at the centre of the register.

Names say "case" for a rights request so that ``request`` keeps meaning the HTTP request.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.auth.models import Team, User
from sar.db import Base, CreatedAtMixin


def _enum(cls: type[enum.Enum], length: int = 40) -> Enum:
    # Stored as plain strings (not a native PostgreSQL enum) so adding a value needs no type migration.
    return Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Right(enum.StrEnum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"
    PORTABILITY = "portability"


class Channel(enum.StrEnum):
    EMAIL = "email"
    POST = "post"
    PHONE = "phone"
    IN_PERSON = "in_person"
    WEB_FORM = "web_form"
    OTHER_BODY = "other_body"


class CaseStatus(enum.StrEnum):
    """Where a case is in its life. Closed states carry an outcome code (sar-rules section 6)."""

    RECEIVED = "received"
    AWAITING_ID = "awaiting_id"
    AWAITING_AUTHORITY = "awaiting_authority"
    AWAITING_FEE = "awaiting_fee"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    GATHERING = "gathering"
    IN_REVIEW = "in_review"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    READY_TO_SEND = "ready_to_send"
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    FULL = "FULL"
    PARTIAL = "PARTIAL"
    NONE_HELD = "NONE_HELD"
    WITHHELD_ALL = "WITHHELD_ALL"
    NCND = "NCND"
    REFUSED_MUE = "REFUSED_MUE"
    FEE_UNPAID_CLOSED = "FEE_UNPAID_CLOSED"
    ID_NOT_PROVIDED_CLOSED = "ID_NOT_PROVIDED_CLOSED"
    AUTHORITY_NOT_PROVIDED_CLOSED = "AUTHORITY_NOT_PROVIDED_CLOSED"
    CLARIFICATION_NOT_PROVIDED_CLOSED = "CLARIFICATION_NOT_PROVIDED_CLOSED"
    WITHDRAWN = "WITHDRAWN"
    TRANSFERRED = "TRANSFERRED"
    OTHER_RIGHT_ACTIONED = "OTHER_RIGHT_ACTIONED"
    OTHER_RIGHT_REFUSED = "OTHER_RIGHT_REFUSED"


class Case(CreatedAtMixin, Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), default=CaseStatus.RECEIVED, index=True)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    # When it reached any part of the council (UTC), and the statutory date that gives in the
    # council's calendar (Europe/London): day 1 of the clock.
    received_at: Mapped[datetime]
    received_on: Mapped[date] = mapped_column(index=True)
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None]

    logged_by: Mapped[User] = relationship(foreign_keys=[logged_by_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    rights: Mapped[list[CaseRight]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    scope_teams: Mapped[list[CaseScopeTeam]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def right_values(self) -> frozenset[Right]:
        return frozenset(row.right for row in self.rights)

    @property
    def is_access_request(self) -> bool:
        return Right.ACCESS in self.right_values

    @property
    def is_closed(self) -> bool:
        return self.status is CaseStatus.CLOSED


class CaseRight(Base):
    __tablename__ = "case_rights"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    right: Mapped[Right] = mapped_column(_enum(Right, 20), primary_key=True, index=True)


class CaseScopeTeam(Base):
    """A team or provider whose records the request covers."""

    __tablename__ = "case_scope_teams"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), primary_key=True, index=True)

    team: Mapped[Team] = relationship()
