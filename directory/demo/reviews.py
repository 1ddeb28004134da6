"""Reviews with a believable life cycle, and the rating totals they add up to.

Every review follows the real state machine: a guest's review waits for its email link
(`awaiting_email`, never older than the 7-day purge), then queues for a moderator
(`pending`), then is `published` or `rejected` with a reason code; published reviews may
later be `removed`, and reviewers may withdraw.  "Verified client" reviews come from a
clinic's invitation, which is written too.  Visits fall in the last two years, never in
the future.  Rating totals are summed (see ratings.py) from exactly the rows marked published.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from directory.demo.bulk import IdAllocator, RowBatch
from directory.demo.people import Person, reviewer_email
from directory.demo.ratings import RatingTotals
from directory.demo.reference import PlacedCity, Reference
from directory.demo.replies import ReplyMaker
from directory.demo.review_text import compose_review
from directory.moderation.reasons import Reason
from directory.reviews.models import Provenance, ReviewState

REVIEW_COLUMNS = (
    "id",
    "clinic_id",
    "therapist_id",
    "user_id",
    "invitation_id",
    "reviewer_email",
    "reviewer_name",
    "initials_only",
    "rating",
    "rating_technique",
    "rating_communication",
    "rating_environment",
    "rating_value",
    "title",
    "body",
    "visit_month",
    "provenance",
    "state",
    "revision",
    "rejection_reason",
    "decision_note",
    "is_appeal",
    "appealed_at",
    "submitted_ip",
    "helpful_count",
    "email_confirmed_at",
    "submitted_at",
    "decided_at",
    "published_at",
    "created_at",
    "updated_at",
)
INVITATION_COLUMNS = (
    "id",
    "clinic_id",
    "therapist_id",
    "invited_by_id",
    "client_email",
    "client_name",
    "visit_date",
    "created_at",
    "expires_at",
    "used_at",
)

# Most reviews are decided; the queues hold only the last days' arrivals.
STATE_WEIGHTS = (
    (ReviewState.PUBLISHED, 88.5),
    (ReviewState.REJECTED, 5.0),
    (ReviewState.PENDING, 2.0),
    (ReviewState.AWAITING_EMAIL, 1.5),
    (ReviewState.REMOVED, 1.5),
    (ReviewState.WITHDRAWN, 1.5),
)
# Moderators' reason codes for rejecting or removing a review, with how often each is used.
REASON_WEIGHTS = (
    (Reason.NOT_GENUINE, 30),
    (Reason.PROMOTIONAL, 20),
    (Reason.CONFLICT_OF_INTEREST, 15),
    (Reason.PERSONAL_INFORMATION, 15),
    (Reason.OFFENSIVE, 10),
    (Reason.OFF_TOPIC, 10),
)
DECISION_NOTES = {
    Reason.NOT_GENUINE: "Several near-identical reviews from one address within an hour.",
    Reason.PROMOTIONAL: "Contains a discount code and a link to another business.",
    Reason.CONFLICT_OF_INTEREST: "The reviewer works at the reviewed clinic.",
    Reason.PERSONAL_INFORMATION: "Names another client and describes their treatment.",
    Reason.OFFENSIVE: "Abusive language about the therapist.",
    Reason.OFF_TOPIC: "About parking fines, not the treatment.",
}
# Cumulative chance of an overall rating of at most 1, 2, 3, 4: J-shaped, as real reviews are.
RATING_CUMULATIVE = (0.05, 0.09, 0.17, 0.40)
VERIFIED_CLIENT_SHARE = 0.42
ASPECT_SHARE = 0.4
TEST_NETS = ("192.0.2", "198.51.100", "203.0.113")  # documentation address blocks (RFC 5737)
NEWEST_DAYS = 715  # reviews span the last two years


@dataclass
class ReviewedTherapist:
    """What review generation needs to know about one therapist."""

    id: int
    clinic_id: int
    clinic_name: str
    city: PlacedCity
    person: Person
    modalities: tuple[str, ...]
    conditions: tuple[str, ...]
    listed_at: datetime  # when the profile went public; reviews come after
    quality: float  # shifts this therapist's ratings up or down
    staff_id: int | None = None  # who sends invitations and replies, if the clinic has an account
    reply_rate: float = 0.04
    words: dict = field(default_factory=dict)


def month_start(day: date) -> date:
    return day.replace(day=1)


class ReviewMaker:
    """Writes a therapist's reviews (and invitations, replies, flags, totals) into a batch.

    The first reviews made show every state and every reason code once, so even a tiny
    seed exercises each path; after that states and reasons follow their weights.
    """

    def __init__(
        self,
        rng: random.Random,
        ref: Reference,
        anchor: datetime,
        ids: IdAllocator,
        moderator_id: int,
    ) -> None:
        self.rng = rng
        self.ref = ref
        self.anchor = anchor
        self.ids = ids
        self.moderator_id = moderator_id
        self.replies = ReplyMaker(rng, anchor, ids, moderator_id)
        self.state_showcase = deque(state for state, _ in STATE_WEIGHTS)
        self.reason_showcase = deque(reason for reason, _ in REASON_WEIGHTS)
        self.states = [state.value for state, _ in STATE_WEIGHTS]
        self.state_weights = [weight for _, weight in STATE_WEIGHTS]
        self.reasons = [reason for reason, _ in REASON_WEIGHTS]
        self.reason_weights = [weight for _, weight in REASON_WEIGHTS]
        today = anchor.date()
        earliest = today.replace(day=1)
        for _ in range(23):
            earliest = (earliest - timedelta(days=1)).replace(day=1)
        self.earliest_month = earliest

    def for_therapist(
        self,
        therapist: ReviewedTherapist,
        count: int,
        batch: RowBatch,
        taken_emails: set[str] | None = None,
        totals: RatingTotals | None = None,
    ) -> None:
        """`count` reviews of `therapist`, then its rating totals if any review is published.

        `taken_emails` and `totals` carry on from reviews already written for this
        therapist, so reviewer addresses stay unique and the totals complete.
        """
        taken_emails = set() if taken_emails is None else taken_emails
        totals = RatingTotals() if totals is None else totals
        for _ in range(count):
            self._review(therapist, self._next_state(), taken_emails, totals, batch)
        if totals.count:
            batch.add(
                "therapist_ratings", totals.row(therapist.id, therapist.clinic_id, self.anchor)
            )

    def _next_state(self) -> str:
        if self.state_showcase:
            return self.state_showcase.popleft().value
        return self.rng.choices(self.states, self.state_weights)[0]

    def _next_reason(self) -> str:
        if self.reason_showcase:
            return self.reason_showcase.popleft()
        return self.rng.choices(self.reasons, self.reason_weights)[0]

    def _rating(self, quality: float) -> int:
        draw = min(0.9999, max(0.0, self.rng.random() + quality))
        return 1 + bisect(RATING_CUMULATIVE, draw)

    def _aspects(self, rating: int) -> tuple[int | None, ...]:
        rng = self.rng
        if rng.random() >= ASPECT_SHARE:
            return (None, None, None, None)
        return tuple(
            min(5, max(1, rating + rng.choice((-1, 0, 0, 0, 1)))) if rng.random() < 0.85 else None
            for _ in range(4)
        )

    def _review(
        self,
        t: ReviewedTherapist,
        state: str,
        taken_emails: set[str],
        totals: RatingTotals,
        batch: RowBatch,
    ) -> None:
        rng = self.rng
        review_id = self.ids.next("reviews")
        rating = self._rating(t.quality)
        aspects = self._aspects(rating)
        person = t.city.mix.person(rng)
        email = reviewer_email(rng, person)
        while email in taken_emails:
            email = email.replace("@", f"{rng.randrange(10)}@", 1)
        taken_emails.add(email)
        created = self._written_at(t, state)
        invitation_id = None
        if state != ReviewState.AWAITING_EMAIL and rng.random() < VERIFIED_CLIENT_SHARE:
            invitation_id, visit_date = self._invitation(t, person, email, created, batch)
            confirmed = created  # the invitation's link proved the address
        else:
            visit_date = created.date() - timedelta(days=rng.randint(0, 40))
            confirmed = None
            if state != ReviewState.AWAITING_EMAIL:
                confirmed = created + timedelta(minutes=rng.randint(1, 240))
        decided, published, reason = self._decision(state, confirmed)

        modality = rng.choice(t.modalities) if rng.random() < 0.4 else t.modalities[0]
        condition = self.ref.condition_terms[rng.choice(t.conditions)]
        words = {
            **t.words,
            "modality": self.ref.modality_terms[modality].phrase,
            "condition": condition.phrase,
            "area": condition.area,
        }
        title, body = compose_review(rng, rating, modality, words)
        provenance = Provenance.VERIFIED_CLIENT if invitation_id else Provenance.EMAIL_CONFIRMED
        updated = max(moment for moment in (created, confirmed, decided, published) if moment)
        batch.add(
            "reviews",
            (
                review_id,
                t.clinic_id,
                t.id,
                None,
                invitation_id,
                email,
                person.name,
                rng.random() < 0.15,
                rating,
                *aspects,
                title,
                body,
                max(month_start(visit_date), self.earliest_month),
                provenance.value,
                state,
                2 if rng.random() < 0.05 else 1,
                reason,
                DECISION_NOTES.get(reason, ""),
                False,
                None,
                f"{rng.choice(TEST_NETS)}.{rng.randint(1, 254)}",
                int(rng.expovariate(0.6)) if published and rng.random() < 0.35 else 0,
                confirmed,
                confirmed,
                decided,
                published,
                created,
                updated,
            ),
        )
        if state == ReviewState.PUBLISHED:
            totals.add(rating, aspects)
            self.replies.maybe_reply(t, review_id, rating, person, published, words, batch)
            self.replies.maybe_flag(t, review_id, published, batch)
        elif state == ReviewState.REMOVED:
            self.replies.upheld_flag(t, review_id, published, decided, reason, batch)
        if rng.random() < 0.05:
            self._unused_invitation(t, batch)

    def _written_at(self, t: ReviewedTherapist, state: str) -> datetime:
        """When the reviewer wrote it: the queues hold only recent arrivals."""
        rng, anchor = self.rng, self.anchor
        if state == ReviewState.AWAITING_EMAIL:  # unconfirmed reviews are purged after 7 days
            return anchor - timedelta(minutes=rng.randint(30, 6 * 24 * 60))
        if state == ReviewState.PENDING:
            return anchor - timedelta(minutes=rng.randint(60, 12 * 24 * 60))
        oldest = max(2, min(NEWEST_DAYS, (anchor - t.listed_at).days - 1))
        # More reviews lately than long ago, as a directory grows.
        age_minutes = int(oldest * 1440 * (1.0 - rng.random() ** 0.5))
        return anchor - timedelta(minutes=age_minutes + rng.randint(720, 1320))

    def _invitation(
        self, t: ReviewedTherapist, person: Person, email: str, used: datetime, batch: RowBatch
    ) -> tuple[int, date]:
        """The clinic's invitation after a visit, answered at `used`; its id and visit date."""
        rng = self.rng
        invitation_id = self.ids.next("review_invitations")
        sent = used - timedelta(minutes=rng.randint(30, 10 * 24 * 60))
        visit_date = sent.date() - timedelta(days=rng.randint(0, 2))
        batch.add(
            "review_invitations",
            (
                invitation_id,
                t.clinic_id,
                t.id,
                t.staff_id,
                email,
                person.name,
                visit_date,
                sent,
                sent + timedelta(days=30),
                used,
            ),
        )
        return invitation_id, visit_date

    def _decision(
        self, state: str, submitted: datetime | None
    ) -> tuple[datetime | None, datetime | None, str | None]:
        """When a moderator decided, when it went public, and the reason code if refused."""
        rng, anchor = self.rng, self.anchor
        if state == ReviewState.WITHDRAWN and rng.random() < 0.5:  # withdrawn after publication
            return None, min(anchor, submitted + timedelta(minutes=rng.randint(20, 72 * 60))), None
        if state not in (ReviewState.PUBLISHED, ReviewState.REJECTED, ReviewState.REMOVED):
            return None, None, None
        decided = min(anchor, submitted + timedelta(minutes=rng.randint(20, 72 * 60)))
        if state == ReviewState.PUBLISHED:
            return decided, decided, None
        if state == ReviewState.REJECTED:
            return decided, None, self._next_reason()
        removed = min(anchor, decided + timedelta(minutes=rng.randint(720, 60 * 24 * 60)))
        return removed, decided, self._next_reason()

    def _unused_invitation(self, t: ReviewedTherapist, batch: RowBatch) -> None:
        """An invitation the client has not (yet) answered: open or lapsed."""
        rng = self.rng
        person = t.city.mix.person(rng)
        sent = self.anchor - timedelta(minutes=rng.randint(60, 90 * 24 * 60))
        batch.add(
            "review_invitations",
            (
                self.ids.next("review_invitations"),
                t.clinic_id,
                t.id,
                t.staff_id,
                reviewer_email(rng, person),
                person.name,
                sent.date() - timedelta(days=rng.randint(0, 2)),
                sent,
                sent + timedelta(days=30),
                None,
            ),
        )
