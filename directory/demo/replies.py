"""Clinic replies to reviews and flags raised on them: what clinics and moderators see.

Clinics with demo accounts reply often (so their consoles have something to show); other
clinics now and then.  A few replies are held because they disclose a client's visit
details.  Flags are rare: some open for the moderators' queue, some dismissed, and an
upheld one behind many removed reviews.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from directory.demo.bulk import IdAllocator, RowBatch
from directory.demo.people import Person, reviewer_email
from directory.moderation.reasons import Reason
from directory.reviews.models import FlagSource, FlagState, ReplyState

if TYPE_CHECKING:  # only for annotations: reviews.py imports this module
    from directory.demo.reviews import ReviewedTherapist

REPLY_COLUMNS = (
    "id",
    "clinic_id",
    "review_id",
    "author_id",
    "body",
    "state",
    "warning_acknowledged",
    "published_at",
    "created_at",
    "updated_at",
)
FLAG_COLUMNS = (
    "id",
    "clinic_id",
    "review_id",
    "source",
    "flagged_by_id",
    "reporter_email",
    "reason_code",
    "note",
    "state",
    "resolved_by_id",
    "resolved_at",
    "created_at",
)

GRATEFUL = (
    "Thank you so much, {reviewer}! We're glad you enjoyed your visit and hope to see you again "
    "soon.",
    "Thanks for taking the time to write this, {reviewer}. {first} will be delighted to read it.",
    "We really appreciate the kind words. See you next time!",
)
APOLOGETIC = (
    "Thank you for the honest feedback. We're sorry the session didn't meet your expectations; "
    "please contact the front desk so we can make it right.",
    "We're sorry about the wait. We've changed how we schedule back-to-back sessions so it "
    "doesn't happen again.",
    "Thanks for letting us know. We've shared your comments with the team and would welcome "
    "the chance to do better.",
)
# Replies like these disclose a client's health and visit details; the app holds them.
DISCLOSING = (
    "Thanks {reviewer}! Glad the extra work on your {condition} at your {visit} appointment "
    "helped. {first} has noted it in your file for the follow-up.",
    "Hi {reviewer}, as discussed at your {visit} visit, your {condition} should keep improving "
    "if you keep up the stretches.",
)
FLAG_NOTES = {
    Reason.NOT_GENUINE: "We have no record of this client.",
    Reason.CONFLICT_OF_INTEREST: "We believe this was written by a former employee.",
    Reason.PERSONAL_INFORMATION: "The review names one of our staff's family members.",
    Reason.OFFENSIVE: "Abusive language.",
    Reason.PROMOTIONAL: "Advertises another clinic.",
    Reason.OFF_TOPIC: "About a parking dispute with our landlord.",
}
FLAG_SHARE = 0.003
HELD_SHARE = 0.08


class ReplyMaker:
    """Adds replies and flags to a batch for reviews that ReviewMaker has just made."""

    def __init__(
        self, rng: random.Random, anchor: datetime, ids: IdAllocator, moderator_id: int
    ) -> None:
        self.rng = rng
        self.anchor = anchor
        self.ids = ids
        self.moderator_id = moderator_id
        self.reasons = tuple(FLAG_NOTES)

    def maybe_reply(
        self,
        t: ReviewedTherapist,
        review_id: int,
        rating: int,
        reviewer: Person,
        published: datetime,
        words: dict,
        batch: RowBatch,
    ) -> None:
        """Sometimes the clinic's one public reply, in the tone the review calls for."""
        rng = self.rng
        if rng.random() >= t.reply_rate:
            return
        created = min(self.anchor, published + timedelta(minutes=rng.randint(60, 96 * 60)))
        held = rng.random() < HELD_SHARE
        if held:
            template = rng.choice(DISCLOSING)
        else:
            template = rng.choice(GRATEFUL if rating >= 4 else APOLOGETIC)
        body = template.format(
            reviewer=reviewer.first,
            first=words["first"],
            condition=words["condition"],
            visit=f"{published:%B} {published.day}",
        )
        batch.add(
            "clinic_replies",
            (
                self.ids.next("clinic_replies"),
                t.clinic_id,
                review_id,
                t.staff_id,
                body,
                ReplyState.HELD.value if held else ReplyState.PUBLISHED.value,
                False,
                None if held else created,
                created,
                created,
            ),
        )

    def maybe_flag(
        self, t: ReviewedTherapist, review_id: int, published: datetime, batch: RowBatch
    ) -> None:
        """Rarely, a flag on a published review: open, or dismissed by the moderator."""
        rng = self.rng
        if rng.random() >= FLAG_SHARE:
            return
        created = min(self.anchor, published + timedelta(minutes=rng.randint(60, 30 * 24 * 60)))
        dismissed = rng.random() < 0.4
        resolved = min(self.anchor, created + timedelta(minutes=rng.randint(30, 48 * 60)))
        self._flag(
            t,
            review_id,
            rng.choice(self.reasons),
            created,
            FlagState.DISMISSED if dismissed else FlagState.OPEN,
            resolved if dismissed else None,
            batch,
        )

    def upheld_flag(
        self,
        t: ReviewedTherapist,
        review_id: int,
        published: datetime,
        removed: datetime,
        reason: str,
        batch: RowBatch,
    ) -> None:
        """For about half of removed reviews, the flag that led the moderator to remove it."""
        rng = self.rng
        if rng.random() >= 0.5:
            return
        created = published + (removed - published) * rng.uniform(0.2, 0.9)
        reason = reason if reason in FLAG_NOTES else rng.choice(self.reasons)
        self._flag(t, review_id, reason, created, FlagState.UPHELD, removed, batch)

    def _flag(
        self,
        t: ReviewedTherapist,
        review_id: int,
        reason: str,
        created: datetime,
        state: FlagState,
        resolved: datetime | None,
        batch: RowBatch,
    ) -> None:
        rng = self.rng
        from_clinic = t.staff_id is not None and rng.random() < 0.6
        reporter = "" if from_clinic else reviewer_email(rng, t.city.mix.person(rng))
        batch.add(
            "review_flags",
            (
                self.ids.next("review_flags"),
                t.clinic_id,
                review_id,
                FlagSource.CLINIC.value if from_clinic else FlagSource.PUBLIC.value,
                t.staff_id if from_clinic else None,
                reporter,
                reason,
                FLAG_NOTES[reason] if from_clinic else "",
                state.value,
                self.moderator_id if resolved else None,
                resolved,
                created,
            ),
        )
