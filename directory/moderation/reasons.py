"""Reason codes for moderation decisions and flags: the one list, with words for people."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    NOT_GENUINE = "not_genuine"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    PERSONAL_INFORMATION = "personal_information"
    OFFENSIVE = "offensive"
    PROMOTIONAL = "promotional"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


REASON_LABELS = {
    Reason.NOT_GENUINE: "Not a genuine experience",
    Reason.CONFLICT_OF_INTEREST: "Conflict of interest",
    Reason.PERSONAL_INFORMATION: "Contains personal information",
    Reason.OFFENSIVE: "Offensive or abusive",
    Reason.PROMOTIONAL: "Promotional or spam",
    Reason.OFF_TOPIC: "Off-topic",
    Reason.OTHER: "Other (explain in the note)",
}
# What a form says when the posted reason is none of the above.
CHOOSE_REASON = "Choose one of the listed reasons."


class PhotoReason(StrEnum):
    """Why a visitor reports a photo, and why a moderator takes one down."""

    NOT_THEM = "not_them"
    INAPPROPRIATE = "inappropriate"
    PERSONAL_INFORMATION = "photo_personal_information"
    NOT_THEIRS = "not_theirs"
    OTHER = "photo_other"


PHOTO_REASON_LABELS = {
    PhotoReason.NOT_THEM: "It does not show this therapist or clinic",
    PhotoReason.INAPPROPRIATE: "Inappropriate or offensive",
    PhotoReason.PERSONAL_INFORMATION: "Shows someone's personal information",
    PhotoReason.NOT_THEIRS: "Someone else's photo, used without permission",
    PhotoReason.OTHER: "Something else (explain in the note)",
}
