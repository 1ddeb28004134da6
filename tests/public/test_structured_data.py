"""schema.org JSON-LD on profiles and clinic pages says what the page says."""

from __future__ import annotations

import json
import re
from datetime import date

from directory.extensions import db
from directory.therapists.models import AccreditationState
from tests.factories import create_clinic, create_therapist
from tests.public.builders import credential, give_terms, publish

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(page: str) -> dict:
    blocks = JSON_LD.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def node(graph: dict, kind: str) -> dict:
    (found,) = [n for n in graph["@graph"] if n["@type"] == kind]
    return found


def john():
    clinic = create_clinic(
        "Bang Rak Thai Massage",
        slug="bang-rak",
        phone="+1 416 555 0100",
        address="12 Queen St W",
        postal_code="M5H 2N2",
        website="https://bangrak.example",
    )
    therapist = create_therapist(
        clinic,
        "John Wintertime",
        slug="john-wintertime",
        headline="Registered massage therapist",
        price_min=90,
        price_max=120,
    )
    give_terms(therapist, ("thai", "trigger-point"), ("upper-back-pain",), ("en",))
    return therapist


def test_a_profile_describes_the_person_their_clinic_credentials_and_rating(client):
    therapist = john()
    credential(therapist, "RMT", number="R-4471", expires_on=date(2030, 1, 31))
    credential(
        therapist,
        "LMT",
        state=AccreditationState.EXPIRED,
        issuing_body="Board of Massage",
        number="L-9",
        expires_on=date(2024, 6, 30),
    )
    credential(therapist, "NCBTMB", state=AccreditationState.SUBMITTED, number="N-1")
    credential(therapist, "AMTA", state=AccreditationState.REJECTED, number="A-1")
    publish(therapist, 5, 4, 4)
    db.session.commit()

    page = client.get("/therapists/john-wintertime").get_data(as_text=True)
    data = structured_data(page)
    assert data["@context"] == "https://schema.org"
    person, service = node(data, "Person"), node(data, "Service")

    assert person["name"] == "John Wintertime"
    assert person["url"] == "http://localhost/therapists/john-wintertime"
    assert person["description"] == "Registered massage therapist"
    assert person["knowsAbout"] == ["Thai", "Trigger point", "Upper back pain"]
    assert person["knowsLanguage"] == ["English"]
    clinic = person["worksFor"]
    assert clinic["@type"] == "HealthAndBeautyBusiness"
    assert clinic["name"] == "Bang Rak Thai Massage"
    assert clinic["url"] == "http://localhost/clinics/bang-rak"
    assert clinic["telephone"] == "+1 416 555 0100"
    assert clinic["address"]["streetAddress"] == "12 Queen St W"
    assert clinic["address"]["addressLocality"] == "Toronto"
    assert clinic["address"]["addressCountry"] == "CA"
    assert clinic["geo"]["latitude"] == therapist.clinic.latitude

    # Only credentials a moderator checked, as on the page.
    credentials = {c["identifier"]: c for c in person["hasCredential"]}
    assert set(credentials) == {"R-4471", "L-9"}
    rmt = credentials["R-4471"]
    assert rmt["@type"] == "EducationalOccupationalCredential"
    assert rmt["name"] == "Registered Massage Therapist"
    assert rmt["credentialCategory"] == "license"
    assert rmt["recognizedBy"] == {
        "@type": "Organization",
        "name": "College of Massage Therapists of Ontario",
    }
    assert rmt["expires"] == "2030-01-31" and "31 January 2030" in page
    assert credentials["L-9"]["expires"] == "2024-06-30"
    assert "N-1" not in page and "A-1" not in page

    # The rating is the one the page shows: 13 / 3 = 4.33…, printed as 4.3.
    assert "4.3 ★ from 3 reviews" in page
    assert service["provider"] == {"@id": person["@id"]}
    assert service["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.3,
        "reviewCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert service["offers"]["priceSpecification"]["minPrice"] == 90
    assert service["offers"]["priceSpecification"]["maxPrice"] == 120
    assert service["offers"]["priceCurrency"] == "CAD"
    assert "aggregateRating" not in person  # not a property of Person in schema.org


def test_no_rating_is_claimed_without_a_published_review(client):
    john()
    db.session.commit()
    page = client.get("/therapists/john-wintertime").get_data(as_text=True)
    data = structured_data(page)
    assert "No reviews yet" in page
    assert "aggregateRating" not in node(data, "Service")
    assert "hasCredential" not in node(data, "Person")


def test_text_from_a_clinic_cannot_close_the_script_element(client):
    clinic = create_clinic("Evil </script><script>alert(1)</script> Spa", slug="evil")
    create_therapist(
        clinic, "Mallory", slug="mallory", headline="</script><script>alert('x')</script>"
    )
    db.session.commit()
    for url in ("/therapists/mallory", "/clinics/evil"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "Evil </script><script>alert(1)</script> Spa" in json.dumps(
            structured_data(page), ensure_ascii=False
        )


def test_a_clinic_page_describes_the_business_and_its_rating(client):
    therapist = john()
    colleague = create_therapist(therapist.clinic, "Mia Laurent", slug="mia-laurent")
    create_therapist(therapist.clinic, "Draft Dora", slug="draft-dora", is_published=False)
    publish(therapist, 5, 4)
    publish(colleague, 3)
    db.session.commit()

    page = client.get("/clinics/bang-rak").get_data(as_text=True)
    data = structured_data(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "HealthAndBeautyBusiness"
    assert data["name"] == "Bang Rak Thai Massage"
    assert data["url"] == "http://localhost/clinics/bang-rak"
    assert data["sameAs"] == "https://bangrak.example"
    assert data["telephone"] == "+1 416 555 0100"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 Queen St W",
        "postalCode": "M5H 2N2",
        "addressLocality": "Toronto",
        "addressRegion": therapist.clinic.city.admin1_code,
        "addressCountry": "CA",
    }
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": therapist.clinic.latitude,
        "longitude": therapist.clinic.longitude,
    }
    # (5 + 4 + 3) / 3 = 4.0 across its listed therapists, as the page's rating section says.
    assert "4.0 ★</strong> average from 3 published reviews" in page
    assert data["aggregateRating"]["ratingValue"] == 4.0
    assert data["aggregateRating"]["reviewCount"] == 3
    assert [e["name"] for e in data["employee"]] == ["John Wintertime", "Mia Laurent"]


def test_a_clinic_without_reviews_claims_no_rating(client):
    create_clinic("Quiet Clinic", slug="quiet")
    db.session.commit()
    data = structured_data(client.get("/clinics/quiet").get_data(as_text=True))
    assert data["name"] == "Quiet Clinic"
    assert "aggregateRating" not in data and "employee" not in data
    assert "telephone" not in data
