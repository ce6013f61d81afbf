"""Administrators' forms for staff accounts and teams."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from sar.auth.models import Role, Team, TeamKind
from sar.auth.passwords import password_problem

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
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Job title must be 200 characters or fewer")],
    )
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
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email("Enter an email address in the correct format, like name@example.gov.uk"),
        ],
    )
    password = PasswordField(
        "Temporary password",
        description="At least 12 characters. Give it to the person by a different route from their email address.",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a temporary password")],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", email=self.email.data or "")
        if problem:
            raise ValidationError(problem)


class EditUserForm(_UserFields):
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class TemporaryPasswordForm(FlaskForm):
    password = PasswordField(
        "New temporary password",
        description="At least 12 characters. Give it to the person by phone or in person, not by email.",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a temporary password")],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """An action button (deactivate, unlock, reset MFA): only the CSRF token is posted."""


class TeamForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the name of the team or provider"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    description = StringField(
        "Description (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=500, message="Description must be 500 characters or fewer")],
    )
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
