"""photos: a headshot per therapist, a clinic's gallery, and visitors' reports of photos

Revision ID: 0012_photos
Revises: 0011_clinic_contact
Create Date: 2026-12-05 10:00:00

photos holds one row per uploaded photo: its two WebP renditions' content-hashed file
names and sizes (the files live in MEDIA_ROOT, not here).  A headshot names its therapist
(at most one per therapist, through the composite foreign key with clinic_id); a clinic
photo names none.  photo_reports are visitors' reports, waiting for a moderator.

Both are tenant tables with the row-level security of 0004.  The public may read a
clinic's photos and the headshots of listed therapists; reports are never public.  A
downgrade drops the rows; the files stay in MEDIA_ROOT (content-named, harmless, and
reusable by an upgrade that stores the same photos again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_photos"
down_revision = "0011_clinic_contact"
branch_labels = None
depends_on = None

CURRENT_CLINIC = "nullif(current_setting('app.clinic_id', true), '')::int"
ALL_CLINICS = "current_setting('app.all_clinics', true) = 'on'"
TENANT_TABLES = ("photos", "photo_reports")
PUBLIC_READ = {
    "photos": (
        "therapist_id IS NULL OR EXISTS (SELECT 1 FROM therapists t"
        " WHERE t.id = photos.therapist_id AND t.clinic_id = photos.clinic_id"
        " AND t.is_published AND t.deleted_at IS NULL)"
    ),
}


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("alt_text", sa.String(length=200), nullable=False),
        sa.Column("large_name", sa.String(length=80), nullable=False),
        sa.Column("large_width", sa.SmallInteger(), nullable=False),
        sa.Column("large_height", sa.SmallInteger(), nullable=False),
        sa.Column("small_name", sa.String(length=80), nullable=False),
        sa.Column("small_width", sa.SmallInteger(), nullable=False),
        sa.Column("small_height", sa.SmallInteger(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('headshot', 'clinic')", name=op.f("ck_photos_kind")),
        sa.CheckConstraint(
            "(kind = 'headshot') = (therapist_id IS NOT NULL)",
            name=op.f("ck_photos_headshot_has_therapist"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_photos_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["therapist_id", "clinic_id"],
            ["therapists.id", "therapists.clinic_id"],
            name=op.f("fk_photos_therapist_id_clinic_id_therapists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_photos_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("id", "clinic_id", name=op.f("uq_photos_id_clinic_id")),
        sa.UniqueConstraint("therapist_id", name=op.f("uq_photos_therapist_id")),
    )
    op.create_index(op.f("ix_photos_clinic_id"), "photos", ["clinic_id"])
    op.create_index(
        "ix_photos_clinic_id_kind_position", "photos", ["clinic_id", "kind", "position"]
    )
    op.create_table(
        "photo_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('open', 'dismissed')", name=op.f("ck_photo_reports_state")),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_photo_reports_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["photo_id", "clinic_id"],
            ["photos.id", "photos.clinic_id"],
            name=op.f("fk_photo_reports_photo_id_clinic_id_photos"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["users.id"],
            name=op.f("fk_photo_reports_resolved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo_reports")),
    )
    op.create_index(op.f("ix_photo_reports_clinic_id"), "photo_reports", ["clinic_id"])
    op.create_index(op.f("ix_photo_reports_photo_id"), "photo_reports", ["photo_id"])
    op.create_index("ix_photo_reports_state_created_at", "photo_reports", ["state", "created_at"])
    if not is_postgresql():
        return
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} FOR ALL"
            f" USING (clinic_id = {CURRENT_CLINIC}) WITH CHECK (clinic_id = {CURRENT_CLINIC})"
        )
        op.execute(
            f"CREATE POLICY all_clinics ON {table} FOR ALL"
            f" USING ({ALL_CLINICS}) WITH CHECK ({ALL_CLINICS})"
        )
        if table in PUBLIC_READ:
            op.execute(
                f"CREATE POLICY public_read ON {table} FOR SELECT USING ({PUBLIC_READ[table]})"
            )


def downgrade():
    # Dropping a table drops its policies with it.
    op.drop_table("photo_reports")
    op.drop_table("photos")
