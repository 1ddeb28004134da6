"""review notifications: how each clinic member hears of new reviews, and the daily digest

Revision ID: 0015_review_notifications
Revises: 0013_search_synonyms
Create Date: 2026-12-05 12:00:00

memberships.review_emails is the member's choice: 'each' (an email per published review,
the default, so a clinic hears of its reviews in time to reply), 'daily' (one digest a
day) or 'none'.  memberships gains UNIQUE (id, clinic_id), the target of the composite
foreign key below.

review_digest_items holds the published reviews waiting for one member's next digest
(deleted when it is sent).  A tenant table with the row-level security of 0004 and no
public policy: nobody outside the clinic reads it.  A downgrade drops the waiting items
(their digest is not sent) and the members' choices.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_review_notifications"
down_revision = "0014_account_self_service"
branch_labels = None
depends_on = None

CURRENT_CLINIC = "nullif(current_setting('app.clinic_id', true), '')::int"
ALL_CLINICS = "current_setting('app.all_clinics', true) = 'on'"
TABLE = "review_digest_items"


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    # A batch copy on SQLite (nothing references memberships yet, so nothing cascades);
    # plain ALTERs on PostgreSQL, where the table keeps its policies.
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(
            sa.Column("review_emails", sa.String(length=10), server_default="each", nullable=False)
        )
        batch.create_check_constraint("review_emails", "review_emails IN ('each', 'daily', 'none')")
        batch.create_unique_constraint(op.f("uq_memberships_id_clinic_id"), ["id", "clinic_id"])
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_review_digest_items_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id", "clinic_id"],
            ["memberships.id", "memberships.clinic_id"],
            name=op.f("fk_review_digest_items_membership_id_clinic_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id", "clinic_id"],
            ["reviews.id", "reviews.clinic_id"],
            name=op.f("fk_review_digest_items_review_id_clinic_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_digest_items")),
        sa.UniqueConstraint(
            "membership_id",
            "review_id",
            name=op.f("uq_review_digest_items_membership_id_review_id"),
        ),
    )
    op.create_index(op.f("ix_review_digest_items_clinic_id"), TABLE, ["clinic_id"])
    op.create_index(op.f("ix_review_digest_items_review_id"), TABLE, ["review_id"])
    if not is_postgresql():
        return
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {TABLE} FOR ALL"
        f" USING (clinic_id = {CURRENT_CLINIC}) WITH CHECK (clinic_id = {CURRENT_CLINIC})"
    )
    op.execute(
        f"CREATE POLICY all_clinics ON {TABLE} FOR ALL"
        f" USING ({ALL_CLINICS}) WITH CHECK ({ALL_CLINICS})"
    )


def downgrade():
    op.drop_table(TABLE)  # its policies go with it
    with op.batch_alter_table("memberships") as batch:
        batch.drop_constraint(op.f("uq_memberships_id_clinic_id"), type_="unique")
        batch.drop_constraint(op.f("ck_memberships_review_emails"), type_="check")
        batch.drop_column("review_emails")
