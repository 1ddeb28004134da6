"""haversine_km() as an SQL function on PostgreSQL, as SQLite has one per connection

Revision ID: 0008_haversine_function
Revises: 0007_place_tokens
Create Date: 2026-12-01 08:30:00

A distance search named the great-circle formula as some thirty expression nodes in every
statement, which the app built, hashed and adapted on each request.  As one function
call it is a single node; PostgreSQL inlines a plain IMMUTABLE SQL function into the
query, so plans and results are unchanged.  SQLite registers the same formula, written in
Python (directory.core.geo), on each connection, so both backends now say
`haversine_km(lat1, lon1, lat2, lon2)`.  A no-op on SQLite.
"""

from alembic import op

revision = "0008_haversine_function"
down_revision = "0007_place_tokens"
branch_labels = None
depends_on = None

# directory.core.geo.EARTH_RADIUS_KM
EARTH_RADIUS_KM = 6371.0088


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION haversine_km("
        "lat1 double precision, lon1 double precision,"
        " lat2 double precision, lon2 double precision"
        ") RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$"
        f" SELECT 2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt("
        "power(sin(radians(lat2 - lat1) / 2), 2)"
        " + cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2)"
        ")))"
        " $$"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DROP FUNCTION haversine_km("
        "double precision, double precision, double precision, double precision)"
    )
