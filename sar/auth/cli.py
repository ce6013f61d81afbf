"""``flask --app sar create-user``: the first administrator, before anyone can sign in."""

from __future__ import annotations

import click

from sar.audit import SystemActor
from sar.auth.models import Role
from sar.extensions import db


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "full_name", prompt="Full name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([role.value for role in Role]),
    default=[Role.ADMIN.value],
    show_default=True,
)
@click.password_option()
def create_user(email: str, full_name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a staff account (an administrator by default) and print its one-time set-up link."""
    from sar.auth import enrolment, service

    try:
        user = service.create_user(
            email=email,
            full_name=full_name,
            password=password,
            roles={Role(r) for r in roles},
            by=SystemActor("create-user command"),
        )
    except service.AccountError as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from problem
    link = enrolment.issue(user, by=SystemActor("create-user command"), reason="account created on the command line")
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(sorted(r.label for r in user.roles))}.")
    click.echo(f"Set-up link (works once; also emailed to {user.email}): {link}")


@click.command("seed-teams")
def seed_teams() -> None:
    """Create the Children's Services teams and commissioned providers (config TEAMS overrides)."""
    from sar.auth.teams import ensure_seed_teams

    created = ensure_seed_teams(by=SystemActor("seed-teams command"))
    db.session.commit()
    if created:
        click.echo(f"Created {len(created)} teams and providers: {', '.join(team.name for team in created)}.")
    else:
        click.echo("All configured teams and providers already exist.")
