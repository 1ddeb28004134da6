"""Search-index tasks."""

from __future__ import annotations

from celery import shared_task

from directory.core import outbox
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.search.documents import rebuild_document
from directory.therapists.services import REINDEX_THERAPIST_TASK


@shared_task(
    name=REINDEX_THERAPIST_TASK,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=2,
    max_retries=5,
)
def reindex_therapist(outbox_id: int) -> bool:
    """Rebuild one therapist's search document, then acknowledge the outbox row.

    A recompute, so running it twice is harmless; the document's version keeps a late,
    stale run from overwriting a newer document.
    """
    act_for_all_clinics()  # the index is platform-wide; the document names its clinic
    payload = outbox.pending_payload(outbox_id)
    if payload is None:
        return False
    rebuild_document(payload["therapist_id"])
    outbox.mark_done(outbox_id)
    db.session.commit()
    return True
