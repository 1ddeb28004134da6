"""Forms for moderation decisions."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from directory.core.forms import ChoiceField, DayField, PageForm, RadioChoiceField, strip_whitespace
from directory.moderation.reasons import CHOOSE_REASON, REASON_LABELS, Reason

REASON_CHOICES = [SelectChoice(code.value, label) for code, label in REASON_LABELS.items()]


class ReasonForm(PageForm):
    """Reject or unpublish a review: a reason code, and a note ('other' needs one)."""

    reason = ChoiceField("Reason", choices=REASON_CHOICES, invalid_message=CHOOSE_REASON)
    note = TextAreaField(
        "Note to the reviewer",
        validators=[Optional(), Length(max=2000)],
        filters=[strip_whitespace],
        description="Sent to the reviewer with the reason. Required for 'Other'.",
    )

    def validate_note(self, field) -> None:
        if self.reason.data == Reason.OTHER and not (field.data or "").strip():
            raise ValidationError("Explain the decision when the reason is 'Other'.")


class FlagDecisionForm(PageForm):
    decision = RadioChoiceField(
        "Decision",
        choices=[
            SelectChoice("uphold", "Uphold: unpublish the review"),
            SelectChoice("dismiss", "Dismiss: keep the review"),
        ],
        validators=[DataRequired(message="Choose uphold or dismiss.")],
        invalid_message="Choose uphold or dismiss.",
    )
    reason = ChoiceField(
        "Reason (when upheld)",
        choices=REASON_CHOICES,
        validators=[Optional()],
        invalid_message=CHOOSE_REASON,
    )
    note = TextAreaField(
        "Note", validators=[Optional(), Length(max=2000)], filters=[strip_whitespace]
    )

    def validate_note(self, field) -> None:
        upheld_as_other = self.decision.data == "uphold" and self.reason.data == Reason.OTHER
        if upheld_as_other and not (field.data or "").strip():
            raise ValidationError("Explain the decision when the reason is 'Other'.")


class AccreditationRejectForm(PageForm):
    note = TextAreaField(
        "What did not match",
        validators=[DataRequired(message="Say what did not match."), Length(max=2000)],
        filters=[strip_whitespace],
    )


class AppealForm(PageForm):
    message = TextAreaField(
        "Why should we look again?",
        validators=[
            DataRequired(message="Tell us why the review should be published."),
            Length(max=2000, message="Keep it under 2,000 characters."),
        ],
        filters=[strip_whitespace],
    )


class AuditFilterForm(PageForm):
    class Meta:
        csrf = False

    action = ChoiceField("Action", validators=[Optional()])
    subject_type = ChoiceField(
        "Subject",
        choices=[
            SelectChoice("", "Any"),
            SelectChoice("review", "Review"),
            SelectChoice("flag", "Flag"),
            SelectChoice("accreditation", "Accreditation"),
        ],
        validators=[Optional()],
    )
    moderator = StringField("Moderator email", validators=[Optional(), Length(max=254)])
    since = DayField("From", validators=[Optional()])
    until = DayField("To", validators=[Optional()])
