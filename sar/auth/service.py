"""Changing staff accounts: every change flushes and writes an audit event; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from sar import audit
from sar.audit import Author
from sar.auth import grants, sessions
from sar.auth.models import Role, Team, User, UserRole, UserSession
from sar.auth.passwords import hash_password, password_problem, verify_password
from sar.db import add_unless_taken, utcnow
from sar.errors import DomainError
from sar.extensions import db

EMAIL_MAX = 254
NAME_MAX = 200

ACCOUNT_FIELDS = ("email", "full_name", "job_title", "team_id", "active")


class AccountError(DomainError):
    """A change to an account that cannot be made, with a message for the administrator and its field."""


WRONG_CURRENT_PASSWORD = "Your current password is incorrect"


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
    by: Author,
    temporary_password: bool = False,
) -> User:
    email = normalise_email(email)
    roles = set(roles)
    _check_lengths(email=email, full_name=full_name, job_title=job_title)
    if not full_name.strip():
        raise AccountError("Enter the person's full name", "full_name")
    if not roles:
        raise AccountError("Select at least one role", "roles")
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account already exists for {email}", "email")
    problem = password_problem(password, email=email)
    if problem:
        raise AccountError(problem, "password")
    user = User(
        email=email,
        full_name=full_name.strip(),
        job_title=job_title.strip(),
        team=team,
        password_hash=hash_password(password),
        must_change_password=temporary_password,
    )
    add_unless_taken(db.session, user, AccountError(f"An account already exists for {email}", "email"))
    audit.record_on(
        user,
        "user_created",
        f"Account created for {user.email}",
        after={**audit.snapshot(user, ACCOUNT_FIELDS), "roles": sorted(roles)},
        by=by,
    )
    grants.grant(user, roles, by=by)
    return user


def _check_lengths(*, email: str | None = None, full_name: str | None = None, job_title: str | None = None) -> None:
    if email is not None and len(email) > EMAIL_MAX:
        raise AccountError(f"Email address must be {EMAIL_MAX} characters or fewer", "email")
    if full_name is not None and len(full_name.strip()) > NAME_MAX:
        raise AccountError(f"Full name must be {NAME_MAX} characters or fewer", "full_name")
    if job_title is not None and len(job_title.strip()) > NAME_MAX:
        raise AccountError(f"Job title must be {NAME_MAX} characters or fewer", "job_title")


def set_roles(user: User, roles: Iterable[Role], *, by: User) -> None:
    """Removals take effect at once; additions go through :mod:`sar.auth.grants` (no self-grant,
    and a second person approves the roles that open case data or the audit log)."""
    new_roles = set(roles)
    if not new_roles:
        raise AccountError("Select at least one role", "roles")
    before = sorted(user.roles)
    if user.id == by.id and Role.ADMIN in user.roles and Role.ADMIN not in new_roles:
        raise AccountError("You cannot remove your own administrator role", "roles")
    if user.id == by.id and new_roles - set(user.roles):
        raise AccountError("You cannot give yourself a role. Ask another administrator", "roles")
    losing_admin = Role.ADMIN in user.roles and Role.ADMIN not in new_roles
    if losing_admin and user.active and _active_admin_count() <= 1:
        raise AccountError("There must always be at least one active administrator", "roles")
    pending_roles = {request.role for request in grants.pending_for(user)}
    grants.withdraw_pending(user, pending_roles - new_roles, by=by)
    removed = set(user.roles) - new_roles
    user.role_rows = [row for row in user.role_rows if row.role not in removed]
    db.session.flush()
    grants.grant(user, new_roles, by=by)
    new_roles = set(user.roles)
    if sorted(new_roles) == before:
        return
    summary = f"Roles changed for {user.email}"
    audit.record_on(user, "roles_changed", summary, before={"roles": before}, after={"roles": sorted(new_roles)}, by=by)


def _active_admin_count() -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(UserRole)
            .join(User)
            .where(UserRole.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def update_user(
    user: User, *, full_name: str, job_title: str, team: Team | None, roles: Iterable[Role], by: User
) -> bool:
    """An administrator's edit of name, job title, team and roles. Returns False if nothing changed."""
    _check_lengths(full_name=full_name, job_title=job_title)
    if not full_name.strip():
        raise AccountError("Enter the person's full name", "full_name")
    new_roles = set(roles)
    fields_before = audit.snapshot(user, ("full_name", "job_title", "team_id"))
    awaiting = {request.role for request in grants.pending_for(user)}
    roles_changed = new_roles != set(user.roles) | awaiting
    if roles_changed:
        # Checked before any field changes, so a refused role change leaves nothing half-saved.
        set_roles(user, new_roles, by=by)
    user.full_name = full_name.strip()
    user.job_title = job_title.strip()
    user.team = team
    db.session.flush()
    fields_after = audit.snapshot(user, ("full_name", "job_title", "team_id"))
    if fields_after != fields_before:
        summary = f"Account details changed for {user.email}"
        audit.record_on(user, "user_updated", summary, before=fields_before, after=fields_after, by=by)
    return roles_changed or fields_after != fields_before


def set_active(user: User, active: bool, *, by: User) -> None:
    if user.active == active:
        return
    if not active:
        if user.id == by.id:
            raise AccountError("You cannot deactivate your own account")
        if Role.ADMIN in user.roles and _active_admin_count() <= 1:
            raise AccountError("There must always be at least one active administrator", "roles")
    user.active = active
    db.session.flush()
    if not active:
        sessions.end_all(user, "account deactivated")
    audit.record_on(
        user,
        "user_reactivated" if active else "user_deactivated",
        f"{user.email} {'reactivated' if active else 'deactivated'}",
        before={"active": not active},
        after={"active": active},
        by=by,
    )


def end_sessions(user: User, *, by: User, only: UserSession | None = None) -> int:
    """An administrator signs someone out: of one browser (``only``), or everywhere."""
    if only is not None:
        if only.user_id != user.id or only.ended_at is not None:
            return 0
        sessions.end(only, f"ended by {by.email}")
        ended = 1
    else:
        ended = sessions.end_all(user, f"signed out everywhere by {by.email}")
    audit.record_on(
        user,
        "sessions_ended",
        f"{ended} session{'s' if ended != 1 else ''} of {user.email} ended by {by.email}",
        after={"sessions_ended": ended, "session_id": only.id if only is not None else None},
        by=by,
    )
    return ended


def unlock(user: User, *, by: User) -> None:
    before = {"locked_until": user.locked_until, "failed_sign_ins": user.failed_sign_ins}
    user.locked_until = None
    user.failed_sign_ins = 0
    db.session.flush()
    audit.record_on(
        user,
        "user_unlocked",
        f"{user.email} unlocked",
        before=before,
        after={"locked_until": None, "failed_sign_ins": 0},
        by=by,
    )


def reset_mfa(user: User, *, by: User) -> None:
    """Forget the user's authenticator; they set up a new one at their next sign-in."""
    from sar.auth import mfa

    before = {"mfa_enrolled": user.mfa_enrolled, "recovery_codes_unused": len(mfa.unused_recovery_codes(user))}
    mfa.reset(user)
    ended = sessions.end_all(user, "authenticator reset")
    audit.record_on(
        user,
        "mfa_reset",
        f"Authenticator reset for {user.email}",
        before=before,
        after={"mfa_enrolled": False, "recovery_codes_unused": 0, "sessions_ended": ended},
        by=by,
    )


def change_password(user: User, *, current_password: str, new_password: str, keep: UserSession | None = None) -> None:
    """The person's own change; every other session of theirs ends (``keep`` is the one in use)."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(WRONG_CURRENT_PASSWORD, "current_password")
    problem = password_problem(new_password, email=user.email)
    if problem:
        raise AccountError(problem, "new_password")
    if verify_password(user.password_hash, new_password):
        raise AccountError("Your new password must be different from your current password", "new_password")
    ended = _replace_password(user, new_password, temporary=False, reason="password changed", keep=keep)
    # The hash itself never goes into the audit trail: only the fact and the time.
    after = {"password_changed_at": user.password_changed_at, "other_sessions_ended": ended}
    audit.record_on(user, "password_changed", f"{user.email} changed their password", after=after, by=user)


def _replace_password(
    user: User, password: str, *, temporary: bool, reason: str, keep: UserSession | None = None
) -> int:
    """Store a new password and end the user's other sessions (a stolen session dies with the old password);
    a temporary one must be replaced at the next sign-in. Returns how many sessions were ended."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = temporary
    db.session.flush()
    return sessions.end_all(user, reason, keep=keep)


def set_temporary_password(user: User, password: str, *, by: User) -> None:
    """An administrator sets a new password for someone who has forgotten theirs."""
    problem = password_problem(password, email=user.email)
    if problem:
        raise AccountError(problem, "password")
    ended = _replace_password(user, password, temporary=True, reason="temporary password set by an administrator")
    after = {"password_changed_at": user.password_changed_at, "sessions_ended": ended}
    audit.record_on(user, "password_reset", f"Temporary password set for {user.email}", after=after, by=by)
