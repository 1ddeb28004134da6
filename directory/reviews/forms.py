"""Forms for writing a review, inviting a client, replying, flagging, and choosing how a
clinic member hears of new reviews."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, Field, HiddenField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from directory.clinics.models import ReviewEmails
from directory.core.formatting import month_names
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

RATING_WORDS = {1: "very poor", 2: "poor", 3: "average", 4: "good", 5: "excellent"}


def stars_out_of_five(stars: int) -> str:
    return f"{stars} star{'' if stars == 1 else 's'} out of 5"


# Lowest first: the stars read left to right, and arrow keys move along them in that order.
RATING_CHOICES = [
    SelectChoice(str(n), f"{stars_out_of_five(n)} ({RATING_WORDS[n]})") for n in range(1, 6)
]
ASPECT_CHOICES = [
    SelectChoice("", "Not rated"),
    *(SelectChoice(str(n), stars_out_of_five(n)) for n in range(1, 6)),
]
OLDEST_VISIT_MONTHS = 24
CHOOSE_RATING = "Choose a rating from 1 to 5."
GUEST_EMAIL_MISSING = "Enter your email so we can confirm the review is yours."


def months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class MonthYearField(Field):
    """The month of a visit, chosen as a month and a year: two selects posted as
    `<name>-month` and `<name>-year` (templates: `month_year_field`).  Its data is the
    month's first day, as stored.  A single `<name>` of YYYY-MM, as the form posted
    before it had two selects, is read too.

    Month names are the reader's (core.formatting); the years run from this one back
    `years_back` years.
    """

    CHOOSE_BOTH = "Choose the month and the year of your visit."

    def __init__(self, label=None, validators=None, *, years_back: int = 2, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.years_back = years_back

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors, self.raw_data = [], None
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.data = self.object_data = data
        if formdata is None:
            return
        self.data = None
        month = formdata.get(f"{self.name}-month", "").strip()
        year = formdata.get(f"{self.name}-year", "").strip()
        if not (month or year):
            month, year = self._typed_month(formdata.get(self.name, ""))
        self.raw_data = [month, year]
        if not (month or year):
            return  # DataRequired words the message
        if not (
            month.isdecimal() and 1 <= int(month) <= 12 and year.isdecimal() and len(year) == 4
        ):
            self.process_errors.append(self.CHOOSE_BOTH)
            return
        self.data = date(int(year), int(month), 1)

    @staticmethod
    def _typed_month(raw: str) -> tuple[str, str]:
        year, _, month = raw.strip().partition("-")
        return (month.lstrip("0"), year) if raw.strip() else ("", "")

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()  # the one message from process() says it all

    def _chosen(self) -> tuple[str, str]:
        """What the selects show: as posted (kept on error), else the data."""
        if self.raw_data:
            return self.raw_data[0], self.raw_data[1]
        if self.data is not None:
            return str(self.data.month), str(self.data.year)
        return "", ""

    def month_options(self) -> list[tuple[str, str, bool]]:
        """(value, the month's name in the reader's language, chosen)."""
        chosen = self._chosen()[0]
        return [(str(number), name, str(number) == chosen) for number, name in month_names()]

    def year_options(self) -> list[tuple[str, str, bool]]:
        chosen, this_year = self._chosen()[1], date.today().year
        years = [str(year) for year in range(this_year, this_year - self.years_back - 1, -1)]
        if chosen.isdecimal() and len(chosen) == 4 and chosen not in years:
            years.append(chosen)  # an older visit being edited, or a refused one, stays shown
        return [(year, year, year == chosen) for year in years]


def optional_int(value):
    return int(value) if value not in (None, "") else None


def aspect_field(label: str) -> RadioChoiceField:
    return RadioChoiceField(
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
    visit_month = MonthYearField(
        "Month of your visit",
        validators=[DataRequired(message=MonthYearField.CHOOSE_BOTH)],
        years_back=OLDEST_VISIT_MONTHS // 12,
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


class ReviewEmailsForm(PageForm):
    choice = RadioChoiceField(
        "Email me about new reviews",
        choices=[
            SelectChoice(ReviewEmails.EACH.value, "For each review, as soon as it is published"),
            SelectChoice(ReviewEmails.DAILY.value, "Once a day, one email listing the new reviews"),
            SelectChoice(ReviewEmails.NONE.value, "Never"),
        ],
        validators=[DataRequired(message="Choose how you want to hear of new reviews.")],
        invalid_message="Choose how you want to hear of new reviews.",
    )
