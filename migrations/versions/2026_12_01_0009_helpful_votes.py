"""helpful votes: a visitor marks a published review helpful, once

Revision ID: 0009_helpful_votes
Revises: 0008_haversine_function
Create Date: 2026-12-01 08:50:00

One row per visitor and review (unique), owned by the review's clinic like its flags:
reviews.helpful_count is the number of rows, kept in the voting transaction.  On
PostgreSQL the table has row-level security as every tenant table (migration 0004):
tenant_isolation and all_clinics, and no public policy (who voted is nobody's business).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_helpful_votes"
down_revision = "0008_haversine_function"
branch_labels = None
depends_on = None

CURRENT_CLINIC = "nullif(current_setting('app.clinic_id', true), '')::int"
ALL_CLINICS = "current_setting('app.all_clinics', true) = 'on'"


def upgrade():
    op.create_table(
        "review_helpful_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_review_helpful_votes_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id", "clinic_id"],
            ["reviews.id", "reviews.clinic_id"],
            name=op.f("fk_review_helpful_votes_review_id_clinic_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_helpful_votes")),
        sa.UniqueConstraint(
            "review_id", "voter", name=op.f("uq_review_helpful_votes_review_id_voter")
        ),
    )
    op.create_index(
        op.f("ix_review_helpful_votes_clinic_id"), "review_helpful_votes", ["clinic_id"]
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE review_helpful_votes ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE review_helpful_votes FORCE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY tenant_isolation ON review_helpful_votes FOR ALL"
        f" USING (clinic_id = {CURRENT_CLINIC}) WITH CHECK (clinic_id = {CURRENT_CLINIC})"
    )
    op.execute(
        "CREATE POLICY all_clinics ON review_helpful_votes FOR ALL"
        f" USING ({ALL_CLINICS}) WITH CHECK ({ALL_CLINICS})"
    )


def downgrade():
    # Dropping the table drops its policies.
    op.drop_index(op.f("ix_review_helpful_votes_clinic_id"), table_name="review_helpful_votes")
    op.drop_table("review_helpful_votes")
