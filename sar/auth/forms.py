"""Forms for signing in, MFA and one's own account. Messages follow the GOV.UK style guide."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from sar.auth.passwords import MAX_LENGTH, password_problem
from sar.forms import max_length, password_field, text_field

# A password being checked (not chosen) may be refused for its length alone: a megabyte "password" is an attack.
_NOT_TOO_LONG = (max_length(MAX_LENGTH, "Password"),)


def _code_field(label: str, limit: int, message: str, **kwargs: Any) -> StringField:
    """A one-time code: an answer too long to be a code gets the same message as no answer."""
    return StringField(
        label, widget=GovTextInput(), validators=[DataRequired(message), Length(max=limit, message=message)], **kwargs
    )


class SignInForm(FlaskForm):
    email = text_field("Email address", 254, "Email address", required="Enter your email address", refuse_blank=True)
    password = password_field("Password", "Enter your password", checks=_NOT_TOO_LONG)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class TotpForm(FlaskForm):
    code = _code_field("Code from your authenticator app", 20, "Enter the 6-digit code from your authenticator app")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class VerifyForm(FlaskForm):
    code = _code_field(
        "Security code",
        40,
        "Enter the 6-digit code from your authenticator app or a recovery code",
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = password_field("Current password", "Enter your current password", checks=_NOT_TOO_LONG)
    new_password = password_field(
        "New password",
        "Enter a new password",
        description="At least 12 characters. A few unrelated words make a strong password.",
    )
    confirm_password = password_field(
        "Confirm new password",
        "Confirm your new password",
        checks=(EqualTo("new_password", message="The passwords you entered do not match"),),
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())

    def validate_new_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
