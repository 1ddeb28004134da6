"""The reviewed clinic's voice: one public reply per review, and flags for moderators.

The clinic never decides: it cannot edit, hide or delete a review.  A reply that looks like
it discloses a client's health or visit details is held with a warning the first time; the
author must confirm it, or edit it.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from directory.accounts.models import User
from directory.core.models import utcnow
from directory.extensions import db
from directory.moderation.reasons import Reason
from directory.reviews.models import (
    ClinicReply,
    FlagSource,
    FlagState,
    ReplyState,
    Review,
    ReviewFlag,
    ReviewState,
)
from directory.taxonomy.models import Condition

# Phrases that usually reveal that someone is a client, or what they were treated for.
DISCLOSURE_PATTERNS = [
    r"\byour (?:condition|injury|injuries|diagnosis|treatment|treatments|session|sessions|"
    r"appointment|appointments|visit|visits|pain|symptoms|medical|health|history|file|record)\b",
    r"\b(?:as|being) (?:our|a) (?:client|patient)\b",
    r"\byou (?:came|come|visited|booked|attended|were seen|saw us)\b",
    r"\b(?:diagnos\w*|prescri\w*|pregnan\w*|surgery|injur\w+|medication)\b",
    r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b",
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b",
    r"\b\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
]
_DISCLOSURE = re.compile("|".join(f"(?:{p})" for p in DISCLOSURE_PATTERNS), re.IGNORECASE)


class NotAllowed(Exception):
    pass


class ReplyHeld(Exception):
    """The reply may disclose a client's details; `phrases` are what triggered the warning."""

    def __init__(self, reply: ClinicReply, phrases: list[str]):
        super().__init__(", ".join(phrases))
        self.reply, self.phrases = reply, phrases


def disclosure_phrases(text: str) -> list[str]:
    """Phrases in `text` that look like a client's health or visit details."""
    found = [match.group(0) for match in _DISCLOSURE.finditer(text)]
    condition_names = db.session.scalars(sa.select(Condition.name))
    lowered = text.lower()
    found += [name for name in condition_names if name.lower() in lowered]
    return sorted(set(found), key=str.lower)


def reply_to(review: Review) -> ClinicReply | None:
    return db.session.scalar(sa.select(ClinicReply).where(ClinicReply.review_id == review.id))


def post_reply(review: Review, author: User, body: str, *, confirmed: bool) -> ClinicReply:
    """Publish (or edit) the clinic's one reply to a published review.

    Raises ReplyHeld, with the reply saved as held, when the text looks like it discloses a
    client's details and the author has not confirmed it.
    """
    if review.state != ReviewState.PUBLISHED:
        raise NotAllowed("Only published reviews can be answered.")
    reply = reply_to(review)
    if reply is None:
        reply = ClinicReply(clinic_id=review.clinic_id, review_id=review.id)
        db.session.add(reply)
    changed = reply.body != body.strip()
    reply.body, reply.author_id = body.strip(), author.id
    phrases = disclosure_phrases(reply.body)
    if phrases and not (confirmed and not changed):
        reply.state, reply.warning_acknowledged = ReplyState.HELD, False
        db.session.flush()
        raise ReplyHeld(reply, phrases)
    reply.state = ReplyState.PUBLISHED
    reply.warning_acknowledged = bool(phrases)
    reply.published_at = reply.published_at or utcnow()
    db.session.flush()
    return reply


def flag_review(
    review: Review,
    reason: Reason,
    note: str,
    *,
    source: FlagSource,
    flagged_by: User | None = None,
    reporter_email: str = "",
) -> ReviewFlag:
    """Ask the moderators to look at a published review again; the review itself is untouched.

    One open flag per review from its clinic, and one per review from a given address.
    The caller must have entered the review's clinic (flags are the clinic's rows).
    """
    if review.state != ReviewState.PUBLISHED:
        raise NotAllowed("Only published reviews can be flagged.")
    if reason == Reason.OTHER and not note.strip():
        raise NotAllowed("Say what is wrong when you choose 'Other'.")
    same_reporter = (
        ReviewFlag.source == FlagSource.CLINIC
        if source == FlagSource.CLINIC
        else sa.and_(
            ReviewFlag.source == FlagSource.PUBLIC, ReviewFlag.reporter_email == reporter_email
        )
    )
    open_flag = db.session.scalar(
        sa.select(ReviewFlag.id).where(
            ReviewFlag.review_id == review.id, ReviewFlag.state == FlagState.OPEN, same_reporter
        )
    )
    if open_flag is not None and (source == FlagSource.CLINIC or reporter_email):
        raise NotAllowed("You have already flagged this review; a moderator will look at it.")
    flag = ReviewFlag(
        clinic_id=review.clinic_id,
        review_id=review.id,
        source=source,
        flagged_by_id=flagged_by.id if flagged_by is not None else None,
        reporter_email=reporter_email,
        reason_code=reason,
        note=note.strip(),
    )
    db.session.add(flag)
    db.session.flush()
    return flag
