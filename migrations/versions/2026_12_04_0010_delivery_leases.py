"""delivery leases: when an email claim was taken, and when a job last failed

Revision ID: 0010_delivery_leases
Revises: 0009_helpful_votes
Create Date: 2026-12-04 16:00:00

sent_emails.claimed_at starts the lease of the run that claimed the email: a claim still
`sending` after EMAIL_CLAIM_LEASE_SECONDS belongs to a run that died, and the next run
takes it over (existing claims get their creation time).  outbox.last_attempt_at says
when a run last failed, beside attempts and last_error, for `flask jobs` and metrics.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_delivery_leases"
down_revision = "0009_helpful_votes"
branch_labels = None
depends_on = None


# Plain ADD / DROP COLUMN, never a batch copy of `outbox` on SQLite: dropping the old
# copy of a table that sent_emails references would cascade-delete the claims.


def upgrade():
    op.add_column("outbox", sa.Column("last_attempt_at", sa.DateTime(timezone=True)))
    op.add_column("sent_emails", sa.Column("claimed_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE sent_emails SET claimed_at = created_at")
    with op.batch_alter_table("sent_emails") as batch:  # nothing refers to sent_emails
        batch.alter_column("claimed_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    op.drop_column("sent_emails", "claimed_at")
    op.drop_column("outbox", "last_attempt_at")
