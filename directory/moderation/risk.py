"""Risk signals on pending reviews, for a page of the moderation queue at once.

The signals are hints for a person, never decisions.  `signals_for(reviews)` answers in
four queries whatever the page size: the neighbouring reviews (same therapist, same
reviewer email or same address, recent), the therapists' rating totals, and the team
members of the clinics concerned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from rapidfuzz import fuzz

from directory.accounts.models import User
from directory.clinics.models import Membership
from directory.extensions import db
from directory.reviews.guards import is_disposable
from directory.reviews.models import Review, ReviewState, TherapistRating

# Texts at least this similar (0-100, rapidfuzz token set ratio) count as near-duplicates.
DUPLICATE_SIMILARITY = 85
# How far back neighbouring reviews are compared.
LOOKBACK = timedelta(days=90)
BURST_WINDOW = timedelta(hours=24)
BURST_SIZE = 3  # this many reviews (this one included) in the window is a burst
OUTLIER_DISTANCE = 2.5
OUTLIER_MIN_REVIEWS = 5

_LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|ca|io|co|info|biz)\b", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(r"(?:\+?\d[\s().-]?){7,}\d")


@dataclass(frozen=True)
class Signal:
    code: str
    label: str
    detail: str = ""


def contact_details(text: str) -> list[str]:
    """Which kinds of contact details or links appear in `text`."""
    found = []
    if _LINK.search(_EMAIL.sub(" ", text)):  # an email's domain is not a link
        found.append("a link")
    if _EMAIL.search(text):
        found.append("an email address")
    if _PHONE.search(text):
        found.append("a phone number")
    return found


def _neighbours(reviews: list[Review]) -> list[Review]:
    since = min(r.created_at for r in reviews) - LOOKBACK
    emails = {r.reviewer_email for r in reviews}
    ips = {r.submitted_ip for r in reviews if r.submitted_ip}
    therapists = {r.therapist_id for r in reviews}
    related = [Review.therapist_id.in_(therapists), Review.reviewer_email.in_(emails)]
    if ips:
        related.append(Review.submitted_ip.in_(ips))
    return list(
        db.session.scalars(
            sa.select(Review).where(
                Review.created_at >= since,
                Review.state != ReviewState.WITHDRAWN,
                sa.or_(*related),
            )
        )
    )


def _team_emails(reviews: list[Review]) -> set[tuple[int, str]]:
    clinics = {r.clinic_id for r in reviews}
    rows = db.session.execute(
        sa.select(Membership.clinic_id, User.email)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.clinic_id.in_(clinics), User.email.in_({r.reviewer_email for r in reviews})
        )
    )
    return {(clinic_id, email) for clinic_id, email in rows}


def _ratings(reviews: list[Review]) -> dict[int, TherapistRating]:
    rows = db.session.scalars(
        sa.select(TherapistRating).where(
            TherapistRating.therapist_id.in_({r.therapist_id for r in reviews})
        )
    )
    return {row.therapist_id: row for row in rows}


def _text(review: Review) -> str:
    return f"{review.title} {review.body}".lower()


def _signals(review, neighbours, ratings, team) -> list[Signal]:
    found = []
    others = [n for n in neighbours if n.id != review.id]
    for other in others:
        related = (
            other.therapist_id == review.therapist_id
            or other.reviewer_email == review.reviewer_email
            or (review.submitted_ip and other.submitted_ip == review.submitted_ip)
        )
        if related and fuzz.token_set_ratio(_text(review), _text(other)) >= DUPLICATE_SIMILARITY:
            found.append(
                Signal("duplicate", "Near-duplicate text", f"of review #{other.id} ({other.state})")
            )
            break

    def near(other):
        return abs(other.created_at - review.created_at) <= BURST_WINDOW

    if review.submitted_ip:
        same_ip = [n for n in others if n.submitted_ip == review.submitted_ip and near(n)]
        if len(same_ip) + 1 >= BURST_SIZE:
            found.append(
                Signal("burst_ip", "Burst from one address", f"{len(same_ip) + 1} reviews in 24 h")
            )
    same_therapist = [n for n in others if n.therapist_id == review.therapist_id and near(n)]
    if len(same_therapist) + 1 >= BURST_SIZE:
        found.append(
            Signal(
                "burst_therapist",
                "Burst for this therapist",
                f"{len(same_therapist) + 1} reviews in 24 h",
            )
        )
    contacts = contact_details(f"{review.title} {review.body}")
    if contacts:
        found.append(Signal("contact", "Contact details or links", ", ".join(contacts)))
    rating = ratings.get(review.therapist_id)
    outlier = (
        rating is not None
        and rating.review_count >= OUTLIER_MIN_REVIEWS
        and abs(review.rating - rating.mean) >= OUTLIER_DISTANCE
    )
    if outlier:
        found.append(
            Signal(
                "outlier",
                "Rating far from the therapist's others",
                f"{review.rating} ★ against a mean of {rating.mean:.1f} from "
                f"{rating.review_count} reviews",
            )
        )
    if is_disposable(review.reviewer_email):
        found.append(Signal("disposable", "Disposable-looking email", review.reviewer_email))
    if (review.clinic_id, review.reviewer_email) in team:
        found.append(
            Signal("conflict", "Conflict of interest", "the reviewer is on the clinic's team")
        )
    return found


def signals_for(reviews: list[Review]) -> dict[int, list[Signal]]:
    """Risk signals per review id, for a page of reviews, in a fixed number of queries."""
    if not reviews:
        return {}
    neighbours = _neighbours(reviews)
    ratings = _ratings(reviews)
    team = _team_emails(reviews)
    return {review.id: _signals(review, neighbours, ratings, team) for review in reviews}
