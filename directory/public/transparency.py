"""The numbers behind the public transparency page, live from the review rows.

Every count here includes reviews the public may not read (pending, rejected, removed),
and a public request runs with no clinic: on PostgreSQL row-level security then shows
only published rows to the app role.  So each aggregate runs inside `for_all_clinics()`,
the privileged path, and returns numbers only, never a row.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import sqlalchemy as sa

from directory.clinics.models import Clinic
from directory.core.pagination import Page
from directory.core.tenancy import for_all_clinics
from directory.extensions import db
from directory.moderation.reasons import REASON_LABELS
from directory.reviews.models import Review, ReviewState

CLINICS_PER_PAGE = 25
# SQLite has no percentile function: its median reads at most this many recent decisions.
MEDIAN_SAMPLE = 20_000


@dataclass(frozen=True)
class ReviewNumbers:
    received: int = 0
    published: int = 0
    rejected: int = 0
    removed: int = 0
    median_decision_seconds: float | None = None
    rejected_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def removed_share(self) -> float | None:
        """Of the reviews that were published, the share a moderator later removed."""
        ever_published = self.published + self.removed
        return self.removed / ever_published if ever_published else None


# Received: the author confirmed it (so it reached moderation), whatever happened next.
_received = sa.or_(
    Review.submitted_at.is_not(None),
    Review.state.in_(
        [ReviewState.PENDING, ReviewState.PUBLISHED, ReviewState.REJECTED, ReviewState.REMOVED]
    ),
)


def _counts(where, group_by=None) -> dict:
    """Received, published, rejected and removed, per `group_by` value (or for all)."""
    columns = [
        sa.func.count(sa.case((_received, 1))).label("received"),
        sa.func.count(sa.case((Review.state == ReviewState.PUBLISHED, 1))).label("published"),
        sa.func.count(sa.case((Review.state == ReviewState.REJECTED, 1))).label("rejected"),
        sa.func.count(sa.case((Review.state == ReviewState.REMOVED, 1))).label("removed"),
    ]
    if group_by is None:
        row = db.session.execute(
            sa.select(*columns).where(where).execution_options(all_clinics=True)
        ).one()
        return {None: row._asdict()}
    rows = db.session.execute(
        sa.select(group_by.label("group"), *columns)
        .where(where)
        .group_by(group_by)
        .execution_options(all_clinics=True)
    ).all()
    names = ("received", "published", "rejected", "removed")
    return {row[0]: dict(zip(names, row[1:], strict=True)) for row in rows}


def median_decision_seconds(clinic_ids: list[int] | None = None) -> dict[int | None, float]:
    """The median time from submission to a moderator's decision, in seconds: per clinic
    for `clinic_ids`, or for the whole platform (key None).  PostgreSQL computes it with
    percentile_cont; SQLite reads the recent decisions and takes the median in Python."""
    decided = sa.and_(Review.submitted_at.is_not(None), Review.decided_at.is_not(None))
    if clinic_ids is not None:
        decided = sa.and_(decided, Review.clinic_id.in_(clinic_ids))
    key = Review.clinic_id if clinic_ids is not None else sa.literal(None)
    if db.session.get_bind().dialect.name == "postgresql":
        seconds = sa.extract("epoch", Review.decided_at - Review.submitted_at)
        median = sa.func.percentile_cont(0.5).within_group(seconds)
        query = sa.select(key.label("key"), median).where(decided)
        if clinic_ids is not None:
            query = query.group_by(Review.clinic_id)
        rows = db.session.execute(query.execution_options(all_clinics=True)).all()
        return {row[0]: float(row[1]) for row in rows if row[1] is not None}
    rows = db.session.execute(
        sa.select(Review.clinic_id, Review.submitted_at, Review.decided_at)
        .where(decided)
        .order_by(Review.decided_at.desc())
        .limit(MEDIAN_SAMPLE)
        .execution_options(all_clinics=True)
    ).all()
    durations: dict[int | None, list[float]] = {}
    for clinic_id, submitted, decided_at in rows:
        group = clinic_id if clinic_ids is not None else None
        durations.setdefault(group, []).append((decided_at - submitted).total_seconds())
    return {group: statistics.median(values) for group, values in durations.items()}


def platform_numbers() -> ReviewNumbers:
    """The whole platform's numbers."""
    with for_all_clinics():  # see the module docstring: counts over non-published rows
        counts = _counts(sa.true())[None]
        reasons = dict(
            db.session.execute(
                sa.select(Review.rejection_reason, sa.func.count())
                .where(Review.state == ReviewState.REJECTED)
                .group_by(Review.rejection_reason)
                .execution_options(all_clinics=True)
            ).all()
        )
        median = median_decision_seconds().get(None)
    by_reason = {label: reasons.get(code.value, 0) for code, label in REASON_LABELS.items()}
    unknown = sum(n for code, n in reasons.items() if code not in {c.value for c in REASON_LABELS})
    if unknown:
        by_reason["No reason recorded"] = unknown
    return ReviewNumbers(**counts, median_decision_seconds=median, rejected_by_reason=by_reason)


def clinic_numbers(number: int) -> Page[tuple[Clinic, ReviewNumbers]]:
    """One page of active clinics, by name, each with its numbers (three queries a page)."""
    active = Clinic.is_active.is_(True)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Clinic).where(active))
    clinics = list(
        db.session.scalars(
            sa.select(Clinic)
            .where(active)
            .order_by(Clinic.name, Clinic.id)
            .limit(CLINICS_PER_PAGE)
            .offset((number - 1) * CLINICS_PER_PAGE)
        )
    )
    ids = [clinic.id for clinic in clinics]
    with for_all_clinics():  # see the module docstring: counts over non-published rows
        counts = _counts(Review.clinic_id.in_(ids), group_by=Review.clinic_id)
        medians = median_decision_seconds(ids)
    items = [
        (
            clinic,
            ReviewNumbers(
                **counts.get(clinic.id, {}), median_decision_seconds=medians.get(clinic.id)
            ),
        )
        for clinic in clinics
    ]
    return Page(items=items, number=number, per_page=CLINICS_PER_PAGE, total=total or 0)


def duration_words(seconds: float | None) -> str:
    """'—', '40 minutes', '5.5 hours', '2.1 days'."""
    if seconds is None:
        return "—"
    minutes = seconds / 60
    if minutes < 90:
        return f"{max(1, round(minutes))} minutes"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"
