"""Administrators' forms for staff accounts and teams."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, Email, ValidationError

from sar.auth.models import Role, Team, TeamKind
from sar.auth.passwords import password_problem
from sar.forms import password_field, text_area, text_field

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]
NO_TEAM = ""


def team_choices(teams: list[Team], current: Team | None = None) -> list[SelectChoice]:
    """Active teams, plus the person's current team even if it has since been deactivated."""
    choices = [SelectChoice(NO_TEAM, "No team")]
    listed = {team.id for team in teams}
    for team in teams:
        suffix = " (provider)" if team.kind is TeamKind.PROVIDER else ""
        choices.append(SelectChoice(str(team.id), team.name + suffix))
    if current is not None and current.id not in listed:
        choices.append(SelectChoice(str(current.id), f"{current.name} (deactivated)"))
    return choices


class _UserFields(FlaskForm):
    full_name = text_field("Full name", 200, "Full name", required="Enter the person's full name", refuse_blank=True)
    job_title = text_field("Job title", 200, "Job title")
    team = SelectField("Team or provider", widget=GovSelect(), choices=[], validate_choice=True)
    roles = SelectMultipleField(
        "Roles",
        description="Select all that apply",
        widget=GovCheckboxesInput(),
        choices=ROLE_CHOICES,
        validators=[DataRequired("Select at least one role")],
    )

    def set_team_choices(self, choices: list[SelectChoice]) -> None:
        self.team.choices = choices

    def selected_roles(self) -> set[Role]:
        return {Role(value) for value in self.roles.data or []}

    def selected_team_id(self) -> int | None:
        return int(self.team.data) if self.team.data else None


class NewUserForm(_UserFields):
    email = text_field(
        "Email address",
        254,
        "Email address",
        required="Enter the person's email address",
        refuse_blank=True,
        checks=(Email("Enter an email address in the correct format, like name@example.gov.uk"),),
    )
    password = password_field(
        "Temporary password",
        "Enter a temporary password",
        description="At least 12 characters. Give it to the person by a different route from their email address.",
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self.email.data or "")
        if problem:
            raise ValidationError(problem)


class EditUserForm(_UserFields):
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class TemporaryPasswordForm(FlaskForm):
    password = password_field(
        "New temporary password",
        "Enter a temporary password",
        description="At least 12 characters. Give it to the person by phone or in person, not by email.",
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """An action button (deactivate, unlock, reset MFA): only the CSRF token is posted."""


class TeamForm(FlaskForm):
    name = text_field("Name", 200, "Name", required="Enter the name of the team or provider", refuse_blank=True)
    description = text_area("Description (optional)", 500, "Description")
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewTeamForm(TeamForm):
    kind = RadioField(
        "Is this a council team or a commissioned provider?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice(TeamKind.TEAM.value, "Council team"),
            SelectChoice(TeamKind.PROVIDER.value, "Commissioned provider"),
        ],
        validators=[DataRequired("Select whether this is a council team or a commissioned provider")],
    )
