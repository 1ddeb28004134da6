"""Logs: one line per record in either format, carrying the request's id, user and clinic;
no user text can start a line of its own."""

from __future__ import annotations

import json
import logging
import re

import pytest
from flask import request

from directory.clinics.models import Role
from directory.core import logs
from directory.core.tenancy import act_for_all_clinics
from directory.extensions import db
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic

log = logging.getLogger("tests.user_text")
FORGED = "2026-01-01T00:00:00.000Z CRITICAL [directory] forged"
USER_TEXT = f"deep tissue\n{FORGED}\r\n{json.dumps({'level': 'CRITICAL'})}"
RECORD_START = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]+ \[")


def logging_app(make_app, log_format: str):
    """An app that logs requests in `log_format`, with a page that logs what it is sent."""
    app = make_app(LOG_FORMAT=log_format, LOG_LEVEL="INFO", LOG_REQUESTS=True)

    @app.get("/echo")
    def echo():
        log.warning("searched for %s", request.args["q"])
        return "ok"

    @app.get("/explode")
    def explode():
        raise RuntimeError(request.args["q"])

    return app


@pytest.fixture
def json_app(make_app):
    app = logging_app(make_app, "json")
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()


@pytest.fixture
def text_app(make_app):
    app = logging_app(make_app, "text")
    with app.app_context():
        act_for_all_clinics()
        yield app
        db.session.remove()


def json_records(capsys) -> list[dict]:
    lines = capsys.readouterr().err.splitlines()
    return [json.loads(line) for line in lines]  # every line is a whole record


def test_a_json_record_carries_the_request_id_the_user_and_the_clinic(json_app, capsys):
    clinic = create_clinic()
    owner = member(clinic, Role.OWNER)
    client = json_app.test_client()
    sign_in(client, owner)
    capsys.readouterr()

    response = client.get(f"/manage/{clinic.slug}/?tab=secret-token")

    assert response.status_code == 200
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = [r for r in json_records(capsys) if r["logger"] == "directory.requests"]
    assert line["message"] == "request"
    assert line["level"] == "INFO"
    assert line["request_id"] == request_id
    assert line["user_id"] == owner.id
    assert line["clinic_id"] == clinic.id
    assert line["method"] == "GET"
    assert line["path"] == f"/manage/{clinic.slug}/"  # never the query string
    assert line["status"] == 200
    assert line["duration_ms"] >= 0


def test_every_record_of_a_request_carries_its_id(json_app, capsys):
    response = json_app.test_client().get("/echo", query_string={"q": "neck pain"})
    records = json_records(capsys)
    assert {r["request_id"] for r in records} == {response.headers["X-Request-ID"]}
    [message] = [r for r in records if r["logger"] == "tests.user_text"]
    assert message["message"] == "searched for neck pain"
    assert "user_id" not in message  # nobody is signed in


def test_a_sane_request_id_from_the_caller_is_kept_and_echoed(client):
    response = client.get("/", headers={"X-Request-ID": "edge-4f2a.9_B"})
    assert response.headers["X-Request-ID"] == "edge-4f2a.9_B"


@pytest.mark.parametrize("given", ["has space", "x" * 65, "semi;colon", "ünïcode", ""])
def test_an_unusable_request_id_is_replaced_by_a_new_one(client, given):
    response = client.get("/", headers={"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_user_text_with_line_breaks_stays_one_json_record(json_app, capsys):
    json_app.test_client().get("/echo", query_string={"q": USER_TEXT})
    records = json_records(capsys)
    [message] = [r for r in records if r["logger"] == "tests.user_text"]
    assert message["message"] == f"searched for {USER_TEXT}"
    assert [r["level"] for r in records] == ["WARNING", "INFO"]


def test_user_text_with_line_breaks_stays_one_text_line(text_app, capsys):
    text_app.test_client().get(f"/echo/../echo%0A{FORGED}", query_string={"q": USER_TEXT})
    text_app.test_client().get("/echo", query_string={"q": USER_TEXT})
    lines = capsys.readouterr().err.splitlines()
    assert all(RECORD_START.match(line) for line in lines), lines
    assert not any(line.startswith(FORGED) for line in lines)
    [message] = [line for line in lines if "[tests.user_text]" in line]
    assert f"searched for deep tissue\\n{FORGED}\\r\\n" + '{"level": "CRITICAL"}' in message


def test_a_traceback_in_text_cannot_pass_for_a_record(make_app, capsys):
    app = logging_app(make_app, "text")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/explode", query_string={"q": USER_TEXT})
    assert response.status_code == 500
    lines = capsys.readouterr().err.splitlines()
    assert not any(line.startswith(FORGED) for line in lines)
    for line in lines:
        assert RECORD_START.match(line) or line.startswith(logs.TRACEBACK_PREFIX), line
    assert any(line.startswith(logs.TRACEBACK_PREFIX + "RuntimeError") for line in lines)


def test_text_fields_are_escaped_and_quoted_when_they_hold_spaces():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "done", (), None)
    record.path = "/a b\nc"
    record.task = "emails.send"
    line = logs.TextFormatter().format(record)
    assert line.endswith('done path="/a b\\nc" task=emails.send')


def test_escaping_keeps_a_backslash_apart_from_an_escaped_newline():
    assert logs.escape("a\\nb\nc\x1b[2Jd\x1b[31me\u2028") == "a\\\\nb\\nc\\x1b[2Jde\\u2028"
