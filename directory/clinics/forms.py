"""Forms for registering a clinic, its opening hours and running its team."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from directory.clinics.models import Role
from directory.clinics.opening_hours import WEEKDAYS, HoursProblem, read_day
from directory.clinics.permissions import ROLE_LABELS
from directory.core.forms import (
    ChoiceField,
    DayField,
    NumberField,
    PageForm,
    email_field,
    phone_validators,
    strip_whitespace,
    web_address_validators,
)
from directory.places.queries import find_city

ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]
CHOOSE_ROLE = "Choose one of the listed roles."


class ClinicForm(PageForm):
    name = StringField(
        "Clinic name",
        validators=[DataRequired(message="Enter the clinic's name."), Length(max=120)],
        filters=[strip_whitespace],
    )
    website = StringField(
        "Website", validators=web_address_validators(), filters=[strip_whitespace]
    )
    phone = StringField("Phone", validators=phone_validators(), filters=[strip_whitespace])
    booking_url = StringField(
        "Online booking page",
        validators=web_address_validators(),
        filters=[strip_whitespace],
        description="Where clients book a visit online; the Book button of every profile.",
    )
    email = email_field("Public email", required=False)
    address = StringField(
        "Street address",
        validators=[DataRequired(message="Enter the street address."), Length(max=300)],
        filters=[strip_whitespace],
    )
    postal_code = StringField(
        "Postal code", validators=[Optional(), Length(max=20)], filters=[strip_whitespace]
    )
    city = StringField(
        "City",
        validators=[DataRequired(message="Enter the city."), Length(max=160)],
        filters=[strip_whitespace],
        description="For example Toronto, or London, GB when the name is shared.",
    )
    latitude = NumberField(
        "Latitude",
        validators=[Optional(), NumberRange(-90, 90, message="Latitude is between -90 and 90.")],
    )
    longitude = NumberField(
        "Longitude",
        validators=[
            Optional(),
            NumberRange(-180, 180, message="Longitude is between -180 and 180."),
        ],
    )
    description = TextAreaField(
        "About the clinic",
        validators=[Optional(), Length(max=5000, message="Keep it under 5,000 characters.")],
    )

    def validate_city(self, field) -> None:
        self.found_city = find_city(field.data or "")
        if self.found_city is None:
            raise ValidationError(
                "We could not find that city. Try its English name, "
                "or add the country code: London, GB."
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends each field's own checks when it is empty, so the pair is checked here.
        if (self.latitude.data is None) != (self.longitude.data is None):
            self.longitude.errors = [
                *self.longitude.errors,
                "Enter both latitude and longitude, or neither.",
            ]
            return False
        return valid


class TeamInviteForm(PageForm):
    email = email_field("Colleague's email")
    role = ChoiceField(
        "Role", choices=ROLE_CHOICES, default=Role.STAFF.value, invalid_message=CHOOSE_ROLE
    )


class RoleForm(PageForm):
    role = ChoiceField("Role", choices=ROLE_CHOICES, invalid_message=CHOOSE_ROLE)


class WeekdayHoursField(StringField):
    """One weekday's hours as text; `ranges` holds them once read."""

    ranges: tuple = ()

    def pre_validate(self, form) -> None:
        try:
            self.ranges = read_day(self.data or "")
        except HoursProblem as problem:
            raise ValidationError(str(problem)) from None


def _weekday_field(name: str) -> WeekdayHoursField:
    return WeekdayHoursField(
        name,
        validators=[Length(max=200, message="Keep it under 200 characters.")],
        filters=[strip_whitespace],
    )


class HoursForm(PageForm):
    monday = _weekday_field("Monday")
    tuesday = _weekday_field("Tuesday")
    wednesday = _weekday_field("Wednesday")
    thursday = _weekday_field("Thursday")
    friday = _weekday_field("Friday")
    saturday = _weekday_field("Saturday")
    sunday = _weekday_field("Sunday")

    def days(self) -> list[WeekdayHoursField]:
        return [self[name.lower()] for name in WEEKDAYS]


class ClosureForm(PageForm):
    starts_on = DayField(
        "First day closed", validators=[DataRequired(message="Enter the first day.")]
    )
    ends_on = DayField(
        "Last day closed",
        validators=[Optional()],
        description="Leave empty for a single day.",
    )
    note = StringField(
        "Note",
        validators=[Optional(), Length(max=120, message="Keep it under 120 characters.")],
        filters=[strip_whitespace],
        description="Shown to clients, for example: Public holiday.",
    )

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The last day cannot come before the first.")
