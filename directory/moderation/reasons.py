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
