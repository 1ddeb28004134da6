"""The console page that gives a clinic its snippets."""

from __future__ import annotations

from html import unescape

from directory.clinics.models import Role
from directory.extensions import db
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_therapist


def test_every_member_finds_snippets_for_the_clinic_and_each_listed_therapist(client):
    clinic = create_clinic("Bang Rak Thai Massage", slug="bang-rak")
    create_therapist(clinic, "John Wintertime", slug="john-wintertime")
    create_therapist(clinic, "Draft Person", slug="draft-person", is_published=False)
    staff = member(clinic, Role.STAFF)
    db.session.commit()
    sign_in(client, staff)

    dashboard = client.get("/manage/bang-rak/").get_data(as_text=True)
    assert 'href="/manage/bang-rak/website"' in dashboard

    response = client.get("/manage/bang-rak/website")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert '<iframe src="http://localhost/embed/clinics/bang-rak"' in page
    assert '<img src="http://localhost/embed/therapists/john-wintertime/badge.svg"' in page
    assert '<a href="http://localhost/therapists/john-wintertime" target="_blank"' in page
    assert "draft-person" not in page  # an unlisted therapist's embed would answer 404
    # The live previews are the console's own embed pages, framed from this site.
    assert 'class="embed-preview" src="/embed/clinics/bang-rak"' in page
    assert 'src="/embed/clinics/bang-rak/badge.svg"' in page


def test_the_snippets_escape_a_clinic_name(client):
    clinic = create_clinic('Quote " and <b>', slug="quote")
    owner = member(clinic, Role.OWNER)
    db.session.commit()
    sign_in(client, owner)
    page = client.get("/manage/quote/website").get_data(as_text=True)
    # Escaped once in the snippet, and again as the text of its textarea.
    assert "Quote &amp;#34; and &amp;lt;b&amp;gt;" in page
    assert "<b>" not in page
