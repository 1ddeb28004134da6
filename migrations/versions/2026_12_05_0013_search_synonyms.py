"""search synonyms: phrases clients use for the same thing, applied to every search

Revision ID: 0013_search_synonyms
Revises: 0012_photos
Create Date: 2026-12-05 09:00:00

Reference data, reviewed by hand and frozen here as it was when this migration was made
(a later change is a new migration).  Each pair works both ways, and pairs that share a
phrase make one group (directory/search/synonyms.py): "pregnant" finds a prenatal
therapist, "sore back" one who treats back pain, "RMT" a registered massage therapist.
A phrase matches when all its words do, anywhere, so none is a word found everywhere
("relaxing massage" would be "relaxing"), and none holds a stop word: PostgreSQL would
drop it and SQLite would require it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_search_synonyms"
down_revision = "0012_photos"
branch_labels = None
depends_on = None

PAIRS = [
    # Pregnancy and after.
    ("pregnancy", "prenatal"),
    ("pregnant", "prenatal"),
    ("maternity", "prenatal"),
    ("antenatal", "prenatal"),
    ("postnatal", "postpartum"),
    # Backs.
    ("sore back", "back pain"),
    ("backache", "back pain"),
    ("back ache", "back pain"),
    ("lumbago", "lower back pain"),
    ("lumbar pain", "lower back pain"),
    ("rhomboid pain", "upper back pain"),
    # Necks.
    ("stiff neck", "neck pain"),
    ("sore neck", "neck pain"),
    ("neck ache", "neck pain"),
    ("tech neck", "neck pain"),
    ("text neck", "neck pain"),
    ("whiplash", "neck pain"),
    # Shoulders, jaws, heads.
    ("frozen shoulder", "shoulder pain"),
    ("stiff shoulder", "shoulder pain"),
    ("sore shoulder", "shoulder pain"),
    ("tmj", "jaw pain"),
    ("tmd", "jaw pain"),
    ("teeth grinding", "jaw pain"),
    ("bruxism", "jaw pain"),
    ("sciatic", "sciatica"),
    ("fibro", "fibromyalgia"),
    ("heel pain", "plantar fasciitis"),
    # Credentials and what therapists are called.
    ("rmt", "registered massage therapist"),
    ("lmt", "licensed massage therapist"),
    ("cmt", "certified massage therapist"),
    ("masseuse", "massage therapist"),
    ("masseur", "massage therapist"),
    # Kinds of massage.
    ("stone massage", "hot stone"),
    ("nuad boran", "thai"),
    ("muscle knots", "trigger point"),
    ("knots", "trigger point"),
    ("mfr", "myofascial release"),
    ("fascia", "myofascial"),
    ("lymph drainage", "lymphatic drainage"),
    ("mld", "lymphatic drainage"),
    ("cranial sacral", "craniosacral"),
    ("cranio sacral", "craniosacral"),
    ("cst", "craniosacral"),
    ("foot massage", "reflexology"),
    ("fire cupping", "cupping"),
    ("athlete", "sports"),
    ("athletic", "sports"),
    # What brings people in.
    ("anxiety", "stress"),
    ("burnout", "stress"),
    ("desk job", "posture strain"),
    ("office worker", "posture strain"),
    ("post op", "post surgical"),
    ("postoperative", "post surgical"),
    ("edema", "swelling"),
    ("oedema", "swelling"),
]


def upgrade():
    synonyms = op.create_table(
        "search_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=80), nullable=False),
        sa.Column("means", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonyms")),
        sa.UniqueConstraint("phrase", "means", name=op.f("uq_search_synonyms_phrase_means")),
    )
    op.bulk_insert(synonyms, [{"phrase": phrase, "means": means} for phrase, means in PAIRS])


def downgrade():
    op.drop_table("search_synonyms")
