"""What operators see of the jobs: `flask jobs status|show|retry` and the moderators' jobs
page show a dead letter the moment one exists, and re-queue it."""

from __future__ import annotations

import sqlalchemy as sa

from directory.core.mail import SentEmail
from directory.core.outbox import OutboxMessage, OutboxState
from directory.extensions import db
from tests.factories import create_dead_letter
from tests.moderation.helpers import moderator_client

REFUSED = "ConnectionRefusedError: 111"


def dead_letter(to: str = "lost@example.com") -> OutboxMessage:
    message = create_dead_letter(to, REFUSED)
    db.session.commit()
    return message


def sent_to(address: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(SentEmail).where(SentEmail.to_address == address)
    )


def test_status_lists_the_backlog_and_each_dead_letter_with_its_error(app, runner):
    message = dead_letter()
    result = runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert "emails.send" in result.output and "failed" in result.output
    assert "Dead letters: 1" in result.output
    assert f"#{message.id} emails.send: ConnectionRefusedError: 111" in result.output


def test_show_prints_one_job_without_its_bodies(app, runner):
    message = dead_letter()
    result = runner.invoke(args=["jobs", "show", str(message.id)])
    assert result.exit_code == 0, result.output
    assert "ConnectionRefusedError: 111" in result.output
    assert "to: lost@example.com" in result.output
    assert "Hello" in result.output
    missing = runner.invoke(args=["jobs", "show", "999999"])
    assert missing.exit_code != 0 and "There is no job 999999" in missing.output


def test_retry_sends_a_dead_letter_once_and_leaves_other_jobs_alone(app, runner, mail_folder):
    message = dead_letter()
    result = runner.invoke(args=["jobs", "retry", str(message.id), "999999"])
    assert result.exit_code == 0, result.output
    assert f"Re-queued 1 job(s): [{message.id}]" in result.output
    assert "Not dead letters (left as they are): [999999]" in result.output
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message.id)
    assert (row.state, row.attempts) == (OutboxState.DONE, 0)
    assert sent_to("lost@example.com") == 1
    assert len(list(mail_folder.glob("*.eml"))) == 1
    again = runner.invoke(args=["jobs", "retry", "--dead"])
    assert "Re-queued 0 job(s)." in again.output
    assert sent_to("lost@example.com") == 1


def test_retry_needs_ids_or_dead(app, runner):
    assert runner.invoke(args=["jobs", "retry"]).exit_code == 2


def test_the_moderators_page_shows_a_dead_letter_and_retries_it(app, client, mail_folder):
    moderator_client(client)
    message = dead_letter("page@example.com")
    page = client.get("/moderation/jobs")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"#{message.id} emails.send" in text and "ConnectionRefusedError: 111" in text
    response = client.post(f"/moderation/jobs/{message.id}/retry")
    assert response.status_code == 302
    assert sent_to("page@example.com") == 1
    assert "No dead letters." in client.get("/moderation/jobs").get_data(as_text=True)
    assert client.post("/moderation/jobs/999999/retry").status_code == 404


def test_the_jobs_page_is_for_moderators_only(app, client):
    assert client.get("/moderation/jobs").status_code in (302, 404)
