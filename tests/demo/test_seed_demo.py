"""`flask seed-demo`: requested counts, the founding clinic, determinism, consistent totals."""

from __future__ import annotations

import re
from collections import defaultdict

import psycopg
import pytest
import sqlalchemy as sa

from directory.core.models import UTCDateTime
from directory.demo import reviews as demo_reviews
from directory.demo.reviews import REASON_WEIGHTS
from directory.demo.seed import DEMO_SIGN_INS, DemoSize, seed_demo
from directory.extensions import db
from directory.reviews.models import ReviewState
from directory.therapists.models import AccreditationState
from tests import support

SMALL = DemoSize(clinics=4, therapists=16, reviews=120)
SMALL_ARGS = ["--clinics", "4", "--therapists", "16", "--reviews", "120", "--seed", "7"]
# Every table the seed writes, compared row by row in the determinism test.
SEEDED_TABLES = (
    "users",
    "clinics",
    "clinic_hours",
    "clinic_closures",
    "memberships",
    "team_invitations",
    "therapists",
    "therapist_modalities",
    "therapist_conditions",
    "therapist_languages",
    "accreditations",
    "review_invitations",
    "reviews",
    "clinic_replies",
    "review_flags",
    "therapist_ratings",
    "therapist_daily_views",
)


def count(table: str, where: str = "") -> int:
    return db.session.scalar(sa.text(f"SELECT count(*) FROM {table} {where}"))


def snapshot() -> dict[str, list]:
    """Every seeded row, ordered by key, without timestamps (they follow the clock) or hashes."""
    rows = {}
    for name in SEEDED_TABLES:
        table = db.metadata.tables[name]
        columns = [
            column
            for column in table.columns
            if not isinstance(column.type, UTCDateTime) and column.name != "password_hash"
        ]
        query = sa.select(*columns).order_by(*table.primary_key.columns)
        rows[name] = [tuple(row) for row in db.session.execute(query)]
    return rows


def linked_slugs(link_table: str, taxonomy: str, column: str, therapist_id: int) -> set[str]:
    """Slugs of the modalities or conditions a therapist is linked to."""
    query = (
        f"SELECT x.slug FROM {link_table} link JOIN {taxonomy} x ON x.id = link.{column}"
        " WHERE link.therapist_id = :id"
    )
    return set(db.session.scalars(sa.text(query), {"id": therapist_id}))


def empty_database() -> None:
    db.session.remove()
    support.empty_tables(db.engine)


def test_seeding_through_the_cli_creates_the_requested_counts_and_prints_the_sign_ins(runner):
    result = runner.invoke(args=["seed-demo", *SMALL_ARGS])

    assert result.exit_code == 0, result.output
    assert re.search(
        r"Seeded 4 clinics, 16 therapists and 120 reviews in \d+\.\d s\.", result.output
    )
    for _, email in DEMO_SIGN_INS:
        assert email in result.output
    assert (count("clinics"), count("therapists"), count("reviews")) == (4, 16, 120)
    assert count("users", "WHERE email_verified_at IS NOT NULL") == len(DEMO_SIGN_INS)


def test_the_founding_clinic_and_john_wintertime_are_published_with_a_verified_accreditation(app):
    seed_demo(SMALL, seed=3)

    clinic = db.session.execute(
        sa.text(
            "SELECT c.id, c.name, cities.name AS city FROM clinics c"
            " JOIN cities ON cities.id = c.city_id WHERE c.slug = 'bang-rak-thai-massage'"
        )
    ).one()
    assert (clinic.name, clinic.city) == ("Bang Rak Thai Massage", "Bangkok")
    john = db.session.execute(
        sa.text(
            "SELECT id, clinic_id, name, is_published, deleted_at, bio FROM therapists"
            " WHERE slug = 'john-wintertime'"
        )
    ).one()
    assert (john.name, john.clinic_id, john.is_published, john.deleted_at) == (
        "John Wintertime",
        clinic.id,
        True,
        None,
    )
    assert "more than ten years of clinical experience" in john.bio
    modalities = linked_slugs("therapist_modalities", "modalities", "modality_id", john.id)
    conditions = linked_slugs("therapist_conditions", "conditions", "condition_id", john.id)
    assert {"thai", "trigger-point"} <= modalities
    assert {"upper-back-pain", "posture-strain-from-prolonged-sitting"} <= conditions
    verified = db.session.execute(
        sa.text(
            "SELECT ct.code, u.email FROM accreditations a"
            " JOIN credential_types ct ON ct.id = a.credential_type_id"
            " JOIN users u ON u.id = a.verified_by_id"
            " WHERE a.therapist_id = :id AND a.state = 'verified' AND a.verified_at IS NOT NULL"
        ),
        {"id": john.id},
    ).all()
    assert ("RMT", "moderator@demo.example") in verified
    ratings = db.session.scalars(
        sa.text("SELECT rating FROM reviews WHERE therapist_id = :id AND state = 'published'"),
        {"id": john.id},
    ).all()
    assert len(ratings) >= 3 and min(ratings) >= 4


def test_same_seed_gives_identical_data(app):
    seed_demo(SMALL, seed=11)
    first = snapshot()
    empty_database()

    seed_demo(SMALL, seed=11)

    assert snapshot() == first


def test_a_different_seed_gives_different_data(app):
    seed_demo(SMALL, seed=11)
    first = snapshot()["therapists"]
    empty_database()

    seed_demo(SMALL, seed=12)

    assert snapshot()["therapists"] != first


def test_if_empty_does_nothing_on_a_seeded_database(app, runner):
    seed_demo(SMALL, seed=5)
    before = {table: count(table) for table in SEEDED_TABLES}
    db.session.remove()

    result = runner.invoke(args=["seed-demo", *SMALL_ARGS, "--if-empty"])

    assert result.exit_code == 0, result.output
    assert "nothing seeded" in result.output
    assert all(email in result.output for _, email in DEMO_SIGN_INS)
    assert {table: count(table) for table in SEEDED_TABLES} == before
    assert seed_demo(SMALL, seed=5, only_if_empty=True) is None


def test_seeding_a_second_time_adds_rows_without_repeating_the_founding_clinic(app):
    seed_demo(SMALL, seed=5)
    seed_demo(DemoSize(clinics=3, therapists=9, reviews=40), seed=5)

    assert (count("clinics"), count("therapists"), count("reviews")) == (7, 25, 160)
    assert count("clinics", "WHERE slug = 'bang-rak-thai-massage'") == 1
    assert count("users") == len(DEMO_SIGN_INS)


def test_rating_totals_equal_a_recomputation_from_published_reviews(app):
    seed_demo(SMALL, seed=9)
    expected: dict[int, list[int]] = defaultdict(lambda: [0] * 15)
    reviews = db.session.execute(
        sa.text(
            "SELECT therapist_id, rating, rating_technique, rating_communication,"
            " rating_environment, rating_value FROM reviews WHERE state = 'published'"
        )
    )
    for therapist_id, rating, *aspects in reviews:
        totals = expected[therapist_id]
        totals[0] += 1
        totals[1] += rating
        totals[1 + rating] += 1
        for index, score in enumerate(aspects):
            if score is not None:
                totals[7 + 2 * index] += score
                totals[8 + 2 * index] += 1

    stored = db.session.execute(
        sa.text(
            "SELECT therapist_id, review_count, rating_sum, count_1, count_2, count_3, count_4,"
            " count_5, technique_sum, technique_count, communication_sum, communication_count,"
            " environment_sum, environment_count, value_sum, value_count FROM therapist_ratings"
        )
    )

    assert {row[0]: list(row[1:]) for row in stored} == dict(expected)


def test_every_accreditation_state_and_several_review_states_occur(app):
    seed_demo(SMALL, seed=2)

    accreditation_states = set(db.session.scalars(sa.text("SELECT state FROM accreditations")))
    review_states = set(db.session.scalars(sa.text("SELECT state FROM reviews")))
    reasons = set(
        db.session.scalars(
            sa.text("SELECT rejection_reason FROM reviews WHERE state IN ('rejected', 'removed')")
        )
    )

    assert accreditation_states == {state.value for state in AccreditationState}
    assert {
        ReviewState.PUBLISHED,
        ReviewState.PENDING,
        ReviewState.AWAITING_EMAIL,
        ReviewState.REJECTED,
        ReviewState.REMOVED,
    } <= review_states
    assert reasons and reasons <= {reason for reason, _ in REASON_WEIGHTS}


def test_no_review_body_is_shorter_than_40_characters(app):
    seed_demo(SMALL, seed=4)

    shortest, longest = db.session.execute(
        sa.text("SELECT min(length(body)), max(length(body)) FROM reviews")
    ).one()

    assert shortest >= 40
    assert longest <= 5000


def test_only_listed_therapists_have_published_reviews_and_no_visit_is_in_the_future(app):
    seed_demo(SMALL, seed=4)

    published_elsewhere = count(
        "reviews r JOIN therapists t ON t.id = r.therapist_id",
        "WHERE r.state = 'published' AND (NOT t.is_published OR t.deleted_at IS NOT NULL)",
    )
    future_visits = count("reviews", "WHERE visit_month > CURRENT_DATE")

    assert (published_elsewhere, future_visits) == (0, 0)


def test_a_failed_write_leaves_nothing_behind(app, monkeypatch):
    def too_long(*args):
        return "Title", "x" * 5001  # breaks the reviews.body length check

    monkeypatch.setattr(demo_reviews, "compose_review", too_long)

    with pytest.raises((sa.exc.IntegrityError, psycopg.errors.CheckViolation)):
        seed_demo(SMALL, seed=1)
    db.session.rollback()

    assert (count("users"), count("clinics"), count("reviews")) == (0, 0, 0)
