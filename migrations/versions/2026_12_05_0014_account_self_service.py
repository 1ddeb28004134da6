"""account self-service: session versions, deleted accounts, former members' reviews

Revision ID: 0014_account_self_service
Revises: 0013_search_synonyms
Create Date: 2026-12-05 10:00:00

- users.session_version: part of the id a session and a remember cookie carry; bumping it
  (a password change, a deletion) ends every session signed in before.
- users.deleted_at: the account was deleted and its personal data erased.
- reviews.by_former_member: the deleted reviewer chose to keep the review published, shown
  under initials as "former member".
- moderation_audit stays append-only, with one exception: `actor_email` may be replaced,
  once, by a tombstone id ('deleted-user-...') when that person deletes their account.
  Every other column, and DELETE and TRUNCATE, are still refused by the database.
- PostgreSQL row-level security, two more SELECT policies (permissive, ORed with those of
  migrations 0004 and 0009): reviewer_reads_own on reviews (a signed-in user, app.user_id,
  sees their own reviews in every state and clinic, those written signed in and those
  written as a guest from the account's verified address: "My reviews" and the export) and
  voter_reads_own on review_helpful_votes (their own helpful votes, for the export).
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_account_self_service"
down_revision = "0013_search_synonyms"
branch_labels = None
depends_on = None

CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::int"
# Uncorrelated, so PostgreSQL reads it once per query, not once per row.
VERIFIED_EMAIL = (
    f"SELECT u.email FROM users u WHERE u.id = {CURRENT_USER} AND u.email_verified_at IS NOT NULL"
)
TOMBSTONE = "deleted-user-%"
AUDIT_COLUMNS = (
    "id",
    "created_at",
    "actor_id",
    "action",
    "subject_type",
    "subject_id",
    "clinic_id",
    "reason_code",
    "note",
    "before_state",
    "after_state",
)

POSTGRES_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION moderation_audit_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kept moderation_audit;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- A deleted account's email may give way to its tombstone; nothing else changes.
        IF NEW.actor_email LIKE '{tombstone}' AND OLD.actor_email NOT LIKE '{tombstone}' THEN
            kept := NEW;
            kept.actor_email := OLD.actor_email;
            IF kept IS NOT DISTINCT FROM OLD THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    RAISE EXCEPTION 'moderation_audit is append-only';
END;
$$
"""

POSTGRES_STRICTLY_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION moderation_audit_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_audit is append-only';
END;
$$
"""

SQLITE_UPDATE_REFUSED = """
CREATE TRIGGER moderation_audit_no_update
BEFORE UPDATE ON moderation_audit
{condition}
BEGIN
    SELECT RAISE(ABORT, 'moderation_audit is append-only');
END
"""


def _sqlite_tombstone_only() -> str:
    unchanged = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in AUDIT_COLUMNS)
    return (
        f"WHEN NOT (NEW.actor_email LIKE '{TOMBSTONE}'"
        f" AND OLD.actor_email NOT LIKE '{TOMBSTONE}' AND {unchanged})"
    )


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.add_column(
        "users", sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column("users", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "reviews",
        sa.Column("by_former_member", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    if is_postgresql():
        op.execute(POSTGRES_APPEND_ONLY.format(tombstone=TOMBSTONE))
        op.execute(
            "CREATE POLICY reviewer_reads_own ON reviews FOR SELECT"
            f" USING (user_id = {CURRENT_USER} OR reviewer_email = ({VERIFIED_EMAIL}))"
        )
        op.execute(
            "CREATE POLICY voter_reads_own ON review_helpful_votes FOR SELECT"
            " USING (voter = 'user:' || nullif(current_setting('app.user_id', true), ''))"
        )
    else:
        op.execute("DROP TRIGGER moderation_audit_no_update")
        op.execute(SQLITE_UPDATE_REFUSED.format(condition=_sqlite_tombstone_only()))


def downgrade():
    if is_postgresql():
        op.execute("DROP POLICY voter_reads_own ON review_helpful_votes")
        op.execute("DROP POLICY reviewer_reads_own ON reviews")
        op.execute(POSTGRES_STRICTLY_APPEND_ONLY)
    else:
        op.execute("DROP TRIGGER moderation_audit_no_update")
        op.execute(SQLITE_UPDATE_REFUSED.format(condition=""))
    op.drop_column("reviews", "by_former_member")
    op.drop_column("users", "deleted_at")
    op.drop_column("users", "session_version")
