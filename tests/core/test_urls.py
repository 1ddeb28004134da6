"""Links to many slugs at once are the links url_for builds, one by one."""

from __future__ import annotations

from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.core.urls import slug_urls

ENDPOINTS = ("public_profiles.profile", "public_clinics.page")


# The app only builds links here; nothing a Hypothesis example does outlives it.
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(slug=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s))
def test_slug_urls_are_what_url_for_builds(app, slug):
    with app.test_request_context("/therapists?q=back"):
        for endpoint in ENDPOINTS:
            assert slug_urls(endpoint)(slug) == url_for(endpoint, slug=slug)


def test_slug_urls_follow_the_sites_prefix(app):
    with app.test_request_context("/therapists", base_url="http://example.com/directory/"):
        assert slug_urls(ENDPOINTS[0])("ann-other") == "/directory/therapists/ann-other"
