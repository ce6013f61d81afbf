"""Teams and commissioned providers: the seed Children's Services structure and the changes admins make.

The seed follows the directorate described in the council's Children's Services privacy notice
(../shared/seed/childrens-services-privacy-notice.txt). A council configures its own structure with
``TEAMS`` in instance/config.py (a list of names, or of ``{"name", "kind", "description"}``), and the
secure children's home is named by ``SECURE_UNIT_NAME`` (default "Secure Unit") so a real unit's
name is not baked into the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, select

from sar import audit
from sar.audit import Author
from sar.auth.models import Team, TeamKind, User
from sar.db import add_unless_taken
from sar.errors import DomainError
from sar.extensions import db

TEAM_NAME_MAX = 200
TEAM_DESCRIPTION_MAX = 500
DEFAULT_SECURE_UNIT_NAME = "Secure Unit"
TEAM_FIELDS = ("name", "kind", "description", "active")


@dataclass(frozen=True)
class SeedTeam:
    name: str
    kind: TeamKind = TeamKind.TEAM
    description: str = ""


class TeamError(DomainError):
    """A change to a team that cannot be made, with a message for the administrator."""


def seed_teams(secure_unit_name: str = DEFAULT_SECURE_UNIT_NAME) -> list[SeedTeam]:
    """The Children's Services directorate's teams, then the providers it commissions."""
    return [
        SeedTeam("Early Help", description="Family support, Connecting Families and the children's centres"),
        SeedTeam(
            "Children's Social Care",
            description="Children in need of help or protection, looked-after children and care leavers",
        ),
        SeedTeam("Multi-Agency Safeguarding Hub (MASH)", description="Safeguarding referrals"),
        SeedTeam(secure_unit_name, description="Secure accommodation (welfare placements)"),
        SeedTeam("Safeguarding Boards", description="Independent multi-agency safeguarding boards"),
        SeedTeam("Corporate Parenting", description="Looked-after children and care leavers"),
        SeedTeam(
            "Safeguarding and Quality Assurance",
            description="Local Authority Designated Officer and Independent Reviewing Officers",
        ),
        SeedTeam("Fostering and Adoption", description="Fostering, adoption and placements"),
        SeedTeam("Early Years and Childcare", description="Childcare providers, funded places, Early Support Pathway"),
        SeedTeam("Families Information Service", description="Directory of services and activities for families"),
        SeedTeam(
            "Barnardo's (children's centres, East and Central)",
            TeamKind.PROVIDER,
            "Commissioned to run children's centres",
        ),
        SeedTeam(
            "Spurgeons (children's centres, North, West, South and rural)",
            TeamKind.PROVIDER,
            "Commissioned to run children's centres",
        ),
        SeedTeam("TACT (fostering and adoption)", TeamKind.PROVIDER, "Commissioned fostering and adoption provider"),
    ]


def _from_config(entry: Any) -> SeedTeam:
    if isinstance(entry, str):
        return SeedTeam(entry)
    if isinstance(entry, dict) and entry.get("name"):
        return SeedTeam(
            str(entry["name"]), TeamKind(entry.get("kind", TeamKind.TEAM.value)), str(entry.get("description", ""))
        )
    raise TeamError(f"TEAMS entries must be names or objects with a name, not {entry!r}")


def configured_teams() -> list[SeedTeam]:
    """``TEAMS`` from the council's configuration if set, otherwise the seed structure."""
    config = current_app.config if has_app_context() else {}
    override = config.get("TEAMS")
    if override:
        return [_from_config(entry) for entry in override]
    return seed_teams(config.get("SECURE_UNIT_NAME") or DEFAULT_SECURE_UNIT_NAME)


def find_team_by_name(name: str) -> Team | None:
    return db.session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def ensure_seed_teams(*, by: Author) -> list[Team]:
    """Create any configured team that does not exist yet (matched by name); returns those created.

    Safe to run again and again: existing teams, including renamed or deactivated ones, are left alone.
    """
    created = []
    for seed in configured_teams():
        if find_team_by_name(seed.name) is None:
            created.append(create_team(name=seed.name, kind=seed.kind, description=seed.description, by=by))
    return created


def active_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.kind, Team.name)))


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.kind, Team.name)))


def _check(name: str, description: str, *, current: Team | None = None) -> tuple[str, str]:
    name, description = name.strip(), description.strip()
    if not name:
        raise TeamError("Enter the name of the team or provider", "name")
    if len(name) > TEAM_NAME_MAX:
        raise TeamError(f"Name must be {TEAM_NAME_MAX} characters or fewer", "name")
    if len(description) > TEAM_DESCRIPTION_MAX:
        raise TeamError(f"Description must be {TEAM_DESCRIPTION_MAX} characters or fewer", "description")
    existing = find_team_by_name(name)
    if existing is not None and existing is not current:
        raise TeamError(f"There is already a team or provider called {existing.name}", "name")
    return name, description


def _flush_unique(team: Team) -> None:
    add_unless_taken(db.session, team, TeamError(f"There is already a team or provider called {team.name}", "name"))


def create_team(*, name: str, kind: TeamKind, description: str = "", by: Author) -> Team:
    name, description = _check(name, description)
    team = Team(name=name, kind=kind, description=description, active=True)
    _flush_unique(team)
    summary = f"{'Provider' if kind is TeamKind.PROVIDER else 'Team'} added: {team.name}"
    audit.record_on(team, "team_created", summary, after=audit.snapshot(team, TEAM_FIELDS), by=by)
    return team


def update_team(team: Team, *, name: str, description: str, by: User) -> bool:
    name, description = _check(name, description, current=team)
    before = audit.snapshot(team, TEAM_FIELDS)
    team.name, team.description = name, description
    _flush_unique(team)
    after = audit.snapshot(team, TEAM_FIELDS)
    if after == before:
        return False
    audit.record_on(
        team,
        "team_updated",
        f"Team renamed or described: {before['name']} → {team.name}"
        if before["name"] != team.name
        else f"Team description changed: {team.name}",
        before=before,
        after=after,
        by=by,
    )
    return True


def set_team_active(team: Team, active: bool, *, by: User) -> None:
    """Deactivated teams stay on old records but cannot be chosen for new ones."""
    if team.active == active:
        return
    team.active = active
    db.session.flush()
    audit.record_on(
        team,
        "team_reactivated" if active else "team_deactivated",
        f"{team.name} {'reactivated' if active else 'deactivated'}",
        before={"active": not active},
        after={"active": active},
        by=by,
    )
