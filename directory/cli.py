"""Command-line interface: `flask --app directory <command>`."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

from directory.accounts.models import PlatformRole
from directory.accounts.services import ensure_platform_user, set_active
from directory.core import jobs, outbox
from directory.core.addresses import InvalidEmail
from directory.core.database_roles import db_roles_cli
from directory.core.tenancy import act_for_all_clinics
from directory.demo.reference import ReferenceDataMissing
from directory.demo.seed import (
    DEMO_PASSWORD,
    DEMO_SIGN_INS,
    DemoSize,
    refresh_statistics,
    seed_demo,
)
from directory.extensions import db
from directory.search.reindex import rebuild_all

users_cli = AppGroup("users", help="Manage platform accounts.")
search_cli = AppGroup("search", help="Maintain the search index.")
jobs_cli = AppGroup("jobs", help="See the background jobs and re-queue dead letters.")


@users_cli.command("create-moderator")
@click.argument("email")
@click.option("--name", default="", help="Display name for a new account.")
@click.option("--admin", is_flag=True, help="Make the account a platform admin.")
def create_moderator(email: str, name: str, admin: bool) -> None:
    """Give EMAIL the moderator role, creating a verified account if it does not exist."""
    role = PlatformRole.ADMIN if admin else PlatformRole.MODERATOR
    try:
        user, password = ensure_platform_user(email, role, name)
    except InvalidEmail as problem:
        raise click.BadParameter(str(problem), param_hint="EMAIL") from problem
    db.session.commit()
    article = "an" if role == PlatformRole.ADMIN else "a"
    click.echo(f"{user.email} is now {article} {role}.")
    if password:
        click.echo(f"New account; its password is: {password}")
        click.echo("Sign in and change it from 'Forgot password' if you prefer your own.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop EMAIL's account from signing in; every session it has ends at once."""
    _set_active(email, active=False)
    click.echo(f"{email} is deactivated; every session it had has ended.")


@users_cli.command("reactivate")
@click.argument("email")
def reactivate(email: str) -> None:
    """Let a deactivated account sign in again (with its password)."""
    _set_active(email, active=True)
    click.echo(f"{email} may sign in again.")


def _set_active(email: str, active: bool) -> None:
    try:
        set_active(email, active)
    except LookupError as problem:
        raise click.BadParameter("no account uses this address", param_hint="EMAIL") from problem
    db.session.commit()


@click.command("seed-demo")
@click.option("--clinics", default=12, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--therapists", default=60, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--reviews", default=600, show_default=True, type=click.IntRange(0, 20_000_000))
@click.option("--seed", default=1, show_default=True, type=int, help="Same seed, same data.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has clinics.")
@click.option("--reindex", is_flag=True, help="Build the search documents after seeding.")
def seed_demo_command(
    clinics: int, therapists: int, reviews: int, seed: int, if_empty: bool, reindex: bool
) -> None:
    """Fill the database with realistic demo data (deterministic for a seed)."""
    act_for_all_clinics()  # demo data spans every clinic
    started = time.perf_counter()
    try:
        result = seed_demo(
            DemoSize(clinics, therapists, reviews), seed=seed, only_if_empty=if_empty
        )
    except ReferenceDataMissing as error:
        raise click.ClickException(str(error)) from error
    if result is None:
        click.echo("The database already has data; nothing seeded.")
        echo_sign_ins(DEMO_PASSWORD, DEMO_SIGN_INS)
        return
    refresh_statistics()
    elapsed = time.perf_counter() - started
    click.echo(
        f"Seeded {result.clinics:,} clinics, {result.therapists:,} therapists and "
        f"{result.reviews:,} reviews in {elapsed:.1f} s."
    )
    if reindex:
        click.echo(f"Built {rebuild_all().documents:,} search documents.")
    echo_sign_ins(result.password, result.sign_ins)


def echo_sign_ins(password: str, sign_ins: list[tuple[str, str]]) -> None:
    click.echo(f"Demo sign-ins (password for all: {password}):")
    for role, email in sign_ins:
        click.echo(f"  {role:<28} {email}")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild every search document into a shadow table, then swap it in.

    Search keeps answering from the current documents until the swap.
    """
    act_for_all_clinics()
    report = rebuild_all(
        progress=lambda last: click.echo(f"  built up to therapist {last:,}", err=True)
    )
    click.echo(f"Rebuilt {report.documents:,} search documents in {report.seconds:.1f} s.")


@jobs_cli.command("status")
def jobs_status_command() -> None:
    """The backlog by task and state, the oldest pending job, the dead letters."""
    status = jobs.jobs_status()
    if not status.backlog:
        click.echo("No jobs.")
        return
    click.echo(f"{'task':<32} {'state':<8} {'jobs':>8}")
    for row in status.backlog:
        click.echo(f"{row.task_name:<32} {row.state:<8} {row.count:>8}")
    age = status.oldest_pending_seconds()
    click.echo("Oldest pending job: " + ("none" if age is None else f"{age:.0f} s old"))
    click.echo(f"Dead letters: {status.dead_letter_count}")
    for message in status.dead_letters:
        click.echo(f"  #{message.id} {message.task_name}: {message.last_error or '(no error)'}")
    if status.dead_letter_count:
        click.echo("Re-queue with: flask --app directory jobs retry ID | --dead")


@jobs_cli.command("show")
@click.argument("message_id", type=int)
def jobs_show_command(message_id: int) -> None:
    """One job in full: its task, state, attempts, last error and payload."""
    message = jobs.job(message_id)
    if message is None:
        raise click.ClickException(f"There is no job {message_id}.")
    for label, value in (
        ("job", message.id),
        ("task", message.task_name),
        ("state", message.state),
        ("attempts", message.attempts),
        ("created", message.created_at),
        ("dispatched", message.dispatched_at),
        ("last attempt", message.last_attempt_at),
        ("completed", message.completed_at),
        ("last error", message.last_error or "-"),
    ):
        click.echo(f"{label:<13} {value if value is not None else '-'}")
    click.echo("payload:")
    for key, value in sorted(message.payload.items()):
        shown = value if key not in ("text", "html") else f"({len(str(value))} characters)"
        click.echo(f"  {key}: {shown}")


@jobs_cli.command("retry")
@click.argument("message_ids", type=int, nargs=-1)
@click.option("--dead", is_flag=True, help="Every dead letter.")
def jobs_retry_command(message_ids: tuple[int, ...], dead: bool) -> None:
    """Put dead letters back to work (pending, attempts from zero, dispatched now)."""
    if dead == bool(message_ids):
        raise click.UsageError("Name the jobs to retry, or pass --dead for every dead letter.")
    wanted = jobs.dead_letter_ids() if dead else list(message_ids)
    retried = outbox.retry(wanted)
    db.session.commit()
    skipped = sorted(set(wanted) - set(retried))
    click.echo(f"Re-queued {len(retried)} job(s)" + (f": {retried}" if retried else "."))
    if skipped:
        click.echo(f"Not dead letters (left as they are): {skipped}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(db_roles_cli)
    app.cli.add_command(seed_demo_command)
