"""Accreditations: the credential a therapist would really hold where they practise.

An Ontario therapist is an RMT with the CMTO, a Texas one an LMT with the TDLR and often
NCBTMB-certified, a Bangkok one holds a Wat Pho certificate.  Every state of the review
cycle occurs: drafts, submissions waiting for a moderator, verified (by the demo
moderator, with the time it was checked), rejected with a note, and expired.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from directory.demo.bulk import IdAllocator
from directory.demo.reference import PlacedCity, Reference
from directory.therapists.models import AccreditationState


@dataclass(frozen=True)
class Issuer:
    code: str  # credential_types.code
    body: str
    register_url: str
    number: str  # pattern: '#' is a digit


CNHC = Issuer(
    "CMT",
    "Complementary and Natural Healthcare Council (CNHC)",
    "https://www.cnhc.org.uk/",
    "######",
)
NCBTMB = Issuer(
    "NCBTMB",
    "National Certification Board for Therapeutic Massage & Bodywork",
    "https://www.ncbtmb.org/",
    "#######",
)
AMTA = Issuer(
    "AMTA", "American Massage Therapy Association", "https://www.amtamassage.org/", "#######"
)
ABMP = Issuer(
    "ABMP", "Associated Bodywork & Massage Professionals", "https://www.abmp.com/", "#######"
)

# The licence or registration that lets someone practise in a region: (country, admin1).
REGIONAL: dict[tuple[str, str], Issuer] = {
    ("CA", "08"): Issuer(
        "RMT", "College of Massage Therapists of Ontario (CMTO)", "https://www.cmto.ca/", "#####"
    ),
    ("CA", "02"): Issuer(
        "RMT",
        "College of Complementary Health Professionals of British Columbia",
        "https://cchpbc.ca/",
        "#####",
    ),
    ("CA", "10"): Issuer(
        "CMT", "Fédération québécoise des massothérapeutes (FQM)", "https://www.fqm.qc.ca/", "####"
    ),
    ("CA", "01"): Issuer(
        "RMT", "Massage Therapist Association of Alberta", "https://www.mtaa.ca/", "####"
    ),
    ("CA", "07"): Issuer(
        "RMT", "Massage Therapists' Association of Nova Scotia", "https://www.mtans.ca/", "###"
    ),
    ("CA", "03"): Issuer(
        "RMT", "Massage Therapy Association of Manitoba", "https://www.mtam.mb.ca/", "####"
    ),
    ("US", "NY"): Issuer(
        "LMT",
        "New York State Education Department, Office of the Professions",
        "https://www.op.nysed.gov/",
        "0#####",
    ),
    ("US", "IL"): Issuer(
        "LMT",
        "Illinois Department of Financial and Professional Regulation",
        "https://idfpr.illinois.gov/",
        "227.0#####",
    ),
    ("US", "TX"): Issuer(
        "LMT",
        "Texas Department of Licensing and Regulation",
        "https://www.tdlr.texas.gov/",
        "MT######",
    ),
    ("US", "WA"): Issuer(
        "LMT", "Washington State Department of Health", "https://doh.wa.gov/", "MA6#######"
    ),
    ("US", "CA"): Issuer(
        "CMT", "California Massage Therapy Council (CAMTC)", "https://www.camtc.org/", "#####"
    ),
    ("US", "CO"): Issuer(
        "LMT",
        "Colorado Division of Professions and Occupations",
        "https://dpo.colorado.gov/",
        "MT.00#####",
    ),
    ("US", "OR"): Issuer(
        "LMT", "Oregon Board of Massage Therapists", "https://www.oregon.gov/obmt/", "#####"
    ),
    ("US", "MA"): Issuer(
        "LMT",
        "Massachusetts Board of Registration of Massage Therapy",
        "https://www.mass.gov/orgs/board-of-registration-of-massage-therapy",
        "MT####",
    ),
    ("US", "FL"): Issuer(
        "LMT", "Florida Board of Massage Therapy", "https://floridasmassagetherapy.gov/", "MA#####"
    ),
    ("GB", "ENG"): CNHC,
    ("GB", "SCT"): CNHC,
    ("AU", ""): Issuer(
        "CMT", "Massage & Myotherapy Australia", "https://www.massagemyotherapy.com.au/", "#####"
    ),
    ("TH", ""): Issuer(
        "CMT",
        "Wat Pho Thai Traditional Medical School",
        "https://www.watpomassage.com/",
        "WP####-###",
    ),
    ("DE", ""): Issuer(
        "CMT", "Verband Physikalische Therapie (VPT)", "https://www.vpt.de/", "#####"
    ),
    ("IE", ""): Issuer("CMT", "Irish Massage Therapists Association", "", "IMTA-####"),
    ("NL", ""): Issuer("CMT", "Nederlands Genootschap van Sportmassage (NGS)", "", "#####"),
    ("NZ", ""): Issuer(
        "CMT", "Massage New Zealand", "https://www.massagenewzealand.org.nz/", "####"
    ),
}
# Certifications and memberships people in this country add to their licence.
NATIONAL: dict[str, tuple[Issuer, ...]] = {
    "US": (NCBTMB, AMTA, ABMP),
    "CA": (NCBTMB,),
}

STATE_WEIGHTS = (
    (AccreditationState.VERIFIED, 62),
    (AccreditationState.EXPIRED, 12),
    (AccreditationState.SUBMITTED, 12),
    (AccreditationState.DRAFT, 8),
    (AccreditationState.REJECTED, 6),
)
REJECTION_NOTES = (
    "The number is not on the issuer's public register.",
    "The name on the certificate does not match the profile.",
    "The certificate image is unreadable; please upload a clearer copy.",
    "The register shows this registration as suspended.",
)

ACCREDITATION_COLUMNS = (
    "id",
    "clinic_id",
    "therapist_id",
    "credential_type_id",
    "issuing_body",
    "number",
    "issued_on",
    "expires_on",
    "register_url",
    "state",
    "submitted_at",
    "verified_by_id",
    "verified_at",
    "decision_note",
    "expiry_reminder_sent_at",
    "created_at",
    "updated_at",
)


def fill_pattern(rng: random.Random, pattern: str) -> str:
    """Replace each '#' with a digit and each '@' with a capital letter."""
    return "".join(
        str(rng.randrange(10)) if ch == "#" else chr(65 + rng.randrange(26)) if ch == "@" else ch
        for ch in pattern
    )


def issuers_for(city: PlacedCity, ref: Reference) -> list[Issuer]:
    """What a therapist in `city` may hold, the practising licence first."""
    demo = city.demo
    regional = REGIONAL.get((demo.country, demo.admin1)) or REGIONAL.get((demo.country, ""))
    options = ([regional] if regional else []) + list(NATIONAL.get(demo.country, ()))
    return [issuer for issuer in options if issuer.code in ref.credentials]


class AccreditationMaker:
    """Builds accreditation rows; the first five made show one of each state."""

    def __init__(
        self,
        rng: random.Random,
        ref: Reference,
        anchor: datetime,
        ids: IdAllocator,
        moderator_id: int,
    ) -> None:
        self.rng = rng
        self.ref = ref
        self.ids = ids
        self.anchor = anchor
        self.today = anchor.date()
        self.moderator_id = moderator_id
        self.showcase = deque(state for state, _ in STATE_WEIGHTS)
        self.states = [state for state, _ in STATE_WEIGHTS]
        self.weights = [weight for _, weight in STATE_WEIGHTS]

    def for_therapist(
        self, therapist_id: int, clinic_id: int, city: PlacedCity, count: int
    ) -> list[tuple]:
        """`count` accreditations from distinct issuers (fewer if the region has fewer)."""
        rng = self.rng
        issuers = issuers_for(city, self.ref)
        if not issuers or count < 1:
            return []
        chosen = [issuers[0], *rng.sample(issuers[1:], min(count, len(issuers)) - 1)]
        rows = []
        for issuer in chosen:
            if self.showcase:
                state = self.showcase.popleft()
            else:
                state = rng.choices(self.states, self.weights)[0]
            row_id = self.ids.next("accreditations")
            rows.append(self.row(row_id, therapist_id, clinic_id, issuer, state))
        return rows

    def row(
        self, row_id: int, therapist_id: int, clinic_id: int, issuer: Issuer, state: str
    ) -> tuple:
        """One accreditation whose dates agree with `state`.

        Expired ones lapsed in the past year; the others are valid today or have no expiry;
        a verified one was checked by the moderator after it was submitted and before it
        expires; the clinic was reminded of anything expiring within 30 days.
        """
        rng, today, anchor = self.rng, self.today, self.anchor
        if state == AccreditationState.EXPIRED:
            expires_on = today - timedelta(days=rng.randint(1, 400))
        elif rng.random() < 0.08:
            expires_on = None
        else:
            expires_on = today + timedelta(days=rng.randint(3, 730))
        newest_issue = (expires_on or today) - timedelta(days=365)
        issued_on = min(newest_issue, today - timedelta(days=30)) - timedelta(
            days=rng.randint(0, 3650)
        )
        created_at = anchor - timedelta(days=rng.randint(20, 900), minutes=rng.randint(0, 1439))
        submitted_at = verified_at = verified_by = reminder = None
        note = ""
        if state != AccreditationState.DRAFT:
            submitted_at = created_at + timedelta(minutes=rng.randint(2, 600))
            if state == AccreditationState.SUBMITTED:
                submitted_at = anchor - timedelta(hours=rng.randint(1, 24 * 20))
                created_at = min(created_at, submitted_at - timedelta(minutes=5))
        if state in (AccreditationState.VERIFIED, AccreditationState.EXPIRED):
            verified_at = min(submitted_at + timedelta(hours=rng.randint(1, 72)), anchor)
            verified_by = self.moderator_id
            note = rng.choice(("", "", "Checked against the public register."))
            if expires_on is not None and verified_at.date() >= expires_on:
                verified_at = datetime.combine(expires_on, verified_at.timetz()) - timedelta(
                    days=200
                )
                submitted_at = verified_at - timedelta(hours=rng.randint(1, 72))
                created_at = submitted_at - timedelta(minutes=rng.randint(2, 600))
            # The daily job reminds the clinic 30 days before expiry.
            if expires_on is not None and (expires_on - today).days <= 30:
                reminder = datetime.combine(expires_on - timedelta(days=30), anchor.timetz())
                reminder = min(max(reminder, verified_at), anchor)
        if state == AccreditationState.REJECTED:
            note = rng.choice(REJECTION_NOTES)
        updated_at = max(t for t in (created_at, submitted_at, verified_at) if t is not None)
        return (
            row_id,
            clinic_id,
            therapist_id,
            self.ref.credentials[issuer.code].id,
            issuer.body,
            fill_pattern(rng, issuer.number),
            issued_on,
            expires_on,
            issuer.register_url,
            str(state),
            submitted_at,
            verified_by,
            verified_at,
            note,
            reminder,
            created_at,
            updated_at,
        )
