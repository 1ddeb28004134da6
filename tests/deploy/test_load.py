"""`make load` for one minute: mixed traffic through nginx and gunicorn with a celery
worker and an SMTP server, no failed request, every acknowledged review stored and
emailed once (scripts/load)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from scripts import front_door
from tests.support import ROOT, postgres_admin_url, unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.alone]


@pytest.fixture
def load_database():
    """A name for the run's own database; dropped afterwards with its application role."""
    name = f"directory_load_{uuid.uuid4().hex[:10]}"
    yield name
    admin = sa.create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}_app"')
    admin.dispose()


@pytest.mark.timeout(420)
def test_a_minute_of_mixed_traffic_runs_clean(load_database, tmp_path):
    if not Path(front_door.NGINX).exists():
        unavailable("nginx is not installed (Debian package nginx-light)")
    args = [sys.executable, "-m", "scripts.load", "--size", "ci", "--minutes", "1"]
    args += ["--visitors", "20", "--database", load_database, "--no-docs"]
    args += ["--run-dir", str(tmp_path)]
    finished = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=400)
    report = finished.stdout + finished.stderr
    assert finished.returncode == 0, report
    assert "Verdict: **clean**" in report
    acknowledged = int(report.split("Reviews acknowledged: ")[1].split(";")[0])
    assert acknowledged > 0, report  # the writes were exercised, not merely not lost
    assert "lost: 0" in report
