"""Per-connection settings, and the distance formula both databases share with Python."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.core.geo import haversine_km
from directory.extensions import db


@pytest.mark.postgres
def test_postgresql_connections_plan_each_search_for_its_values_without_jit(app):
    """A prepared search must not fall back to one plan for any values (see
    core.database): a generic plan of a distance search was five times slower."""
    plan_cache_mode = db.session.scalar(sa.text("SELECT current_setting('plan_cache_mode')"))
    jit = db.session.scalar(sa.text("SELECT current_setting('jit')"))
    assert (plan_cache_mode, jit) == ("force_custom_plan", "off")


# Coordinates as places are stored, to a millionth of a degree (about 10 cm): PostgreSQL
# refuses a float that underflows, as the square of a difference of 1e-160 degrees would.
latitudes = st.floats(min_value=-89.9, max_value=89.9).map(lambda x: round(x, 6))
longitudes = st.floats(min_value=-180, max_value=180).map(lambda x: round(x, 6))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lat1=latitudes, lon1=longitudes, lat2=latitudes, lon2=longitudes)
def test_the_database_measures_distances_as_python_does(app, lat1, lon1, lat2, lon2):
    in_sql = db.session.scalar(
        sa.select(sa.func.haversine_km(lat1, lon1, lat2, lon2)).execution_options(all_clinics=True)
    )
    assert in_sql == pytest.approx(haversine_km(lat1, lon1, lat2, lon2), abs=1e-6)
