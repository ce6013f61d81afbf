"""Changing staff accounts: every change flushes and writes an audit event; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from sar import audit
from sar.auth.models import Role, Team, User, UserRole
from sar.auth.passwords import hash_password, password_problem
from sar.extensions import db

ACCOUNT_FIELDS = ("email", "full_name", "job_title", "team_id", "active")


class AccountError(ValueError):
    """A change to an account that cannot be made, with a message for the administrator."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    roles: Iterable[Role],
    team: Team | None = None,
    job_title: str = "",
    actor: User | None,
) -> User:
    email = normalise_email(email)
    roles = set(roles)
    if not roles:
        raise AccountError("Select at least one role")
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account already exists for {email}")
    problem = password_problem(password, email=email)
    if problem:
        raise AccountError(problem)
    user = User(
        email=email,
        full_name=full_name.strip(),
        job_title=job_title.strip(),
        team=team,
        password_hash=hash_password(password),
        role_rows=[UserRole(role=role) for role in sorted(roles)],
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_created",
        object_type="user",
        object_id=user.id,
        summary=f"Account created for {user.email}",
        after={**audit.snapshot(user, ACCOUNT_FIELDS), "roles": sorted(roles)},
        actor=(actor.id, actor.email) if actor else None,
    )
    return user


def set_roles(user: User, roles: Iterable[Role], *, actor: User) -> None:
    new_roles = set(roles)
    if not new_roles:
        raise AccountError("Select at least one role")
    before = sorted(user.roles)
    if user.id == actor.id and Role.ADMIN in user.roles and Role.ADMIN not in new_roles:
        raise AccountError("You cannot remove your own administrator role")
    if Role.ADMIN in user.roles and Role.ADMIN not in new_roles and _active_admin_count() <= 1:
        raise AccountError("There must always be at least one active administrator")
    user.role_rows = [UserRole(role=role) for role in sorted(new_roles)]
    db.session.flush()
    audit.record(
        "roles_changed",
        object_type="user",
        object_id=user.id,
        summary=f"Roles changed for {user.email}",
        before={"roles": before},
        after={"roles": sorted(new_roles)},
    )


def _active_admin_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserRole).join(User).where(UserRole.role == Role.ADMIN, User.active.is_(True))
    ) or 0
