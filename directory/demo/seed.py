"""Deterministic, realistic demo data for local use, demos and benchmarks.

`seed_demo` fills the database with clinics in real cities, their therapists and a
history of reviews, plus the founding clinic (Bang Rak Thai Massage, with John
Wintertime) and accounts to sign in with.  The same size and seed give the same rows; only
timestamps move with the current day.  Rows are generated and written in batches (COPY on
PostgreSQL), so a million reviews take minutes and little memory.  Every therapist gets a
generated headshot (demo.headshots), its files written to the media storage.  Search
documents are not written: `flask --app directory search reindex` builds them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

import sqlalchemy as sa

from directory.core.passwords import hash_password
from directory.demo.accounts import (
    CLIENT,
    DAILY_VIEW_COLUMNS,
    DEMO_ACCOUNTS,
    MANAGER,
    MEMBERSHIP_COLUMNS,
    MODERATOR,
    OWNER,
    TEAM_INVITATION_COLUMNS,
    USER_COLUMNS,
    daily_views,
    ensure_accounts,
    team_rows,
)
from directory.demo.bulk import BulkWriter, IdAllocator, RowBatch
from directory.demo.clinics import CLINIC_COLUMNS, ClinicFacts, ClinicMaker
from directory.demo.credentials import ACCREDITATION_COLUMNS, AccreditationMaker
from directory.demo.founding import (
    FOUNDER_SLUG,
    FOUNDING_CLINIC_NAME,
    FOUNDING_CLINIC_SLUG,
    founder_reviews,
    founder_rows,
    founding_clinic_row,
)
from directory.demo.headshots import PHOTO_COLUMNS, HeadshotMaker
from directory.demo.hours import CLOSURE_COLUMNS, HOURS_COLUMNS, clinic_hours
from directory.demo.plan import Plan, make_plan
from directory.demo.ratings import RATING_COLUMNS
from directory.demo.reference import Reference, load_reference
from directory.demo.replies import FLAG_COLUMNS, REPLY_COLUMNS
from directory.demo.reviews import (
    INVITATION_COLUMNS,
    REVIEW_COLUMNS,
    ReviewMaker,
)
from directory.demo.therapists import (
    CONDITION_LINK_COLUMNS,
    LANGUAGE_LINK_COLUMNS,
    MODALITY_LINK_COLUMNS,
    THERAPIST_COLUMNS,
    TherapistMaker,
)
from directory.extensions import db

DEMO_PASSWORD = "demo-password-1"
# (role label, email) of every demo account; all use DEMO_PASSWORD.
DEMO_SIGN_INS: list[tuple[str, str]] = [(account.label, account.email) for account in DEMO_ACCOUNTS]

# Parents before children, so every foreign key is satisfied as each batch is written.
TABLES = (
    ("users", USER_COLUMNS),
    ("clinics", CLINIC_COLUMNS),
    ("clinic_hours", HOURS_COLUMNS),
    ("clinic_closures", CLOSURE_COLUMNS),
    ("memberships", MEMBERSHIP_COLUMNS),
    ("team_invitations", TEAM_INVITATION_COLUMNS),
    ("therapists", THERAPIST_COLUMNS),
    ("therapist_modalities", MODALITY_LINK_COLUMNS),
    ("therapist_conditions", CONDITION_LINK_COLUMNS),
    ("therapist_languages", LANGUAGE_LINK_COLUMNS),
    ("photos", PHOTO_COLUMNS),
    ("accreditations", ACCREDITATION_COLUMNS),
    ("review_invitations", INVITATION_COLUMNS),
    ("reviews", REVIEW_COLUMNS),
    ("clinic_replies", REPLY_COLUMNS),
    ("review_flags", FLAG_COLUMNS),
    ("therapist_ratings", RATING_COLUMNS),
    ("therapist_daily_views", DAILY_VIEW_COLUMNS),
)
ID_TABLES = (
    "users",
    "clinics",
    "memberships",
    "team_invitations",
    "therapists",
    "photos",
    "accreditations",
    "review_invitations",
    "reviews",
    "clinic_replies",
    "review_flags",
)
# Rows held in memory before a batch is written: about 30 MB at these sizes.
FLUSH_AFTER_REVIEWS = 20_000
FLUSH_AFTER_THERAPISTS = 5_000
OWNER_CLINIC_REPLY_RATE = 0.3


@dataclass(frozen=True)
class DemoSize:
    clinics: int
    therapists: int
    reviews: int


@dataclass(frozen=True)
class SeedResult:
    clinics: int
    therapists: int
    reviews: int
    password: str = DEMO_PASSWORD
    sign_ins: list[tuple[str, str]] = field(default_factory=list)


def seed_demo(size: DemoSize, seed: int, only_if_empty: bool = False) -> SeedResult | None:
    """Add `size` worth of demo data and commit; None if `only_if_empty` and clinics exist.

    Deterministic: the same size and seed on the same starting database give the same
    rows (timestamps are relative to the current day).  Transactional: everything is
    written in the session's transaction and committed once, so a failure leaves nothing
    behind.  Counts include the founding clinic, John Wintertime and his reviews, which
    are added unless the database already has them.  Raises ReferenceDataMissing if the
    reference tables were never loaded.
    """
    connection = db.session.connection()
    if only_if_empty and connection.scalar(sa.text("SELECT EXISTS (SELECT 1 FROM clinics)")):
        return None
    result = DemoSeeder(connection, size, seed).run()
    db.session.commit()
    return result


class DemoSeeder:
    """One run of the seed: its random stream, id allocation and write batches."""

    def __init__(self, connection: sa.Connection, size: DemoSize, seed: int) -> None:
        self.connection = connection
        self.size = size
        self.seed = seed
        self.rng = random.Random(seed)
        self.anchor = datetime.combine(datetime.now(UTC).date(), time(), tzinfo=UTC)
        self.ids = IdAllocator(connection, ID_TABLES)
        self.writer = BulkWriter(connection, db.metadata)
        self.batch = RowBatch(TABLES)

    def run(self) -> SeedResult:
        # Everything is read from the database before the first write is queued: after
        # that the writer's thread owns the connection until `reset_sequences` waits for it.
        ref = load_reference(self.connection)
        with_founding = not self._founding_exists()
        therapist_slugs = set(self.connection.scalars(sa.text("SELECT slug FROM therapists")))
        accounts = ensure_accounts(
            self.connection, self.ids, self.batch, hash_password(DEMO_PASSWORD), self.anchor
        )
        clinics = self._clinics(ref, with_founding)
        plan = make_plan(
            self.size.clinics, self.size.therapists, self.size.reviews, self.seed, with_founding
        )
        owner_clinics = clinics[:2] if with_founding else []
        if with_founding:
            team_rows(owner_clinics, accounts, self.ids, self.batch, self.anchor)
        try:
            self.batch.flush(self.writer)
            therapists = self._therapists(
                ref, clinics, plan, accounts, owner_clinics, with_founding, therapist_slugs
            )
            self.batch.flush(self.writer)
            self.writer.reset_sequences(ID_TABLES)
        finally:
            self.writer.close()
        return SeedResult(
            clinics=len(clinics),
            therapists=therapists,
            reviews=self.writer.counts.get("reviews", 0),
            sign_ins=list(DEMO_SIGN_INS),
        )

    def _founding_exists(self) -> bool:
        return bool(
            self.connection.scalar(
                sa.text(
                    "SELECT EXISTS (SELECT 1 FROM clinics WHERE slug = :clinic OR name = :name)"
                    " OR EXISTS (SELECT 1 FROM therapists WHERE slug = :therapist)"
                ),
                {
                    "clinic": FOUNDING_CLINIC_SLUG,
                    "name": FOUNDING_CLINIC_NAME,
                    "therapist": FOUNDER_SLUG,
                },
            )
        )

    def _clinics(self, ref: Reference, with_founding: bool) -> list[ClinicFacts]:
        taken = self.connection.execute(sa.text("SELECT name, slug FROM clinics")).all()
        maker = ClinicMaker(
            self.rng, ref, self.anchor, {row.name for row in taken}, {row.slug for row in taken}
        )
        clinics = []
        if with_founding:
            row, facts = founding_clinic_row(self.ids.next("clinics"), ref, self.anchor)
            maker.taken_names.add(FOUNDING_CLINIC_NAME)
            maker.taken_slugs.add(FOUNDING_CLINIC_SLUG)
            self._add_clinic(row, facts, founding=True)
            clinics.append(facts)
        while len(clinics) < self.size.clinics:
            row, facts = maker.make(self.ids.next("clinics"))
            self._add_clinic(row, facts)
            clinics.append(facts)
        return clinics

    def _add_clinic(self, row: tuple, facts: ClinicFacts, *, founding: bool = False) -> None:
        self.batch.add("clinics", row)
        slug = row[CLINIC_COLUMNS.index("slug")]
        week, closures = clinic_hours(
            facts.id, slug, facts.city.demo.country, self.anchor.date(), founding=founding
        )
        for hours_row in week:
            self.batch.add("clinic_hours", hours_row)
        for closure in closures:
            self.batch.add("clinic_closures", closure)

    def _therapists(
        self,
        ref: Reference,
        clinics: list[ClinicFacts],
        plan: Plan,
        accounts: dict[str, int],
        owner_clinics: list[ClinicFacts],
        with_founding: bool,
        taken_slugs: set[str],
    ) -> int:
        """Every therapist with its reviews, clinic by clinic; returns how many were made."""
        moderator_id = accounts[MODERATOR.email]
        taken_slugs.add(FOUNDER_SLUG)
        therapist_maker = TherapistMaker(
            self.rng,
            ref,
            self.anchor,
            self.ids,
            AccreditationMaker(self.rng, ref, self.anchor, self.ids, moderator_id),
            taken_slugs,
        )
        review_maker = ReviewMaker(self.rng, ref, self.anchor, self.ids, moderator_id)
        headshots = HeadshotMaker(self.ids, self.anchor)
        console_staff = {
            clinic.id: accounts[MANAGER.email if i == 0 else OWNER.email]
            for i, clinic in enumerate(owner_clinics)
        }
        index = 0
        for clinic, team_size in zip(clinics, plan.clinic_sizes, strict=True):
            for _ in range(team_size):
                taken_emails, totals = set(), None
                if with_founding and index == 0:
                    therapist = founder_rows(
                        self.ids.next("therapists"),
                        clinic,
                        ref,
                        self.ids,
                        self.batch,
                        moderator_id,
                        self.anchor,
                    )
                    taken_emails, totals = founder_reviews(
                        therapist.id,
                        clinic.id,
                        plan.founder_reviews,
                        self.ids,
                        self.batch,
                        accounts[CLIENT.email],
                        self.rng,
                        self.anchor,
                    )
                else:
                    therapist = therapist_maker.make(clinic, plan.statuses[index], self.batch)
                headshots.add(therapist.id, clinic.id, therapist.person.name, self.batch)
                if clinic.id in console_staff:
                    therapist.staff_id = console_staff[clinic.id]
                    therapist.reply_rate = OWNER_CLINIC_REPLY_RATE
                    daily_views(self.rng, therapist, self.anchor.date(), self.batch)
                review_maker.for_therapist(
                    therapist,
                    plan.review_counts[index],
                    self.batch,
                    taken_emails=taken_emails,
                    totals=totals,
                )
                index += 1
                if (
                    self.batch.size("reviews") >= FLUSH_AFTER_REVIEWS
                    or self.batch.size("therapists") >= FLUSH_AFTER_THERAPISTS
                ):
                    self.batch.flush(self.writer)
        return index


def refresh_statistics() -> None:
    """Give the planner statistics for the rows just loaded (PostgreSQL).

    COPY leaves none, and autovacuum may be off or slow to notice: without them the first
    queries (a search reindex above all) choose plans thousands of times too slow.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
