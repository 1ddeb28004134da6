"""The one way a review's state changes when it enters or leaves `published`.

`change_state` moves a review through the state machine (reviews.states) and, when the
move crosses the `published` boundary, updates the therapist's rating totals and queues a
rebuild of the therapist's search document, all in the caller's transaction; on publishing
it also tells the clinic (reviews.notifications: emails through the outbox, digest items).
Ratings and search therefore never disagree with the review rows once the transaction commits.

Moderators publish and unpublish (moderation.services); a reviewer's edit of a published
review (back to `pending`) and a withdrawal must call `change_state` too, before the new
rating values are applied, so the totals lose exactly what they had counted.
"""

from __future__ import annotations

from directory.core.models import utcnow
from directory.reviews import notifications, ratings
from directory.reviews.models import Review, ReviewState
from directory.reviews.states import move
from directory.therapists.services import queue_reindex


def change_state(review: Review, target: ReviewState) -> str:
    """Move `review` to `target`; returns the state it left.

    Raises states.IllegalTransition, having changed nothing.  Flushes; never commits.
    """
    previous = move(review, target)
    if target == ReviewState.PUBLISHED:
        review.published_at = utcnow()
        ratings.record_published(review)
        queue_reindex(review.therapist)
        notifications.review_published(review)
    elif previous == ReviewState.PUBLISHED:
        ratings.record_unpublished(review)
        queue_reindex(review.therapist)
    return previous
