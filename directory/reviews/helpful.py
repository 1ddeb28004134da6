"""'Was this review helpful?': each visitor counts once per published review.

A vote is a row of the review's clinic (review_helpful_votes, unique per review and
voter), and reviews.helpful_count goes up by one with each row, in the same transaction,
so "Most helpful" orders by what visitors said.  A signed-in visitor votes
as their account; a guest as a random token kept in their session, so a guest who clears
their cookies may count again (the view's rate limit bounds that).  A signed-in visitor
may not vote on a review of their own clinic's therapist, nor on their own review.
"""

from __future__ import annotations

from directory.accounts.models import User
from directory.core.database import insert_or_on_conflict
from directory.extensions import db
from directory.reviews.guards import works_at_clinic
from directory.reviews.models import HelpfulVote, Review, ReviewState


class VoteRefused(Exception):
    pass


def user_voter(user: User) -> str:
    return f"user:{user.id}"


def guest_voter(token: str) -> str:
    return f"visitor:{token}"


def mark_helpful(review: Review, voter: str, user: User | None = None) -> bool:
    """Count `voter` as finding `review` helpful; False if they had already (nothing changes).

    Once per voter even under concurrent clicks: the vote is an INSERT that skips a row
    already there, and the count moves only when a row went in.  Flushes, does not commit.
    The caller must have entered the review's clinic (votes are the clinic's rows).
    """
    if review.state != ReviewState.PUBLISHED:
        raise VoteRefused("Only published reviews can be marked helpful.")
    if user is not None:
        if review.user_id == user.id or review.reviewer_email == user.email:
            raise VoteRefused("This is your own review: it cannot count as helpful by you.")
        if works_at_clinic(review.clinic_id, user.email, user):
            raise VoteRefused("People who work at this clinic cannot vote on its reviews.")
    added = db.session.execute(
        insert_or_on_conflict(HelpfulVote)
        .values(clinic_id=review.clinic_id, review_id=review.id, voter=voter)
        .on_conflict_do_nothing(index_elements=["review_id", "voter"])
        .returning(HelpfulVote.id)
    ).first()
    if added is None:
        return False
    # `x = x + 1` in the database, so concurrent votes of different voters all count.
    review.helpful_count = Review.helpful_count + 1
    db.session.flush()
    return True
