"""The base form and the field helpers shared by every domain's forms."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from directory.core.addresses import MAX_LENGTH, MISSING, email_problem
from directory.core.phones import InvalidPhone, tidy_phone

CHOOSE_LISTED = "Choose one of the listed options."

_FROM_THE_REQUEST = object()


class PageForm(FlaskForm):
    """The base of every form a page posts: it reads the submitted form fields, nothing else.

    Flask-WTF would also fill fields from uploaded files and from a JSON body, handing a
    text field a file or a number its validators fail on with a server error.  No page
    takes either, so they count as missing fields and get the usual messages.
    """

    def __init__(self, formdata=_FROM_THE_REQUEST, **kwargs):
        if formdata is _FROM_THE_REQUEST:
            formdata = request.form if self.is_submitted() and request.form else None
        super().__init__(formdata, **kwargs)


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
    return [Optional(), UsablePhone()]


class UsablePhone:
    """The phone rule of `core.phones`, the one the services apply again."""

    field_flags = {"maxlength": 40}

    def __call__(self, form, field) -> None:
        try:
            tidy_phone(field.data or "")
        except InvalidPhone as problem:
            raise ValidationError(str(problem)) from None


class HumanMessages:
    """Answers input a field cannot read or choose with a message written for people.

    WTForms' own ("Invalid Choice: could not coerce.", "Not a valid integer value.") are
    written for developers.  Every form uses the fields below instead of WTForms' choice,
    number and date fields (a test walks them); `invalid_message` words one per field.
    """

    invalid_message = "Check this value."

    def __init__(self, *args, invalid_message: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if invalid_message is not None:
            self.invalid_message = invalid_message

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid_message) from error

    def pre_validate(self, form) -> None:
        if self.process_errors and any(str(value).strip() for value in self.raw_data or ()):
            # A value was typed but cannot be read: say that alone, not also which range it
            # misses.  A blank one goes on to Optional() or DataRequired(), which decide.
            raise StopValidation()
        try:
            super().pre_validate(form)
        except StopValidation:
            raise
        except ValidationError as error:
            raise ValidationError(self.invalid_message) from error


class ChoiceField(HumanMessages, SelectField):
    invalid_message = CHOOSE_LISTED


class RadioChoiceField(HumanMessages, RadioField):
    invalid_message = CHOOSE_LISTED


class MultiCheckboxField(HumanMessages, SelectMultipleField):
    """A group of checkboxes; an id that is not among the choices is refused with a message."""

    invalid_message = "Choose only from the listed options."
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WholeNumberField(HumanMessages, IntegerField):
    invalid_message = "Enter a whole number, like 45."


class NumberField(HumanMessages, FloatField):
    invalid_message = "Enter a number, like 43.65."


class DayField(HumanMessages, DateField):
    invalid_message = "Enter a date, like 2026-03-01."
