"""Forms for photos: uploading one, reporting one, and a moderator's decision on a report.

The file itself is read from `request.files` by the view (PageForm reads form fields only)
and checked by `images.prepare_upload`, whose message is shown next to the file field.
"""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.fields import SelectChoice, StringField
from wtforms.validators import DataRequired, Length, Optional

from directory.core.forms import ChoiceField, PageForm, RadioChoiceField, strip_whitespace
from directory.moderation.reasons import CHOOSE_REASON, PHOTO_REASON_LABELS, PhotoReason

PHOTO_REASON_CHOICES = [
    SelectChoice(code.value, label) for code, label in PHOTO_REASON_LABELS.items()
]


class PhotoUploadForm(PageForm):
    alt_text = StringField(
        "What the photo shows",
        validators=[Optional(), Length(max=200, message="Keep it under 200 characters.")],
        filters=[strip_whitespace],
        description="Read aloud to people who cannot see it, e.g. Treatment room by the"
        ' window. Leave it empty to say "Photo of" and the name.',
    )


class PhotoReportForm(PageForm):
    reason = ChoiceField(
        "What is wrong with this photo?",
        choices=PHOTO_REASON_CHOICES,
        validators=[DataRequired(message=CHOOSE_REASON)],
        invalid_message=CHOOSE_REASON,
    )
    note = TextAreaField(
        "Note for the moderators (optional)",
        validators=[Optional(), Length(max=1000, message="Keep it under 1,000 characters.")],
        filters=[strip_whitespace],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Here, not in validate_note: Optional() ends the field's checks when it is empty.
        if self.reason.data == PhotoReason.OTHER and not self.note.data:
            self.note.errors = [
                *self.note.errors,
                "Tell us what is wrong when you choose 'Something else'.",
            ]
            return False
        return valid


class PhotoDecisionForm(PageForm):
    decision = RadioChoiceField(
        "Decision",
        choices=[
            SelectChoice("take_down", "Take the photo down"),
            SelectChoice("dismiss", "Dismiss: keep the photo"),
        ],
        validators=[DataRequired(message="Choose take down or dismiss.")],
        invalid_message="Choose take down or dismiss.",
    )
    reason = ChoiceField(
        "Reason (when taken down)",
        choices=PHOTO_REASON_CHOICES,
        validators=[Optional()],
        invalid_message=CHOOSE_REASON,
    )
    note = TextAreaField(
        "Note", validators=[Optional(), Length(max=2000)], filters=[strip_whitespace]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Here, not in validate_reason: Optional() ends the field's checks when it is empty.
        if self.decision.data == "take_down" and not self.reason.data:
            self.reason.errors = [
                *self.reason.errors,
                "Choose the reason for taking the photo down.",
            ]
            return False
        return valid
