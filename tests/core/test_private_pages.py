"""Pages made for a signed-in person are never stored by a cache; public ones may be."""

from __future__ import annotations

from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_therapist


def test_signed_in_and_console_pages_are_never_stored(app, client):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    owner = member(clinic)
    public = ["/", "/therapists?q=massage", f"/therapists/{therapist.slug}"]
    for url in public:
        assert "no-store" not in client.get(url).headers.get("Cache-Control", ""), url

    sign_in(client, owner)
    for url in ["/account", f"/manage/{clinic.slug}/", *public]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url

    # The public API shows no one's data: it stays cacheable, whoever asks.
    api = client.get("/api/v1/therapists?q=massage")
    assert api.headers["Cache-Control"] == "public, max-age=60"
