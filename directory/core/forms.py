"""Field helpers shared by every domain's forms."""

from __future__ import annotations

import re

from wtforms import EmailField, SelectMultipleField
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from directory.core.addresses import MAX_LENGTH, MISSING, email_problem

PHONE_PATTERN = re.compile(r"^\+?[0-9 ().\-]{7,25}$")


def strip_whitespace(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class UsableEmail:
    """The address rule of `core.addresses`, the one the services check again."""

    field_flags = {"maxlength": MAX_LENGTH}  # rendered as the input's maxlength

    def __call__(self, form, field) -> None:
        problem = email_problem(field.data)
        if problem is not None:
            raise ValidationError(problem)


def email_validators(*, required: bool = True, missing_message: str = MISSING) -> list:
    first = DataRequired(message=missing_message) if required else Optional()
    return [first, UsableEmail()]


def email_field(
    label: str = "Email address", *, required: bool = True, missing_message: str = MISSING
) -> EmailField:
    return EmailField(
        label,
        validators=email_validators(required=required, missing_message=missing_message),
        filters=[strip_whitespace],
        render_kw={"autocomplete": "email"},
    )


def web_address_validators() -> list:
    return [
        Optional(),
        Length(max=300, message="Keep the address under 300 characters."),
        URL(require_tld=True, message="Enter a full web address, like https://example.com."),
        Regexp(r"^https?://", message="The address must start with http:// or https://."),
    ]


def phone_validators() -> list:
    return [
        Optional(),
        Regexp(PHONE_PATTERN, message="Enter a phone number of digits, spaces, +, - or ()."),
    ]


class DigitsAtLeast:
    """A phone number needs enough digits to be dialled."""

    def __init__(self, count: int = 7):
        self.count = count

    def __call__(self, form, field) -> None:
        if field.data and sum(ch.isdigit() for ch in field.data) < self.count:
            raise ValidationError(f"A phone number has at least {self.count} digits.")


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes; an id that is not among the choices is refused with a message."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
