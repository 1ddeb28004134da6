"""The fixed part of the demo: Bang Rak Thai Massage and its therapist John Wintertime.

These rows are written out by hand rather than drawn, because people demo the product
with them: the founding clinic and its therapist must read exactly as the architecture
describes them, whatever the seed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from directory.demo.accounts import CLIENT
from directory.demo.bulk import IdAllocator, RowBatch
from directory.demo.clinics import ClinicFacts
from directory.demo.people import Person
from directory.demo.ratings import RatingTotals
from directory.demo.reference import Reference
from directory.demo.reviews import ReviewedTherapist, month_start
from directory.demo.therapists import review_words
from directory.reviews.models import Provenance, ReviewState
from directory.therapists.models import AccreditationState

FOUNDING_CLINIC_NAME = "Bang Rak Thai Massage"
FOUNDING_CLINIC_SLUG = "bang-rak-thai-massage"
FOUNDER_SLUG = "john-wintertime"
FOUNDING_CLINIC_AGE_DAYS = 3100


def founding_clinic_row(
    clinic_id: int, ref: Reference, anchor: datetime
) -> tuple[tuple, ClinicFacts]:
    """The founding clinic, on Charoen Krung Road in Bangkok's Bang Rak district."""
    bangkok = ref.city("Bangkok")
    latitude, longitude = ref.founding_point
    created = anchor - timedelta(days=FOUNDING_CLINIC_AGE_DAYS)
    row = (
        clinic_id,
        FOUNDING_CLINIC_SLUG,
        FOUNDING_CLINIC_NAME,
        "https://www.bangrakthaimassage.example",
        "https://www.bangrakthaimassage.example/book",
        "+66 2 555 0142",
        "hello@bangrakthaimassage.example",
        "1042/7 Charoen Krung Road",
        "10500",
        bangkok.id,
        round(latitude, 6),
        round(longitude, 6),
        "Bang Rak Thai Massage is where this directory began: a small clinic on Charoen Krung "
        "Road, a short walk from Saphan Taksin pier, combining traditional Thai massage with "
        "clinical rehabilitation. Our therapists treat upper back pain, neck pain and the posture "
        "strain of long days at a desk, and every first visit starts with an assessment.",
        True,
        created,
        created + timedelta(days=30),
    )
    return row, ClinicFacts(clinic_id, FOUNDING_CLINIC_NAME, bangkok, "Silom", "thai", created)


FOUNDER = Person("John", "Wintertime", is_female=False, culture="anglo")
FOUNDER_MODALITIES = ("thai", "trigger-point", "deep-tissue", "myofascial-release")
FOUNDER_CONDITIONS = ("upper-back-pain", "posture-strain-from-prolonged-sitting", "neck-pain")
FOUNDER_BIO = (
    "John Wintertime is a registered massage therapist and rehabilitation specialist with more "
    "than ten years of clinical experience in musculoskeletal recovery and pain management. He "
    "registered in Ontario, then studied traditional Thai massage at Wat Pho before opening Bang "
    "Rak Thai Massage, the clinic where this directory began. His sessions combine Thai massage "
    "with trigger point work, deep tissue and myofascial release, and he is known for untangling "
    "upper back pain and the posture strain that comes from long days at a desk. Every first "
    "visit starts with a movement assessment and ends with two or three exercises to take home. "
    "Sessions are available in English and Thai."
)


def founder_rows(
    therapist_id: int,
    clinic: ClinicFacts,
    ref: Reference,
    ids: IdAllocator,
    batch: RowBatch,
    moderator_id: int,
    anchor: datetime,
) -> ReviewedTherapist:
    """John Wintertime's profile, specialties and verified credentials, written to `batch`."""
    created = clinic.created_at + timedelta(days=2)
    published = created + timedelta(days=1)
    batch.add(
        "therapists",
        (
            therapist_id,
            clinic.id,
            FOUNDER_SLUG,
            "John Wintertime",
            "Registered massage therapist and rehabilitation specialist · upper back pain, posture "
            "strain and trigger point work",
            FOUNDER_BIO,
            12,
            1200,
            1800,
            "THB",
            90,
            True,
            "Fever, flu or any contagious illness (please reschedule); undiagnosed severe pain "
            "(please see your doctor first).",
            True,
            published,
            None,
            created,
            anchor - timedelta(days=20),
        ),
    )
    for slug in FOUNDER_MODALITIES:
        if slug in ref.modality_ids:
            batch.add("therapist_modalities", (clinic.id, therapist_id, ref.modality_ids[slug]))
    for slug in FOUNDER_CONDITIONS:
        if slug in ref.condition_ids:
            batch.add("therapist_conditions", (clinic.id, therapist_id, ref.condition_ids[slug]))
    for code in ("en", "th"):
        if code in ref.languages:
            batch.add("therapist_languages", (clinic.id, therapist_id, code))
    today = anchor.date()
    credentials = (
        (
            "RMT",
            "College of Massage Therapists of Ontario (CMTO)",
            "https://www.cmto.ca/",
            "R14207",
            today - timedelta(days=4200),
            today + timedelta(days=240),
        ),
        (
            "CMT",
            "Wat Pho Thai Traditional Medical School",
            "https://www.watpomassage.com/",
            "WP2015-118",
            today - timedelta(days=3700),
            None,
        ),
    )
    for code, body, url, number, issued, expires in credentials:
        if code not in ref.credentials:
            continue
        submitted = anchor - timedelta(days=400, hours=3)
        verified = submitted + timedelta(hours=26)
        batch.add(
            "accreditations",
            (
                ids.next("accreditations"),
                clinic.id,
                therapist_id,
                ref.credentials[code].id,
                body,
                number,
                issued,
                expires,
                url,
                AccreditationState.VERIFIED.value,
                submitted,
                moderator_id,
                verified,
                "Checked against the public register.",
                None,
                submitted,
                verified,
            ),
        )
    return ReviewedTherapist(
        id=therapist_id,
        clinic_id=clinic.id,
        clinic_name=clinic.name,
        city=clinic.city,
        person=FOUNDER,
        modalities=tuple(s for s in FOUNDER_MODALITIES if s in ref.modality_ids)
        or (next(iter(ref.modality_ids)),),
        conditions=tuple(s for s in FOUNDER_CONDITIONS if s in ref.condition_ids)
        or (next(iter(ref.condition_ids)),),
        listed_at=published,
        quality=0.12,  # his ratings run high
        words=review_words(FOUNDER.first, FOUNDER.is_female, clinic.name, clinic.city.demo.name),
    )


# (rating, aspects, months ago, title, body, reviewer, initials only, by the demo client)
FOUNDER_REVIEWS = (
    (
        5,
        (5, 5, 4, 5),
        2,
        "My upper back finally unlocked",
        "I sit at a laptop ten hours a day and had a knot under my right shoulder blade for most "
        "of "
        "a year. John spent the first ten minutes watching how I move and asking about my desk, "
        "then "
        "combined Thai stretches with trigger point work right on the spot.\n\nThe pressure was "
        "strong but he checked in constantly. Three sessions later the knot is gone, and the two "
        "exercises he gave me are now part of my morning.",
        "Daniel Reyes",
        False,
        False,
    ),
    (
        5,
        (5, 5, 5, 5),
        4,
        "The posture fix I needed",
        "John explained exactly why sitting all day was pulling my shoulders forward, then spent "
        "the session opening up my chest and upper back. I left standing taller and the neck pain "
        "I'd had for weeks was gone by the evening.",
        CLIENT.display_name,
        False,
        True,
    ),
    (
        5,
        (None, None, None, None),
        7,
        "Best Thai massage in Bangkok",
        "Thai massage with a physio's eye. Clean, calm clinic on Charoen Krung and a therapist who "
        "knows anatomy inside out.",
        "Emma Clarke",
        False,
        False,
    ),
    (
        4,
        (5, 4, 4, 4),
        11,
        "Strong but precise",
        "Not a spa massage: John works deep and finds every trigger point in your upper back. It "
        "was intense in places, but my posture strain from long flights is much better. Book "
        "ahead, "
        "he is busy.",
        "Kittisak Saetang",
        False,
        False,
    ),
    (
        5,
        (5, 5, 4, 5),
        15,
        "Neck pain gone after three sessions",
        "I came with neck pain and tension headaches from a new job. John worked on my upper back "
        "and neck with myofascial release and trigger point work and gave me a plan for between "
        "visits. After three sessions the headaches stopped.",
        "Siriporn Wongsawat",
        True,
        False,
    ),
    (
        5,
        (None, None, None, None),
        20,
        "Worth the trip to Bang Rak",
        "I travel across the city for these sessions and it is worth every minute. Professional, "
        "punctual, and my upper back has never felt better.",
        "Oliver Bennett",
        True,
        False,
    ),
)


def founder_reviews(
    therapist_id: int,
    clinic_id: int,
    count: int,
    ids: IdAllocator,
    batch: RowBatch,
    client_id: int,
    rng: random.Random,
    anchor: datetime,
) -> tuple[set[str], RatingTotals]:
    """Up to six good, published reviews of John; returns the emails used and their totals."""
    taken: set[str] = set()
    totals = RatingTotals()
    for rating, aspects, months_ago, title, body, name, initials, by_client in FOUNDER_REVIEWS[
        :count
    ]:
        created = anchor - timedelta(
            days=months_ago * 30 + rng.randint(0, 10), hours=rng.randint(1, 12)
        )
        visit = created.date() - timedelta(days=rng.randint(1, 6))
        email = CLIENT.email if by_client else name.lower().replace(" ", ".") + "@example.com"
        invitation_id = None
        if not by_client and months_ago % 2 == 1:
            invitation_id = ids.next("review_invitations")
            invited = created - timedelta(days=2)
            batch.add(
                "review_invitations",
                (
                    invitation_id,
                    clinic_id,
                    therapist_id,
                    None,
                    email,
                    name,
                    visit,
                    invited,
                    invited + timedelta(days=30),
                    created,
                ),
            )
        published = created + timedelta(hours=rng.randint(2, 30))
        batch.add(
            "reviews",
            (
                ids.next("reviews"),
                clinic_id,
                therapist_id,
                client_id if by_client else None,
                invitation_id,
                email,
                name,
                initials,
                rating,
                *aspects,
                title,
                body,
                month_start(visit),
                (Provenance.VERIFIED_CLIENT if invitation_id else Provenance.EMAIL_CONFIRMED).value,
                ReviewState.PUBLISHED.value,
                1,
                None,
                "",
                False,
                None,
                "192.0.2.10",
                rng.randint(0, 9),
                created,
                created,
                published,
                published,
                created,
                published,
            ),
        )
        taken.add(email)
        totals.add(rating, aspects)
    return taken, totals
