"""The moderation console through HTTP, as a moderator (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from directory.core.models import utcnow
from directory.extensions import db
from directory.moderation.models import AuditEntry
from directory.moderation.reasons import Reason
from directory.reviews import ratings
from directory.reviews.models import (
    FlagSource,
    FlagState,
    Review,
    ReviewFlag,
    ReviewState,
    TherapistRating,
)
from directory.search.models import SearchDocument
from directory.taxonomy.models import CredentialType
from directory.therapists.models import Accreditation, AccreditationState
from tests.clinics.test_console import member, sign_in
from tests.factories import create_clinic, create_review, create_therapist, create_user
from tests.moderation.helpers import emails_in, moderator_client, pending_review, text_of

APPEAL_LINK = re.compile(r"http://localhost(/reviews/appeal/\S+)")


def audit_rows() -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)))


def test_the_queue_lists_pending_reviews_oldest_first_with_risk_signals(client):
    therapist = create_therapist(create_clinic())
    now = utcnow()
    newer = pending_review(therapist, title="Newer review", submitted_at=now)
    older = pending_review(
        therapist,
        title="Older review",
        submitted_at=now - timedelta(days=2),
        body="Call me on 416 555 0199 or see www.cheap-massage.com for deals, truly great.",
    )
    create_review(therapist, title="Already published")
    moderator_client(client)
    page = client.get("/moderation/").get_data(as_text=True)
    assert page.index("Older review") < page.index("Newer review")
    assert "Already published" not in page
    assert "Contact details or links" in page and "a phone number" in page
    assert f"review-{older.id}" in page and f"review-{newer.id}" in page


def test_approving_publishes_counts_indexes_audits_and_emails(client, mail_folder):
    therapist = create_therapist(create_clinic())
    review = pending_review(therapist, rating=5, rating_technique=4)
    moderator = moderator_client(client)
    response = client.post(f"/moderation/reviews/{review.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.state == ReviewState.PUBLISHED and review.published_at is not None
    rating = db.session.get(TherapistRating, therapist.id)
    assert (rating.review_count, rating.rating_sum, rating.count_5) == (1, 5, 1)
    assert (rating.technique_count, rating.technique_sum) == (1, 4)
    document = db.session.get(SearchDocument, therapist.id)
    assert document is not None and document.rating_count == 1
    [entry] = audit_rows()
    assert (entry.action, entry.actor_id, entry.subject_id, entry.clinic_id) == (
        "review.approve",
        moderator.id,
        review.id,
        review.clinic_id,
    )
    assert (entry.before_state, entry.after_state) == ("pending", "published")
    [email] = emails_in(mail_folder)
    assert email["To"] == review.reviewer_email and "now published" in text_of(email)
    # A second approval (a stale tab, another moderator) is a clear conflict.
    again = client.post(f"/moderation/reviews/{review.id}/approve")
    assert again.status_code == 409 and b"published now" in again.data
    assert db.session.get(TherapistRating, therapist.id).review_count == 1


def test_rejecting_emails_the_reason_and_one_appeal_returns_it_marked(client, mail_folder):
    therapist = create_therapist(create_clinic())
    review = pending_review(therapist)
    moderator_client(client)
    no_note = client.post(f"/moderation/reviews/{review.id}/reject", data={"reason": "other"})
    assert no_note.status_code == 422 and b"Explain the decision" in no_note.data
    response = client.post(
        f"/moderation/reviews/{review.id}/reject",
        data={"reason": Reason.PROMOTIONAL.value, "note": "Reads like an advert."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.REJECTED
    [email] = emails_in(mail_folder)
    body = text_of(email)
    assert "Promotional or spam" in body and "Reads like an advert." in body
    link = APPEAL_LINK.search(body).group(1)

    client.post("/sign-out")
    assert b"appeal once" in client.get(link).data
    assert client.post(link, data={"message": ""}).status_code == 422
    sent = client.post(link, data={"message": "I really was there in March."})
    assert sent.status_code == 200 and b"appeal is in the queue" in sent.data
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.state == ReviewState.PENDING and review.is_appeal
    assert review.appealed_at is not None
    assert client.post(link, data={"message": "again"}).status_code == 409

    moderator_client(client)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Appeal" in queue and "I really was there in March." in queue
    client.post(
        f"/moderation/reviews/{review.id}/reject",
        data={"reason": Reason.PROMOTIONAL.value, "note": "Still an advert."},
    )
    final = emails_in(mail_folder)[-1]
    assert APPEAL_LINK.search(text_of(final)) is None and "final" in text_of(final)
    client.post("/sign-out")
    second = client.post(link, data={"message": "Please look a third time."})
    assert second.status_code == 409 and b"already been appealed" in second.data
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.REJECTED
    actions = [entry.action for entry in audit_rows()]
    assert actions == ["review.reject", "review.appeal", "review.reject"]


def test_a_tampered_appeal_link_is_refused(client):
    assert client.get("/reviews/appeal/not-a-token").status_code == 400


def flagged(therapist, source=FlagSource.CLINIC, reason=Reason.NOT_GENUINE):
    review = create_review(therapist, rating=1)
    flag = ReviewFlag(
        clinic_id=review.clinic_id,
        review_id=review.id,
        source=source,
        reason_code=reason,
        note="We have no client by that name.",
    )
    db.session.add(flag)
    db.session.flush()
    return review, flag


def test_upholding_a_flag_unpublishes_the_review_and_dismissing_keeps_it(client, mail_folder):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    kept, dismissed_flag = flagged(therapist)
    removed, upheld_flag = flagged(therapist, FlagSource.PUBLIC, Reason.OFFENSIVE)
    ratings.recompute(therapist.id)
    moderator_client(client)
    page = client.get("/moderation/flags").get_data(as_text=True)
    assert "We have no client by that name." in page and "Offensive or abusive" in page

    assert client.post(f"/moderation/flags/{upheld_flag.id}", data={}).status_code == 422
    response = client.post(
        f"/moderation/flags/{upheld_flag.id}",
        data={"decision": "uphold", "reason": Reason.OFFENSIVE.value},
    )
    assert response.status_code == 302
    response = client.post(f"/moderation/flags/{dismissed_flag.id}", data={"decision": "dismiss"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Review, removed.id).state == ReviewState.REMOVED
    assert db.session.get(Review, kept.id).state == ReviewState.PUBLISHED
    assert db.session.get(ReviewFlag, upheld_flag.id).state == FlagState.UPHELD
    assert db.session.get(ReviewFlag, dismissed_flag.id).state == FlagState.DISMISSED
    assert db.session.get(TherapistRating, therapist.id).review_count == 1
    [email] = emails_in(mail_folder)
    assert email["To"] == removed.reviewer_email and "Offensive or abusive" in text_of(email)
    actions = [entry.action for entry in audit_rows()]
    assert actions == ["review.unpublish", "flag.uphold", "flag.dismiss"]
    again = client.post(f"/moderation/flags/{upheld_flag.id}", data={"decision": "dismiss"})
    assert again.status_code == 409


def test_a_moderator_unpublishes_a_published_review_from_its_page(client, mail_folder):
    therapist = create_therapist(create_clinic())
    review = create_review(therapist, rating=2)
    ratings.recompute(therapist.id)
    moderator_client(client)
    page = client.get(f"/moderation/reviews/{review.id}")
    assert page.status_code == 200 and b"Unpublish" in page.data
    response = client.post(
        f"/moderation/reviews/{review.id}/unpublish",
        data={"reason": Reason.PERSONAL_INFORMATION.value},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Review, review.id).state == ReviewState.REMOVED
    assert db.session.get(TherapistRating, therapist.id).review_count == 0
    assert "Contains personal information" in text_of(emails_in(mail_folder)[0])
    again = client.post(f"/moderation/reviews/{review.id}/unpublish", data={"reason": "offensive"})
    assert again.status_code == 409


def credential(therapist, **fields):
    kind = db.session.scalar(sa.select(CredentialType).limit(1))
    accreditation = Accreditation(
        clinic_id=therapist.clinic_id,
        therapist_id=therapist.id,
        credential_type_id=kind.id,
        issuing_body="College of Massage Therapists of Ontario",
        number=fields.pop("number", "RMT-12345"),
        issued_on=date(2015, 5, 1),
        expires_on=date.today() + timedelta(days=300),
        register_url="https://cmto.example.org/register",
        state=AccreditationState.SUBMITTED,
        submitted_at=fields.pop("submitted_at", utcnow()),
        **fields,
    )
    db.session.add(accreditation)
    db.session.flush()
    return accreditation


def test_credentials_are_verified_or_rejected_with_a_note(client, mail_folder):
    owner = create_user("owner@harbour.example")
    therapist = create_therapist(create_clinic(owner=owner))
    newer = credential(therapist, number="RMT-NEW")
    older = credential(therapist, number="RMT-OLD", submitted_at=utcnow() - timedelta(days=3))
    moderator = moderator_client(client)
    page = client.get("/moderation/accreditations").get_data(as_text=True)
    assert page.index("RMT-OLD") < page.index("RMT-NEW")
    assert "https://cmto.example.org/register" in page
    assert client.post(f"/moderation/accreditations/{older.id}/verify").status_code == 302
    empty = client.post(f"/moderation/accreditations/{newer.id}/reject", data={"note": " "})
    assert empty.status_code == 422 and b"Say what did not match" in empty.data
    response = client.post(
        f"/moderation/accreditations/{newer.id}/reject",
        data={"note": "No such number on the CMTO register."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    older, newer = db.session.get(Accreditation, older.id), db.session.get(Accreditation, newer.id)
    assert (older.state, older.verified_by_id) == (AccreditationState.VERIFIED, moderator.id)
    assert older.verified_at is not None
    assert (newer.state, newer.decision_note) == (
        AccreditationState.REJECTED,
        "No such number on the CMTO register.",
    )
    document = db.session.get(SearchDocument, therapist.id)
    assert document is not None and document.accreditation_verified
    assert client.post(f"/moderation/accreditations/{older.id}/verify").status_code == 409
    assert [e.action for e in audit_rows()] == ["accreditation.verify", "accreditation.reject"]
    verified, rejected = emails_in(mail_folder)
    assert verified["To"] == rejected["To"] == "owner@harbour.example"
    assert "verified it" in text_of(verified)
    assert "No such number on the CMTO register." in text_of(rejected)


def test_the_audit_log_filters_by_action_subject_moderator_and_date(client):
    therapist = create_therapist(create_clinic())
    first, second = pending_review(therapist), pending_review(therapist)
    accreditation = credential(therapist)
    moderator = moderator_client(client)
    client.post(f"/moderation/reviews/{first.id}/approve")
    client.post(f"/moderation/reviews/{second.id}/reject", data={"reason": "off_topic"})
    client.post(f"/moderation/accreditations/{accreditation.id}/verify")

    def listed(**arguments) -> str:
        response = client.get("/moderation/audit", query_string=arguments)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    everything = listed()
    rows = everything.split("<tbody>")[1]
    assert rows.index("accreditation.verify") < rows.index("review.approve")
    assert "3 entries" in everything
    only_rejections = listed(action="review.reject")
    assert "1 entry" in only_rejections and "Off-topic" in only_rejections
    assert "2 entries" in listed(subject_type="review")
    assert "3 entries" in listed(moderator=moderator.email.upper())
    assert "0 entries" in listed(moderator="someone@example.com")
    today = date.today()
    assert "3 entries" in listed(since=today.isoformat(), until=today.isoformat())
    assert "0 entries" in listed(until=(today - timedelta(days=1)).isoformat())
    assert client.get("/moderation/audit", query_string={"since": "soon"}).status_code == 400


def moderation_urls(app) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/moderation"):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{name}>", "1", path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, path))
    return urls


def test_everyone_but_moderators_is_refused_on_every_moderation_route(app, client):
    therapist = create_therapist(create_clinic())
    pending_review(therapist)
    owner = member(therapist.clinic)
    urls = moderation_urls(app)
    assert len(urls) >= 10
    for method, path in urls:
        response = client.open(path, method=method)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], path
    sign_in(client, owner)
    for method, path in urls:
        assert client.open(path, method=method).status_code == 404, (method, path)
    admin = create_user(platform_role="admin")
    db.session.commit()
    client.post("/sign-out")
    sign_in(client, admin)
    assert client.get("/moderation/").status_code == 200
    assert b'href="/moderation/"' in client.get("/").data


def test_the_moderation_link_shows_to_moderators_only(client):
    user = create_user()
    db.session.commit()
    sign_in(client, user)
    assert b'href="/moderation/"' not in client.get("/").data
