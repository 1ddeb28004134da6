"""row-level security: the third tenancy layer, below the application

Revision ID: 0004_row_level_security
Revises: 0003_append_only_audit
Create Date: 2026-11-25 14:10:00

PostgreSQL only; a no-op on SQLite, which has no row-level security.

Every tenant-owned table gets ENABLE and FORCE ROW LEVEL SECURITY (FORCE: the policies
bind the table's owner too, unless it is a superuser or has BYPASSRLS) and these
permissive policies, which PostgreSQL ORs together:

- tenant_isolation (ALL): rows of the clinic named by the transaction-local setting
  `app.clinic_id`; the same test is the WITH CHECK, so nothing can be written into, or
  moved to, another clinic.
- all_clinics (ALL): everything, when `app.all_clinics` is 'on': the explicitly privileged
  path of moderators, workers, CLI commands and demo data.
- public_read (SELECT): what anyone may see anyway (published, live therapists and what
  hangs off them, published reviews and replies).  No public policy on memberships,
  team_invitations, review_invitations, review_flags, therapist_daily_views.
- member_reads_own (SELECT, memberships only): a signed-in user (`app.user_id`) sees their
  own memberships in every clinic, so "which clinics am I in" needs no clinic set.

The application sets the three values with set_config(..., true) at the start of every
transaction (directory.core.tenancy); an unset or emptied value matches nothing.

`clinics` keeps no row-level security: a clinic's row is its public business card (name,
address, phone, description), readable by anyone, and what is private to a clinic lives
in the tenant tables above.  Nor do the platform tables (users, outbox, sent_emails,
moderation_audit) or the reference data: they belong to no clinic.

The table list is written out, not read from the models: a migration is frozen.  A later
data migration on these tables run by a non-superuser owner must first call
set_config('app.all_clinics', 'on', true), or it sees no rows.
"""

from alembic import op

revision = "0004_row_level_security"
down_revision = "0003_append_only_audit"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "memberships",
    "team_invitations",
    "therapists",
    "therapist_modalities",
    "therapist_conditions",
    "therapist_languages",
    "accreditations",
    "therapist_daily_views",
    "reviews",
    "review_invitations",
    "clinic_replies",
    "review_flags",
    "therapist_ratings",
    "search_documents",
)

CURRENT_CLINIC = "nullif(current_setting('app.clinic_id', true), '')::int"
CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::int"
ALL_CLINICS = "current_setting('app.all_clinics', true) = 'on'"


def listed_therapist(table: str) -> str:
    """The row belongs to a published, not deleted therapist (read through therapists' own
    policies, which show exactly those rows to the public)."""
    return (
        "EXISTS (SELECT 1 FROM therapists t"
        f" WHERE t.id = {table}.therapist_id AND t.clinic_id = {table}.clinic_id"
        " AND t.is_published AND t.deleted_at IS NULL)"
    )


PUBLIC_READ = {
    "therapists": "is_published AND deleted_at IS NULL",
    "therapist_modalities": listed_therapist("therapist_modalities"),
    "therapist_conditions": listed_therapist("therapist_conditions"),
    "therapist_languages": listed_therapist("therapist_languages"),
    "accreditations": (
        f"state IN ('verified', 'expired') AND {listed_therapist('accreditations')}"
    ),
    "therapist_ratings": listed_therapist("therapist_ratings"),
    "search_documents": listed_therapist("search_documents"),
    "reviews": "state = 'published'",
    "clinic_replies": "state = 'published'",
}


def is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
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
    op.execute(
        f"CREATE POLICY member_reads_own ON memberships FOR SELECT USING (user_id = {CURRENT_USER})"
    )


def downgrade():
    if not is_postgresql():
        return
    op.execute("DROP POLICY member_reads_own ON memberships")
    for table in reversed(TENANT_TABLES):
        if table in PUBLIC_READ:
            op.execute(f"DROP POLICY public_read ON {table}")
        op.execute(f"DROP POLICY all_clinics ON {table}")
        op.execute(f"DROP POLICY tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
