"""Setting up therapists with everything a public page shows: terms, credentials, reviews."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

import sqlalchemy as sa

from directory.core.models import utcnow
from directory.extensions import db
from directory.reviews import ratings
from directory.search.documents import rebuild_document
from directory.taxonomy.models import Condition, CredentialType, Modality
from directory.therapists.models import (
    Accreditation,
    AccreditationState,
    Therapist,
    TherapistCondition,
    TherapistLanguage,
    TherapistModality,
)
from tests.factories import create_review, create_user


def term_id(model, slug: str) -> int:
    return db.session.scalar(sa.select(model.id).where(model.slug == slug))


def give_terms(
    therapist: Therapist,
    modalities: tuple[str, ...] = (),
    conditions: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
) -> Therapist:
    """Link the therapist to modalities and conditions (by slug) and languages (by code)."""
    keys = {"therapist_id": therapist.id, "clinic_id": therapist.clinic_id}
    db.session.add_all(
        [TherapistModality(**keys, modality_id=term_id(Modality, s)) for s in modalities]
        + [TherapistCondition(**keys, condition_id=term_id(Condition, s)) for s in conditions]
        + [TherapistLanguage(**keys, language_code=code) for code in languages]
    )
    db.session.flush()
    db.session.expire(therapist)
    return therapist


def credential(
    therapist: Therapist,
    code: str = "RMT",
    *,
    state: str = AccreditationState.VERIFIED,
    issuing_body: str = "College of Massage Therapists of Ontario",
    number: str = "R-4471",
    issued_on: date = date(2015, 1, 1),
    expires_on: date | None = None,
) -> Accreditation:
    checked = state in (AccreditationState.VERIFIED, AccreditationState.EXPIRED)
    accreditation = Accreditation(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        credential_type_id=db.session.scalar(
            sa.select(CredentialType.id).where(CredentialType.code == code)
        ),
        issuing_body=issuing_body,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        state=state,
        verified_by_id=create_user(display_name="Morgan Moderator").id if checked else None,
        verified_at=utcnow() if checked else None,
    )
    db.session.add(accreditation)
    db.session.flush()
    return accreditation


def publish(therapist: Therapist, *stars: int, **aspects: int) -> None:
    """Published reviews with these ratings (and the same aspect ratings on each)."""
    now = utcnow()
    for n, rating in enumerate(stars):
        fields = {f"rating_{aspect}": value for aspect, value in aspects.items()}
        create_review(therapist, rating=rating, published_at=now - timedelta(days=n), **fields)
    ratings.recompute(therapist.id)


def index(*therapists: Therapist) -> None:
    """Build the therapists' search documents, as the worker would after a change."""
    db.session.commit()
    for therapist in therapists:
        rebuild_document(therapist.id)
    db.session.commit()


class _TableReader(HTMLParser):
    """The rows of the first table with a class, as lists of cell texts (nested tables'
    text goes into the cell that holds them)."""

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.depth = 0  # tables open inside the one we read, plus one for it
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "table":
            classes = (dict(attrs).get("class") or "").split()
            if self.depth or self.css_class in classes:
                self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if self.done or not self.depth:
            return
        if tag == "table":
            self.depth -= 1
            self.done = self.depth == 0
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, css_class: str) -> dict[str, list[str]]:
    """{row heading: [cell text, ...]} of the table; the header row is under "" (the first
    row of a heading wins)."""
    reader = _TableReader(css_class)
    reader.feed(html)
    rows: dict[str, list[str]] = {}
    for row in reader.rows:
        if row:
            rows.setdefault(row[0], row[1:])
    return rows
