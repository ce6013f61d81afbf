"""The service navigation each member of staff sees, from their roles.

Stages add their own entries here; a link is shown only to roles its view accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from sar.auth.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: frozenset[Role]


NAVIGATION = (
    NavItem("Home", "web.home", frozenset(Role)),
    NavItem("My tasks", "tasks.my_tasks", frozenset({Role.RECORD_HOLDER})),
    NavItem("Deadlines", "dashboard.deadlines", frozenset({Role.DPO, Role.IG_OFFICER, Role.AUDITOR})),
    NavItem("Cases", "cases.list_cases", frozenset({Role.DPO, Role.IG_OFFICER, Role.AUDITOR})),
    NavItem("Log a request", "cases.new_case", frozenset({Role.DPO, Role.IG_OFFICER})),
    NavItem("Letter templates", "letters.templates", frozenset({Role.DPO, Role.AUDITOR})),
    NavItem("Audit log", "audit.events", frozenset({Role.DPO, Role.AUDITOR})),
    NavItem("Users", "admin.list_users", frozenset({Role.ADMIN})),
    NavItem("Teams", "admin.list_teams", frozenset({Role.ADMIN})),
    NavItem("Connectors", "connectors.list_connectors", frozenset({Role.ADMIN})),
    NavItem("Role approvals", "admin.role_requests", frozenset({Role.DPO, Role.ADMIN})),
    NavItem("Your account", "auth.account", frozenset(Role)),
)


def navigation_for(user: object) -> list[dict[str, object]]:
    roles: frozenset[Role] = getattr(user, "roles", frozenset())
    items = []
    for item in NAVIGATION:
        if not roles & item.roles:
            continue
        href = url_for(item.endpoint)
        items.append({"href": href, "text": item.label, "active": request.path == href})
    return items
