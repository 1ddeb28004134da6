"""Rating totals stay equal to a recomputation from scratch, whatever the moderators and
reviewers do, and a rejected review never counts (SQLite and PostgreSQL)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.extensions import db
from directory.moderation import services
from directory.reviews import ratings
from directory.reviews.models import ASPECTS, ReviewState, TherapistRating
from directory.reviews.publication import change_state
from tests.factories import create_clinic, create_therapist, create_user
from tests.moderation.helpers import pending_review

TOTAL_COLUMNS = (
    "review_count",
    "rating_sum",
    *(f"count_{n}" for n in range(1, 6)),
    *(f"{aspect}_{kind}" for aspect in ASPECTS for kind in ("sum", "count")),
)

scores = st.integers(min_value=1, max_value=5)
reviews = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # which therapist
        scores,
        st.fixed_dictionaries({aspect: st.none() | scores for aspect in ASPECTS}),
    ),
    min_size=1,
    max_size=5,
)
actions = st.lists(
    st.tuples(
        st.sampled_from(["publish", "unpublish", "reject", "edit", "appeal"]),
        st.integers(min_value=0, max_value=4),
        scores,
    ),
    max_size=15,
)


def stored_totals(therapist_id: int) -> dict[str, int]:
    row = db.session.get(TherapistRating, therapist_id)
    return {column: getattr(row, column) if row else 0 for column in TOTAL_COLUMNS}


def plain_totals(all_reviews, therapist_id: int) -> dict[str, int]:
    """The totals worked out here, in Python, from the review rows themselves."""
    published = [
        r
        for r in all_reviews
        if r.therapist_id == therapist_id and r.state == ReviewState.PUBLISHED
    ]
    totals = dict.fromkeys(TOTAL_COLUMNS, 0)
    totals["review_count"] = len(published)
    totals["rating_sum"] = sum(r.rating for r in published)
    for review in published:
        totals[f"count_{review.rating}"] += 1
        for aspect in ASPECTS:
            score = getattr(review, f"rating_{aspect}")
            if score is not None:
                totals[f"{aspect}_sum"] += score
                totals[f"{aspect}_count"] += 1
    return totals


def apply(action: str, review, moderator, new_rating: int) -> None:
    """Do `action` the way the application does it; a move the state machine forbids is
    refused without changing anything."""
    state = review.state
    try:
        if action == "publish":
            services.approve(review, moderator)
        elif action == "reject":
            services.reject(review, moderator, "off_topic")
        elif action == "unpublish":
            services.unpublish(review, moderator, "offensive")
        elif action == "appeal" and state == ReviewState.REJECTED:
            change_state(review, ReviewState.PENDING)
        elif action == "edit" and state in (ReviewState.PUBLISHED, ReviewState.PENDING):
            # An edit leaves `published` first (taking out what was counted), then changes.
            if state == ReviewState.PUBLISHED:
                change_state(review, ReviewState.PENDING)
            review.rating = new_rating
            review.rating_value = None if review.rating_value else new_rating
            db.session.flush()
    except services.Conflict:
        assert review.state == state


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(reviews, actions)
def test_totals_equal_a_recomputation_after_any_sequence_of_decisions(app, specs, steps):
    with app.test_request_context():
        try:
            clinic = create_clinic()
            therapists = [create_therapist(clinic), create_therapist(clinic)]
            moderator = create_user(platform_role="moderator")
            made = [
                pending_review(
                    therapists[which],
                    rating=rating,
                    **{f"rating_{aspect}": score for aspect, score in aspects.items()},
                )
                for which, rating, aspects in specs
            ]
            for action, index, new_rating in steps:
                apply(action, made[index % len(made)], moderator, new_rating)
            for therapist in therapists:
                expected = plain_totals(made, therapist.id)
                assert stored_totals(therapist.id) == expected
                ratings.recompute(therapist.id)
                assert stored_totals(therapist.id) == expected
        finally:
            db.session.rollback()  # every example starts from an empty database


def test_a_rejected_review_never_counts(app):
    with app.test_request_context():
        therapist = create_therapist(create_clinic())
        moderator = create_user(platform_role="moderator")
        counted = pending_review(therapist, rating=5)
        refused = pending_review(therapist, rating=1)
        services.approve(counted, moderator)
        services.reject(refused, moderator, "not_genuine")
        assert stored_totals(therapist.id)["review_count"] == 1
        assert stored_totals(therapist.id)["rating_sum"] == 5
        ratings.recompute(therapist.id)
        assert stored_totals(therapist.id)["count_1"] == 0
        db.session.commit()
