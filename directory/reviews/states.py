"""The review state machine: the only place that says which state may follow which.

    awaiting_email -> pending            the reviewer proved the address
    pending        -> published          a moderator approved it
    pending        -> rejected           a moderator rejected it, with a reason code
    published      -> removed            a moderator unpublished it, with a reason code
    published      -> pending            the reviewer edited it (it is checked again)
    rejected       -> pending            the reviewer appealed (once)
    awaiting_email, pending, published -> withdrawn    the reviewer withdrew it

Nothing reaches `published` except from `pending`, and nothing reaches `pending` from
`awaiting_email` except the reviewer's verification.
"""

from __future__ import annotations

from directory.reviews.models import Review, ReviewState

TRANSITIONS: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.AWAITING_EMAIL: frozenset({ReviewState.PENDING, ReviewState.WITHDRAWN}),
    ReviewState.PENDING: frozenset(
        {ReviewState.PUBLISHED, ReviewState.REJECTED, ReviewState.WITHDRAWN}
    ),
    ReviewState.PUBLISHED: frozenset(
        {ReviewState.REMOVED, ReviewState.PENDING, ReviewState.WITHDRAWN}
    ),
    ReviewState.REJECTED: frozenset({ReviewState.PENDING}),
    ReviewState.REMOVED: frozenset(),
    ReviewState.WITHDRAWN: frozenset(),
}


class IllegalTransition(Exception):
    def __init__(self, current: str, target: str):
        super().__init__(f"a review cannot go from {current} to {target}")
        self.current, self.target = current, target


def can_move(current: str, target: ReviewState) -> bool:
    return target in TRANSITIONS[ReviewState(current)]


def move(review: Review, target: ReviewState) -> str:
    """Put `review` in `target`; returns the state it left.  Raises IllegalTransition."""
    previous = review.state
    if not can_move(previous, target):
        raise IllegalTransition(previous, target)
    review.state = target
    return previous
