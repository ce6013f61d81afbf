"""Staff accounts, their roles and teams, and the record of sign-in attempts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sar.db import Base, CreatedAtMixin, string_enum, utcnow
from sar.enums import LabelledEnum


class Role(LabelledEnum):
    DPO = "dpo", "Data Protection Officer"
    IG_OFFICER = "ig_officer", "Information governance officer"
    RECORD_HOLDER = "record_holder", "Record holder"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Administrator"


class TeamKind(enum.StrEnum):
    TEAM = "team"
    PROVIDER = "provider"


class Team(Base):
    """A council team or a commissioned provider that holds records."""

    __tablename__ = "teams"
    audit_type: ClassVar[str] = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[TeamKind] = mapped_column(string_enum(TeamKind, 20), default=TeamKind.TEAM)
    description: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(default=True)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(string_enum(Role, 20), primary_key=True)


class User(CreatedAtMixin, Base):
    __tablename__ = "users"
    audit_type: ClassVar[str] = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # The TOTP secret is stored encrypted (sar.auth.secrets); None until the user has enrolled.
    mfa_secret_encrypted: Mapped[str | None] = mapped_column(String(500))
    mfa_enrolled_at: Mapped[datetime | None]
    # The last TOTP time step accepted, so a code cannot be replayed within its 30 seconds.
    mfa_last_timestep: Mapped[int | None]
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when an administrator chose the password: the person must replace it before doing anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False)

    team: Mapped[Team | None] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(cascade="all, delete-orphan", back_populates="user")

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def mfa_enrolled(self) -> bool:
        return self.mfa_secret_encrypted is not None and self.mfa_enrolled_at is not None


class RecoveryCode(Base):
    """A single-use MFA recovery code, stored only as an Argon2 hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class SignInAttempt(Base):
    """Every sign-in attempt, kept in the database so the rate limit holds across worker processes."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    ip_address: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(254))
    succeeded: Mapped[bool]


class UserSession(Base):
    """One signed-in browser. The cookie holds a random token whose hash is stored here; every
    request checks the row, so ending it (sign-out, a password change, an administrator) ends the
    session at once, even for a copy of the cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Counted from sign-in: however busy the session, it ends then (SESSION_ABSOLUTE_HOURS).
    expires_at: Mapped[datetime]
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    mfa_method: Mapped[str] = mapped_column(String(40), default="")
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(80))

    user: Mapped[User] = relationship()


class EnrolmentLink(Base):
    """A one-time link, emailed to the account holder, that lets them set up an authenticator.

    Only the hash of the token is kept. Knowing the password alone never allows enrolment: the
    link proves the person also reads the account's mailbox."""

    __tablename__ = "enrolment_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class GrantStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class RoleGrant(Base):
    """A request to give someone a role that opens children's case data or the audit log; it takes
    effect only when a second person (the DPO, or another administrator) approves it."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(string_enum(Role, 20))
    status: Mapped[GrantStatus] = mapped_column(string_enum(GrantStatus, 20), default=GrantStatus.PENDING, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
