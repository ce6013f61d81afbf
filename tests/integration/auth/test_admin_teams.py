"""Teams and commissioned providers: seed data, the seed-teams command and the administrators' pages."""

from __future__ import annotations

from sqlalchemy import func, select
from support import error_messages, get_page, post_page, table_rows, text_of

from sar.audit import SYSTEM, AuditEvent
from sar.auth import teams
from sar.auth.models import Role, Team, TeamKind
from sar.extensions import db


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def team_names() -> set[str]:
    return set(db.session.scalars(select(Team.name)))


def test_seed_follows_the_childrens_services_structure(app):
    created = teams.ensure_seed_teams(by=SYSTEM)
    db.session.commit()
    names = team_names()
    for expected in (
        "Early Help",
        "Children's Social Care",
        "Multi-Agency Safeguarding Hub (MASH)",
        "Secure Unit",
        "Safeguarding Boards",
        "Corporate Parenting",
        "Safeguarding and Quality Assurance",
        "Fostering and Adoption",
        "Early Years and Childcare",
        "Families Information Service",
    ):
        assert expected in names
    providers = db.session.scalars(select(Team).where(Team.kind == TeamKind.PROVIDER)).all()
    assert {p.name.split(" ")[0] for p in providers} == {"Barnardo's", "Spurgeons", "TACT"}
    assert not any("Clare Lodge" in name for name in names)  # no real unit's name baked in
    assert len(events("team_created")) == len(created) == len(names)
    # Running again changes nothing.
    assert teams.ensure_seed_teams(by=SYSTEM) == []


def test_secure_unit_name_and_teams_are_configurable(app):
    app.config["SECURE_UNIT_NAME"] = "Oak House Secure Children's Home"
    teams.ensure_seed_teams(by=SYSTEM)
    assert "Oak House Secure Children's Home" in team_names()


def test_council_teams_config_overrides_the_seed(app):
    app.config["TEAMS"] = ["Youth Justice", {"name": "Kids Charity", "kind": "provider", "description": "Advocacy"}]
    teams.ensure_seed_teams(by=SYSTEM)
    assert team_names() == {"Youth Justice", "Kids Charity"}
    assert db.session.scalars(select(Team).where(Team.name == "Kids Charity")).one().kind is TeamKind.PROVIDER


def test_seed_teams_cli(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-teams"])
    assert result.exit_code == 0, result.output
    assert "Created 13 teams and providers" in result.output
    again = runner.invoke(args=["seed-teams"])
    assert "already exist" in again.output
    assert db.session.scalar(select(func.count()).select_from(Team)) == 13


def test_admin_adds_renames_and_deactivates_teams(app, client_as):
    admin = client_as(Role.ADMIN)
    assert admin.get("/admin/teams/new").status_code == 200
    response = admin.post(
        "/admin/teams/new",
        data={"name": "Leaving Care Provider Ltd", "kind": "provider", "description": "Commissioned"},
    )
    assert response.status_code == 302
    team = db.session.scalars(select(Team).where(Team.name == "Leaving Care Provider Ltd")).one()
    assert team.kind is TeamKind.PROVIDER
    assert events("team_created")[-1].after["kind"] == "provider"

    rows = table_rows(get_page(admin, "/admin/teams"))
    [provider] = [row for row in rows if row[0].startswith("Leaving Care Provider Ltd")]
    assert provider[:3] == ["Leaving Care Provider Ltd Commissioned", "Commissioned provider", "Active"]

    assert admin.get(f"/admin/teams/{team.id}/edit").status_code == 200
    renamed = admin.post(f"/admin/teams/{team.id}/edit", data={"name": "Care Leavers Provider", "description": "x"})
    assert renamed.status_code == 302
    update = events("team_updated")[-1]
    assert update.before["name"] == "Leaving Care Provider Ltd" and update.after["name"] == "Care Leavers Provider"

    assert admin.post(f"/admin/teams/{team.id}/deactivate").status_code == 302
    assert events("team_deactivated")[-1].before == {"active": True}

    # A deactivated team is not offered for new users.
    def offered() -> list[str]:
        return [text_of(option) for option in get_page(admin, "/admin/users/new").select("select[name=team] option")]

    assert "Care Leavers Provider (provider)" not in offered()
    assert admin.post(f"/admin/teams/{team.id}/reactivate").status_code == 302
    assert "Care Leavers Provider (provider)" in offered()


def test_team_bad_input(app, client_as, make_team):
    make_team("Early Help")
    admin = client_as(Role.ADMIN)
    before = db.session.scalar(select(func.count()).select_from(Team))
    for data, message in (
        ({"name": "", "kind": "team"}, "Enter the name of the team or provider"),
        ({"name": "N" * 201, "kind": "team"}, "Name must be 200 characters or fewer"),
        ({"name": "early help", "kind": "team"}, "There is already a team or provider called Early Help"),
        ({"name": "New", "kind": ""}, "Select whether this is a council team or a commissioned provider"),
        ({"name": "New", "kind": "team", "description": "d" * 501}, "Description must be 500 characters or fewer"),
    ):
        assert error_messages(post_page(admin, "/admin/teams/new", data, status=422)) == [message]
    assert db.session.scalar(select(func.count()).select_from(Team)) == before


def test_teams_pages_are_for_administrators_only(app, client_as, make_team):
    team = make_team("Early Help")
    dpo = client_as(Role.DPO)
    assert dpo.get(f"/admin/teams/{team.id}/edit").status_code == 403
    assert dpo.post(f"/admin/teams/{team.id}/deactivate").status_code == 403
    assert db.session.get(Team, team.id).active
