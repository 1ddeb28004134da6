"""Forms for writing a review, inviting a client, replying and flagging."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from directory.core.forms import (
    ChoiceField,
    DayField,
    PageForm,
    RadioChoiceField,
    email_field,
    strip_whitespace,
)
from directory.moderation.reasons import CHOOSE_REASON, REASON_LABELS
from directory.reviews.models import ASPECTS

RATING_CHOICES = [
    SelectChoice(str(n), label)
    for n, label in [
        (5, "5 — excellent"),
        (4, "4 — good"),
        (3, "3 — average"),
        (2, "2 — poor"),
        (1, "1 — very poor"),
    ]
]
ASPECT_CHOICES = [
    SelectChoice("", "Not rated"),
    *(SelectChoice(str(n), str(n)) for n in range(5, 0, -1)),
]
OLDEST_VISIT_MONTHS = 24
CHOOSE_RATING = "Choose a rating from 1 to 5."
GUEST_EMAIL_MISSING = "Enter your email so we can confirm the review is yours."


def months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class MonthField(StringField):
    """A month typed as YYYY-MM (the browser's month picker); data is its first day."""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            return
        try:
            year, month = (int(part) for part in raw.split("-")[:2])
            self.data = date(year, month, 1)
        except ValueError as error:
            self.data = None
            raise ValueError("Enter the month of your visit, like 2026-03.") from error

    def _value(self) -> str:
        return self.data.strftime("%Y-%m") if self.data else (self.raw_data or [""])[0]


def optional_int(value):
    return int(value) if value not in (None, "") else None


def aspect_field(label: str) -> ChoiceField:
    return ChoiceField(
        label,
        choices=ASPECT_CHOICES,
        coerce=optional_int,
        invalid_message="Choose a rating from 1 to 5, or leave it as not rated.",
    )


class ReviewForm(PageForm):
    rating = RadioChoiceField(
        "Overall rating",
        choices=RATING_CHOICES,
        validators=[DataRequired(message=CHOOSE_RATING)],
        invalid_message=CHOOSE_RATING,
    )
    rating_technique = aspect_field("Technique")
    rating_communication = aspect_field("Communication")
    rating_environment = aspect_field("Environment")
    rating_value = aspect_field("Value for money")
    title = StringField(
        "Title",
        validators=[
            DataRequired(message="Give your review a title."),
            Length(max=120, message="Keep the title under 120 characters."),
        ],
        filters=[strip_whitespace],
    )
    body = TextAreaField(
        "Your review",
        validators=[
            DataRequired(message="Tell others about your visit."),
            Length(min=40, max=5000, message="Write between 40 and 5,000 characters."),
        ],
        filters=[strip_whitespace],
        description="What was treated, how it went, and how you felt afterwards. "
        "Please leave out health details you would not want public.",
    )
    visit_month = MonthField(
        "Month of your visit",
        validators=[DataRequired(message="Enter the month of your visit, like 2026-03.")],
        render_kw={"type": "month", "placeholder": "YYYY-MM"},
    )
    reviewer_name = StringField(
        "Your name",
        validators=[DataRequired(message="Tell us your name."), Length(max=80)],
        filters=[strip_whitespace],
    )
    initials_only = BooleanField("Show only my initials")
    email = email_field("Your email", missing_message=GUEST_EMAIL_MISSING)

    def __init__(self, *args, needs_email: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_email = needs_email
        if not needs_email:
            # A signed-in or invited reviewer is known by their account or invitation: the
            # field is not shown, and whatever it holds is not used.
            self.email.validators = []

    def validate_visit_month(self, field) -> None:
        today = date.today()
        if field.data and field.data > today.replace(day=1):
            raise ValidationError("The visit cannot be in the future.")
        if field.data and field.data < months_back(today, OLDEST_VISIT_MONTHS):
            raise ValidationError("We accept reviews of visits in the last two years.")

    def aspects(self) -> dict[str, int | None]:
        return {aspect: getattr(self, f"rating_{aspect}").data for aspect in ASPECTS}


class InvitationForm(PageForm):
    therapist_id = ChoiceField(
        "Therapist", coerce=int, choices=[], invalid_message="Choose one of your therapists."
    )
    client_name = StringField(
        "Client's name",
        validators=[DataRequired(message="Enter the client's name."), Length(max=80)],
        filters=[strip_whitespace],
    )
    client_email = email_field("Client's email")
    visit_date = DayField(
        "Date of the visit", validators=[DataRequired(message="Enter the date of the visit.")]
    )


class ReplyForm(PageForm):
    body = TextAreaField(
        "Public reply",
        validators=[
            DataRequired(message="Write the reply."),
            Length(max=3000, message="Keep the reply under 3,000 characters."),
        ],
        filters=[strip_whitespace],
    )
    confirmed = HiddenField()


class FlagForm(PageForm):
    reason = ChoiceField(
        "Reason",
        choices=[SelectChoice(code.value, label) for code, label in REASON_LABELS.items()],
        invalid_message=CHOOSE_REASON,
    )
    note = TextAreaField("Note for the moderators", validators=[Optional(), Length(max=1000)])


class ReportForm(FlagForm):
    """Anyone may ask the moderators to look at a published review again."""

    email = email_field("Your email (optional, never shown)", required=False)


class ResendConfirmationForm(PageForm):
    email = email_field("The email you used for the review")


class WithdrawForm(PageForm):
    """No fields: the CSRF token, so a withdrawal is always a deliberate POST."""


class HelpfulForm(PageForm):
    """No fields: the CSRF token, so a vote is a deliberate POST from our page."""
