"""How the field talks about modalities and conditions, keyed by the taxonomy tables' slugs.

The ids always come from the database; this module only knows slugs, so a modality or
condition added to the taxonomy later still works (it falls back to its own name and fits
every condition) and one that is removed is simply never chosen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModalityTerms:
    phrase: str  # as a client would say it: "trigger point work"
    # Condition slugs this modality is used for, the most typical first.
    conditions: tuple[str, ...]
    # Modalities therapists often offer alongside this one.
    companions: tuple[str, ...]
    # One bio sentence about how the therapist uses it ({he}, {his}: the therapist's pronouns).
    approach: str


@dataclass(frozen=True)
class ConditionTerms:
    phrase: str  # "my {phrase}" must read naturally
    area: str  # the part of the body a client would name
    clientele: str  # who typically comes with it


POSTURE = "posture-strain-from-prolonged-sitting"

MODALITIES: dict[str, ModalityTerms] = {
    "swedish": ModalityTerms(
        "Swedish massage",
        ("stress", "neck-pain", "lower-back-pain", "tension-headaches", "fibromyalgia"),
        ("hot-stone", "prenatal", "deep-tissue", "reflexology"),
        "{His} Swedish massage uses long, flowing strokes at a pressure that lets the nervous "
        "system settle, which suits first-timers and anyone running on too little sleep.",
    ),
    "deep-tissue": ModalityTerms(
        "deep tissue massage",
        (
            "upper-back-pain",
            "lower-back-pain",
            "neck-pain",
            POSTURE,
            "sciatica",
            "shoulder-pain",
            "sports-injuries",
        ),
        ("trigger-point", "myofascial-release", "sports", "cupping"),
        "{He} works slowly and deliberately in deep tissue sessions, building pressure only as "
        "far as the muscle allows rather than forcing it.",
    ),
    "trigger-point": ModalityTerms(
        "trigger point work",
        (
            "upper-back-pain",
            "neck-pain",
            "tension-headaches",
            "shoulder-pain",
            POSTURE,
            "jaw-pain-tmj",
        ),
        ("deep-tissue", "myofascial-release", "thai", "cupping"),
        "{He} pays close attention to trigger points, the tight spots that refer pain from the "
        "shoulders into the head or from the hip down the leg.",
    ),
    "thai": ModalityTerms(
        "Thai massage",
        ("lower-back-pain", "upper-back-pain", POSTURE, "stress", "sports-injuries"),
        ("acupressure", "trigger-point", "reflexology", "deep-tissue", "hot-stone"),
        "{His} Thai massage is done on a mat and fully clothed, combining rhythmic palm and thumb "
        "pressure along the sen lines with assisted stretches.",
    ),
    "sports": ModalityTerms(
        "sports massage",
        ("sports-injuries", "plantar-fasciitis", "shoulder-pain", "lower-back-pain", "sciatica"),
        ("deep-tissue", "trigger-point", "cupping", "myofascial-release"),
        "{He} plans sports massage around the client's training, with lighter pre-event work and "
        "deeper recovery sessions after long runs or matches.",
    ),
    "prenatal": ModalityTerms(
        "prenatal massage",
        ("pregnancy-discomfort", "lower-back-pain", "stress", "sciatica"),
        ("swedish", "lymphatic-drainage", "reflexology"),
        "For prenatal clients {he} works side-lying with plenty of pillows and avoids deep "
        "pressure on the legs.",
    ),
    "myofascial-release": ModalityTerms(
        "myofascial release",
        (
            POSTURE,
            "upper-back-pain",
            "shoulder-pain",
            "fibromyalgia",
            "plantar-fasciitis",
            "sciatica",
        ),
        ("deep-tissue", "trigger-point", "craniosacral"),
        "{He} uses myofascial release, slow sustained stretches of the fascia, where restriction "
        "rather than a single knot is the problem.",
    ),
    "hot-stone": ModalityTerms(
        "hot stone massage",
        ("stress", "fibromyalgia", "lower-back-pain"),
        ("swedish", "thai", "reflexology"),
        "{His} hot stone sessions use warmed basalt stones to loosen the muscles before lighter "
        "hands-on work.",
    ),
    "shiatsu": ModalityTerms(
        "shiatsu",
        ("stress", "tension-headaches", "neck-pain"),
        ("acupressure", "reflexology", "thai"),
        "{His} shiatsu is given fully clothed on a futon, with finger and palm pressure along "
        "the meridians.",
    ),
    "reflexology": ModalityTerms(
        "reflexology",
        ("stress", "plantar-fasciitis"),
        ("swedish", "shiatsu", "acupressure"),
        "{He} offers reflexology on its own or as a gentle end to a longer session.",
    ),
    "lymphatic-drainage": ModalityTerms(
        "lymphatic drainage",
        ("post-surgical-swelling", "fibromyalgia", "pregnancy-discomfort"),
        ("swedish", "prenatal", "craniosacral"),
        "{He} is trained in manual lymphatic drainage and works with clients recovering from "
        "surgery once their surgeon has cleared them.",
    ),
    "acupressure": ModalityTerms(
        "acupressure",
        ("tension-headaches", "stress", "neck-pain"),
        ("shiatsu", "thai", "reflexology"),
        "{He} often finishes with acupressure points for the head and neck.",
    ),
    "craniosacral": ModalityTerms(
        "craniosacral therapy",
        ("tension-headaches", "jaw-pain-tmj", "stress"),
        ("myofascial-release", "lymphatic-drainage", "swedish"),
        "{His} craniosacral work is very light touch around the skull, neck and pelvis.",
    ),
    "cupping": ModalityTerms(
        "cupping",
        ("upper-back-pain", "sports-injuries", "shoulder-pain", "neck-pain"),
        ("deep-tissue", "sports", "trigger-point"),
        "{He} uses silicone and glass cups to lift tight tissue across the back and shoulders.",
    ),
}

CONDITIONS: dict[str, ConditionTerms] = {
    "upper-back-pain": ConditionTerms(
        "upper back pain", "upper back", "desk workers and new parents"
    ),
    "lower-back-pain": ConditionTerms(
        "lower back pain", "lower back", "people who lift, drive or sit for a living"
    ),
    "neck-pain": ConditionTerms(
        "neck pain", "neck", "people who spend their day looking at screens"
    ),
    "sciatica": ConditionTerms("sciatica", "hip and leg", "people with nerve pain down one leg"),
    "tension-headaches": ConditionTerms(
        "tension headaches", "neck and shoulders", "people with stress-related headaches"
    ),
    POSTURE: ConditionTerms(
        "posture strain from sitting all day",
        "shoulders and upper back",
        "office and remote workers",
    ),
    "sports-injuries": ConditionTerms(
        "sports injuries", "legs", "runners, climbers and weekend athletes"
    ),
    "stress": ConditionTerms("stress", "shoulders", "busy professionals and shift workers"),
    "shoulder-pain": ConditionTerms(
        "shoulder pain", "shoulder", "swimmers, climbers and anyone with a stiff shoulder"
    ),
    "jaw-pain-tmj": ConditionTerms("jaw pain", "jaw", "people who clench or grind their teeth"),
    "fibromyalgia": ConditionTerms("fibromyalgia", "whole body", "people living with chronic pain"),
    "plantar-fasciitis": ConditionTerms(
        "plantar fasciitis", "feet", "runners and people on their feet all day"
    ),
    "post-surgical-swelling": ConditionTerms(
        "swelling after surgery", "knee", "clients recovering from surgery"
    ),
    "pregnancy-discomfort": ConditionTerms(
        "pregnancy aches", "lower back and hips", "parents-to-be"
    ),
}


def modality_terms(slug: str, name: str) -> ModalityTerms:
    """The terms for a modality; one the demo does not know reads as its own name."""
    known = MODALITIES.get(slug)
    if known is not None:
        return known
    return ModalityTerms(
        f"{name.lower()} massage",
        tuple(CONDITIONS),
        (),
        f"{{He}} also offers {name.lower()} massage.",
    )


def condition_terms(slug: str, name: str) -> ConditionTerms:
    known = CONDITIONS.get(slug)
    if known is not None:
        return known
    return ConditionTerms(name.lower(), "back", f"people with {name.lower()}")
