"""Forms for a therapist's profile and credentials."""

from __future__ import annotations

from datetime import date

from babel.numbers import get_currency_name
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from directory.core.forms import (
    ChoiceField,
    DayField,
    MultiCheckboxField,
    PageForm,
    WholeNumberField,
    phone_validators,
    strip_whitespace,
    web_address_validators,
)

# Offered to every clinic after its own country's currency.
COMMON_CURRENCIES = ["CAD", "USD", "GBP", "EUR", "AUD", "THB"]


def currency_choices(*first: str | None) -> list[SelectChoice]:
    """`first` (the clinic's currency, a therapist's own), then the common ones, each once:
    "THB — Thai Baht"."""
    codes = dict.fromkeys(code for code in (*first, *COMMON_CURRENCIES) if code)
    return [
        SelectChoice(code, f"{code} — {get_currency_name(code, locale='en')}") for code in codes
    ]


class TherapistForm(PageForm):
    name = StringField(
        "Full name",
        validators=[DataRequired(message="Enter the therapist's name."), Length(max=120)],
        filters=[strip_whitespace],
    )
    headline = StringField(
        "Headline",
        validators=[Optional(), Length(max=160, message="Keep the headline under 160 characters.")],
        filters=[strip_whitespace],
        description="One line clients see in search results, e.g. "
        "Registered massage therapist for back and neck pain.",
    )
    bio = TextAreaField(
        "About",
        validators=[Optional(), Length(max=5000, message="Keep it under 5,000 characters.")],
    )
    years_experience = WholeNumberField(
        "Years of experience",
        validators=[Optional(), NumberRange(0, 70, message="Between 0 and 70 years.")],
    )
    price_min = WholeNumberField(
        "Price from",
        validators=[Optional(), NumberRange(0, 10_000, message="Between 0 and 10,000.")],
    )
    price_max = WholeNumberField(
        "Price up to",
        validators=[Optional(), NumberRange(0, 10_000, message="Between 0 and 10,000.")],
    )
    currency = ChoiceField(
        "Currency",
        choices=currency_choices(),
        invalid_message="Choose one of the listed currencies.",
        description="Your clinic's country's currency unless you choose another.",
    )
    session_minutes = WholeNumberField(
        "Session length (minutes)",
        default=60,
        validators=[
            DataRequired(message="Enter the session length."),
            NumberRange(15, 240, message="Between 15 and 240 minutes."),
        ],
    )
    accepting_new_clients = BooleanField("Accepting new clients", default=True)
    does_not_treat = TextAreaField(
        "Does not treat",
        validators=[Optional(), Length(max=1000, message="Keep it under 1,000 characters.")],
        description="Contraindications and limits, e.g. fever, contagious illness, "
        "undiagnosed severe pain.",
    )
    booking_url = StringField(
        "Own booking page",
        validators=web_address_validators(),
        filters=[strip_whitespace],
        description="Only if it differs from the clinic's; empty: the clinic's booking page.",
    )
    phone = StringField(
        "Own phone",
        validators=phone_validators(),
        filters=[strip_whitespace],
        description="Only if it differs from the clinic's; empty: the clinic's phone.",
    )
    modalities = MultiCheckboxField("Modalities", coerce=int, choices=[])
    conditions = MultiCheckboxField("Conditions treated", coerce=int, choices=[])
    languages = MultiCheckboxField("Languages", choices=[])

    def fill_choices(self, modalities, conditions, languages, currency: str) -> None:
        """`currency`: the clinic's, offered first and chosen for a new therapist."""
        self.currency.choices = currency_choices(currency, self.currency.object_data)
        if self.currency.data is None:
            self.currency.data = currency
        self.modalities.choices = [SelectChoice(m.id, m.name) for m in modalities]
        self.conditions.choices = [SelectChoice(c.id, c.name) for c in conditions]
        self.languages.choices = [SelectChoice(lang.code, lang.name) for lang in languages]

    def validate_price_max(self, field) -> None:
        if (
            field.data is not None
            and self.price_min.data is not None
            and field.data < self.price_min.data
        ):
            raise ValidationError("The highest price cannot be below the lowest.")

    def validate_modalities(self, field) -> None:
        if len(field.data or []) > 8:
            raise ValidationError("Choose at most 8 modalities.")


class AccreditationForm(PageForm):
    credential_type_id = ChoiceField(
        "Credential",
        coerce=int,
        choices=[],
        invalid_message="Choose one of the listed credentials.",
    )
    issuing_body = StringField(
        "Issued by",
        validators=[DataRequired(message="Enter who issued it."), Length(max=160)],
        filters=[strip_whitespace],
        description="For example: College of Massage Therapists of Ontario (CMTO).",
    )
    number = StringField(
        "Licence or registration number",
        validators=[DataRequired(message="Enter the number."), Length(max=60)],
        filters=[strip_whitespace],
    )
    issued_on = DayField(
        "Issued on", validators=[DataRequired(message="Enter the date it was issued.")]
    )
    expires_on = DayField("Expires on", validators=[Optional()])
    register_url = StringField(
        "Link to the issuer's public register",
        validators=web_address_validators(),
        filters=[strip_whitespace],
        description="Moderators use it to check the credential.",
    )

    def fill_choices(self, credential_types) -> None:
        self.credential_type_id.choices = [
            SelectChoice(t.id, f"{t.code} — {t.name}") for t in credential_types
        ]

    def validate_issued_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError("The issue date cannot be in the future.")

    def validate_expires_on(self, field) -> None:
        if field.data and self.issued_on.data and field.data <= self.issued_on.data:
            raise ValidationError("The expiry date must come after the issue date.")
