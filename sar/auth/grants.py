"""Separation of duties for roles.

Nobody may give a role to themselves, and the roles that open children's case data or the audit
log (DPO, information governance officer, auditor) take effect only when a second person approves
them: the DPO, or an administrator other than the one who asked. Every grant, whether it needed
approval or not, is a :class:`~sar.auth.models.RoleGrant` row and an audit event, and the DPO sees
them all on the role approvals page. Accounts created on the command line (``by`` a system actor, the
server's operator bootstrapping the first administrator or DPO) are granted directly, and recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from sar import audit
from sar.audit import Author
from sar.auth.models import GrantStatus, Role, RoleGrant, User, UserRole
from sar.db import utcnow
from sar.errors import DomainError
from sar.extensions import db

NEEDS_SECOND_PERSON = frozenset({Role.DPO, Role.IG_OFFICER, Role.AUDITOR})


class GrantError(DomainError):
    """A grant or decision that is not allowed, with a message for the person trying."""


def grant(user: User, roles: Iterable[Role], *, by: Author) -> tuple[set[Role], set[Role]]:
    """Give ``user`` the roles they do not already hold. Returns (granted now, awaiting approval)."""
    person = by if isinstance(by, User) else None  # None: the command line
    wanted = set(roles) - set(user.roles)
    if person is not None and person.id == user.id and wanted:
        raise GrantError("You cannot give yourself a role. Ask another administrator", "roles")
    now_roles = {role for role in wanted if person is None or role not in NEEDS_SECOND_PERSON}
    later = wanted - now_roles
    for role in sorted(now_roles):
        db.session.add(UserRole(user_id=user.id, role=role))
        db.session.add(
            RoleGrant(
                user_id=user.id,
                role=role,
                status=GrantStatus.APPROVED,
                requested_by_id=person.id if person else None,
                decided_by_id=person.id if person else None,
                decided_at=utcnow(),
            )
        )
        audit.record_on(
            user,
            "role_granted",
            f"{role.label} role given to {user.email}",
            after={"role": role.value, "approved_by": person.email if person else "command line"},
            by=by,
        )
    for role in sorted(later):
        if pending_grant(user, role) is not None:
            continue
        db.session.add(RoleGrant(user_id=user.id, role=role, requested_by_id=person.id if person else None))
        summary = f"{role.label} role asked for {user.email}: waits for the DPO or another administrator"
        audit.record_on(user, "role_grant_requested", summary, after={"role": role.value}, by=by)
    db.session.flush()
    db.session.expire(user, ["role_rows"])
    return now_roles, later


def pending_grant(user: User, role: Role) -> RoleGrant | None:
    return db.session.scalars(
        select(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.status == GrantStatus.PENDING
        )
    ).first()


def pending_for(user: User) -> list[RoleGrant]:
    return list(
        db.session.scalars(
            select(RoleGrant)
            .where(RoleGrant.user_id == user.id, RoleGrant.status == GrantStatus.PENDING)
            .order_by(RoleGrant.id)
        )
    )


def withdraw_pending(user: User, roles: Iterable[Role], *, by: User) -> None:
    """Requests for roles no longer wanted (unticked on the form) are withdrawn."""
    for role in roles:
        request = pending_grant(user, role)
        if request is not None:
            request.status = GrantStatus.WITHDRAWN
            request.decided_by_id = by.id
            request.decided_at = utcnow()
            summary = f"Request for the {role.label} role for {user.email} withdrawn"
            audit.record_on(user, "role_grant_withdrawn", summary, after={"role": role.value}, by=by)
    db.session.flush()


def can_decide(request: RoleGrant, by: User) -> str | None:
    """None if ``by`` may approve or refuse ``request``; otherwise why not."""
    if request.status is not GrantStatus.PENDING:
        return "This request has already been decided"
    if not by.has_role(Role.DPO, Role.ADMIN):
        return "Only the DPO or an administrator can decide role requests"
    if by.id == request.user_id:
        return "You cannot approve a role for yourself"
    if by.id == request.requested_by_id:
        return "A second person must approve this: you asked for it"
    return None


def decide(request: RoleGrant, *, approve: bool, by: User) -> None:
    problem = can_decide(request, by)
    if problem:
        raise GrantError(problem)
    request.status = GrantStatus.APPROVED if approve else GrantStatus.REFUSED
    request.decided_by_id = by.id
    request.decided_at = utcnow()
    user = request.user
    if approve and request.role not in user.roles:
        db.session.add(UserRole(user_id=user.id, role=request.role))
    requester = request.requested_by.email if request.requested_by else "command line"
    audit.record_on(
        user,
        "role_granted" if approve else "role_grant_refused",
        f"{request.role.label} role for {user.email} {'approved' if approve else 'refused'} "
        f"by {by.email} (asked by {requester})",
        after={"role": request.role.value, "requested_by": requester, "decided_by": by.email},
        by=by,
    )
    db.session.flush()
    db.session.expire(user, ["role_rows"])


def all_requests(limit: int = 200) -> tuple[list[RoleGrant], list[RoleGrant]]:
    """(pending, the most recent decided) for the role approvals page."""
    pending = list(
        db.session.scalars(select(RoleGrant).where(RoleGrant.status == GrantStatus.PENDING).order_by(RoleGrant.id))
    )
    decided = list(
        db.session.scalars(
            select(RoleGrant).where(RoleGrant.status != GrantStatus.PENDING).order_by(RoleGrant.id.desc()).limit(limit)
        )
    )
    return pending, decided
