"""Search-index tasks."""

from __future__ import annotations

from celery import shared_task

from directory.core import outbox
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from directory.search.documents import rebuild_document
from directory.therapists.services import REINDEX_THERAPIST_TASK
from workers.retries import run_outbox_job


@shared_task(name=REINDEX_THERAPIST_TASK, bind=True, acks_late=True, max_retries=None)
def reindex_therapist(self, outbox_id: int) -> bool:
    """Rebuild one therapist's search document, then acknowledge the outbox row.

    A recompute, so running it twice is harmless; the document's version keeps a late,
    stale run from overwriting a newer document.  Transient failures are retried with
    backoff (workers/retries.py).
    """
    return run_outbox_job(self, outbox_id, lambda: _reindex(outbox_id))


def _reindex(outbox_id: int) -> bool:
    act_for_all_clinics()  # the index is platform-wide; the document names its clinic
    payload = outbox.pending_payload(outbox_id)
    if payload is None:
        return False
    rebuild_document(payload["therapist_id"])
    outbox.mark_done(outbox_id)
    db.session.commit()
    return True
