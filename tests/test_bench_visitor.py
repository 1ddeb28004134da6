"""The benchmark's signed-in visitor: signs in and fills a compare list over HTTP against
a served app (CSRF on), and its cookie gives the load clients that visitor's pages."""

from __future__ import annotations

import http.client

from directory.extensions import db
from scripts.bench import visitor
from scripts.bench.load import request
from tests.factories import create_clinic, create_therapist
from tests.public.builders import publish
from tests.support import loopback_url, serving


def test_the_cookie_is_a_signed_in_visitor_with_their_compare_list(make_redis_app):
    app = make_redis_app(WTF_CSRF_ENABLED=True, BASE_URL=loopback_url())
    with app.app_context():
        clinic = create_clinic()
        for name, slug in (("John Wintertime", "john-wintertime"), ("Ann Other", "ann-other")):
            publish(create_therapist(clinic, name, slug=slug), 5, 4)
        db.session.commit()
        db.session.remove()
    with serving(app):
        port = int(app.config["BASE_URL"].rsplit(":", 1)[1])
        cookie = visitor.signed_in_cookie(app, "127.0.0.1", port, ["john-wintertime", "ann-other"])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        status, body = request(connection, "/therapists/ann-other", cookie)
        connection.close()
    page = body.decode()
    assert status == 200
    assert "Bench Visitor" in page and 'compare-count">2<' in page
    assert "Remove from compare" in page
