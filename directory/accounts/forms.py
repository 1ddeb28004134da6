"""Forms for signing up, signing in and recovering an account."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from directory.core.forms import PageForm, email_field
from directory.core.passwords import password_problem


class UsablePassword:
    """The rule of `core.passwords` for what a new password may contain."""

    def __call__(self, form, field) -> None:
        problem = password_problem(field.data or "")
        if problem is not None:
            raise ValidationError(problem)


PASSWORD_RULES = [
    DataRequired(message="Choose a password."),
    Length(min=10, max=128, message="Use between 10 and 128 characters."),
    UsablePassword(),
]


def repeat_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message="Repeat the password."),
            EqualTo("password", message="The two passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def display_name_field() -> StringField:
    """A person's name as the site shows it (registration, and its change later)."""
    return StringField(
        "Your name",
        validators=[
            DataRequired(message="Tell us what to call you."),
            Length(max=80, message="Keep it under 80 characters."),
        ],
        render_kw={"autocomplete": "name"},
    )


class RegisterForm(PageForm):
    display_name = display_name_field()
    email = email_field()
    password = PasswordField(
        "Password", validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"}
    )
    confirm = repeat_password_field("Repeat the password")


class SignInForm(PageForm):
    email = email_field()
    password = PasswordField(
        "Password",
        validators=[DataRequired(message="Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device")


class ForgotPasswordForm(PageForm):
    email = email_field()


class ResetPasswordForm(PageForm):
    password = PasswordField(
        "New password", validators=PASSWORD_RULES, render_kw={"autocomplete": "new-password"}
    )
    confirm = repeat_password_field("Repeat the new password")
