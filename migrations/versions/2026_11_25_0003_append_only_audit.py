"""append-only moderation audit: the database refuses UPDATE and DELETE

Revision ID: 0003_append_only_audit
Revises: 0002_reference_data
Create Date: 2026-11-25 12:55:00
"""

from alembic import op

revision = "0003_append_only_audit"
down_revision = "0002_reference_data"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION moderation_audit_is_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'moderation_audit is append-only';
            END;
            $$
            """
        )
        op.execute(
            """
            CREATE TRIGGER moderation_audit_append_only
            BEFORE UPDATE OR DELETE ON moderation_audit
            FOR EACH ROW EXECUTE FUNCTION moderation_audit_is_append_only()
            """
        )
        # TRUNCATE bypasses row triggers; refuse it too.
        op.execute(
            """
            CREATE TRIGGER moderation_audit_no_truncate
            BEFORE TRUNCATE ON moderation_audit
            FOR EACH STATEMENT EXECUTE FUNCTION moderation_audit_is_append_only()
            """
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"""
                CREATE TRIGGER moderation_audit_no_{event.lower()}
                BEFORE {event} ON moderation_audit
                BEGIN
                    SELECT RAISE(ABORT, 'moderation_audit is append-only');
                END
                """
            )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER moderation_audit_no_truncate ON moderation_audit")
        op.execute("DROP TRIGGER moderation_audit_append_only ON moderation_audit")
        op.execute("DROP FUNCTION moderation_audit_is_append_only()")
    else:
        op.execute("DROP TRIGGER moderation_audit_no_update")
        op.execute("DROP TRIGGER moderation_audit_no_delete")
