"""Every domain's models, imported in one place so the metadata is complete.

Alembic's autogenerate and `create_app` rely on this; nothing else should import it.
"""

from directory.accounts.models import User
from directory.clinics.models import Clinic, Membership, TeamInvitation
from directory.core.mail import SentEmail
from directory.core.outbox import OutboxMessage
from directory.moderation.models import AuditEntry
from directory.photos.models import Photo, PhotoReport
from directory.places.models import City
from directory.reviews.models import (
    ClinicReply,
    HelpfulVote,
    Review,
    ReviewDigestItem,
    ReviewFlag,
    ReviewInvitation,
    TherapistRating,
)
from directory.search.models import SearchDocument
from directory.taxonomy.models import Condition, CredentialType, Language, Modality
from directory.therapists.models import (
    Accreditation,
    Therapist,
    TherapistCondition,
    TherapistDailyViews,
    TherapistLanguage,
    TherapistModality,
)

__all__ = [
    "Accreditation",
    "AuditEntry",
    "City",
    "Clinic",
    "ClinicReply",
    "Condition",
    "CredentialType",
    "HelpfulVote",
    "Language",
    "Membership",
    "Modality",
    "OutboxMessage",
    "Photo",
    "PhotoReport",
    "Review",
    "ReviewDigestItem",
    "ReviewFlag",
    "ReviewInvitation",
    "SearchDocument",
    "SentEmail",
    "TeamInvitation",
    "Therapist",
    "TherapistCondition",
    "TherapistDailyViews",
    "TherapistLanguage",
    "TherapistModality",
    "TherapistRating",
    "User",
]
