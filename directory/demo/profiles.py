"""Therapist profiles: what they practise and treat, and the words on their page.

Modalities are drawn around the clinic's focus and conditions from what those modalities
are used for, so a trigger point therapist treats neck pain and tension headaches and a
prenatal therapist treats pregnancy aches, never the other way round.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from string import Formatter

from directory.demo.people import CULTURES, Person
from directory.demo.reference import PlacedCity, Reference

# Primary modality weights for each kind of clinic (see clinics.py for the kinds).
FOCUS_PRIMARY: dict[str, tuple[tuple[str, int], ...]] = {
    "thai": (
        ("thai", 70),
        ("acupressure", 8),
        ("reflexology", 8),
        ("deep-tissue", 7),
        ("hot-stone", 7),
    ),
    "sports": (
        ("sports", 45),
        ("deep-tissue", 25),
        ("trigger-point", 15),
        ("myofascial-release", 10),
        ("cupping", 5),
    ),
    "rehab": (
        ("deep-tissue", 25),
        ("trigger-point", 25),
        ("myofascial-release", 20),
        ("sports", 10),
        ("lymphatic-drainage", 10),
        ("craniosacral", 10),
    ),
    "wellness": (
        ("swedish", 35),
        ("hot-stone", 15),
        ("prenatal", 10),
        ("reflexology", 10),
        ("shiatsu", 10),
        ("acupressure", 10),
        ("craniosacral", 5),
        ("lymphatic-drainage", 5),
    ),
    "general": (
        ("swedish", 20),
        ("deep-tissue", 25),
        ("trigger-point", 12),
        ("sports", 10),
        ("prenatal", 8),
        ("myofascial-release", 8),
        ("hot-stone", 5),
        ("cupping", 5),
        ("thai", 4),
        ("shiatsu", 3),
    ),
}

CONTRAINDICATIONS = (
    "fever, flu or any contagious illness (please reschedule)",
    "undiagnosed severe pain (please see your doctor first)",
    "acute injuries in the first 48 hours",
    "recent blood clots or deep vein thrombosis",
    "open wounds, burns or skin infections in the treatment area",
    "recent surgery without your surgeon's written clearance",
)
FIRST_TRIMESTER = "pregnancy in the first trimester"

SCHOOLS: dict[str, tuple[str, ...]] = {
    "CA": (
        "Sutherland-Chan School",
        "the West Coast College of Massage Therapy",
        "the Canadian College of Massage and Hydrotherapy",
        "Algonquin College",
        "CDI College",
    ),
    "US": (
        "the Swedish Institute",
        "the Cortiva Institute",
        "the National Holistic Institute",
        "the Lakeside School of Massage Therapy",
        "Northwestern Health Sciences University",
    ),
    "GB": (
        "the London School of Massage",
        "the Northern Institute of Massage",
        "the Jing Institute",
    ),
    "TH": (
        "Wat Pho Thai Traditional Medical School",
        "the Old Medicine Hospital in Chiang Mai",
        "the Chetawan Thai Traditional Medical School",
    ),
}
GENERIC_SCHOOLS = (
    "a two-year massage therapy diploma programme",
    "a remedial massage diploma course",
)

PRIOR_JOBS = (
    "nurse",
    "personal trainer",
    "dancer",
    "primary school teacher",
    "software developer",
    "chef",
    "physiotherapy assistant",
    "yoga teacher",
    "paramedic",
    "graphic designer",
)
HOBBIES = (
    "runs trail races",
    "teaches a weekly yoga class",
    "swims in the sea all year round",
    "coaches a youth football team",
    "is slowly learning to play the cello",
    "climbs indoors",
    "grows far too many tomatoes",
    "cycles to work in every season",
    "practises tai chi",
)

INTROS = (
    "{first} is a {title_lower} with {years} years of experience.",
    "{first} has been practising massage therapy in {city} since {since}.",
    "After {prior_years} years as a {prior_job}, {first} retrained as a massage therapist in "
    "{since}.",
    "{first} has worked as a massage therapist for {years} years, the last few at {clinic}.",
)
TRAINING = (
    "{He} trained at {school} and takes continuing education courses every year.",
    "{He} completed {his} training at {school}, later adding courses in {m2}.",
    "{He} studied at {school} and has assisted in teaching there since.",
)
CLIENTS = (
    "Many of {his} clients are {clientele} dealing with {c1}.",
    "{He} sees a lot of {c1} and {c2}, and gives each client a simple plan to keep things moving "
    "between visits.",
    "Clients come to {him} mostly for {c1}, and often stay for {c2}.",
)
APPROACHES = (
    "{His} sessions usually combine {m1} with {m2}, adjusted to how the body feels that day.",
    "{He} likes to explain what {he} finds while working, so clients understand their own bodies.",
    "{He} works mostly with {m1}, building pressure gradually and checking in often.",
)
PRACTICAL = (
    "First visits include a short assessment, so please allow an extra ten minutes.",
    "{He} offers {minutes}- and 90-minute sessions, with evening appointments on weekdays.",
    "Expect questions about your work, sleep and training before {he} starts: it shapes the "
    "session.",
)
HEADLINES = (
    "{title} · {m1} and {m2}",
    "{M1} for {c1} and {c2}",
    "{title} focused on {c1}",
    "{M1}, {m2} and stretching for {clientele}",
    "{years} years of {m1} · {c1}, {c2}",
    "Helping {clientele} with {c1}",
    "{M1} and {m2} in {hood}",
)

SESSION_MINUTES = (60, 60, 60, 60, 60, 60, 90, 90, 90, 45, 75, 120)


@dataclass(frozen=True)
class Profile:
    headline: str
    bio: str
    does_not_treat: str
    modalities: tuple[str, ...]  # slugs, the primary first
    conditions: tuple[str, ...]  # slugs, the main one first
    languages: tuple[str, ...]  # ISO codes
    years_experience: int
    price_min: int | None
    price_max: int | None
    session_minutes: int


@cache
def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name)


def pick(rng: random.Random, templates: tuple[str, ...], words: dict) -> str:
    """A template whose placeholders this profile can all fill ("and {m2}" needs a second
    modality), so no sentence ever falls back to filler."""
    usable = [t for t in templates if placeholders(t) <= words.keys()]
    return rng.choice(usable)


def pronouns(is_female: bool) -> dict[str, str]:
    if is_female:
        return {"he": "she", "He": "She", "his": "her", "His": "Her", "him": "her"}
    return {"he": "he", "He": "He", "his": "his", "His": "His", "him": "him"}


def choose_modalities(rng: random.Random, focus: str, ref: Reference) -> tuple[str, ...]:
    """One to four modality slugs that belong together, the primary first."""
    weighted = [(slug, w) for slug, w in FOCUS_PRIMARY[focus] if slug in ref.modality_ids]
    if weighted:
        primary = rng.choices([s for s, _ in weighted], [w for _, w in weighted])[0]
    else:
        primary = rng.choice(sorted(ref.modality_ids))
    chosen = [primary]
    wanted = rng.choices((1, 2, 3, 4), (22, 40, 27, 11))[0]
    companions = [s for s in ref.modality_terms[primary].companions if s in ref.modality_ids]
    while len(chosen) < wanted and companions:
        chosen.append(companions.pop(rng.randrange(len(companions))))
    return tuple(chosen)


def choose_conditions(
    rng: random.Random, modalities: tuple[str, ...], ref: Reference
) -> tuple[str, ...]:
    """One to four condition slugs that the modalities are used for."""
    weights: dict[str, float] = {}
    for rank, modality in enumerate(modalities):
        for position, slug in enumerate(ref.modality_terms[modality].conditions):
            if slug in ref.condition_ids:
                weights[slug] = weights.get(slug, 0.0) + (3.0 if rank == 0 else 1.0) / (
                    1 + position
                )
    if not weights:
        weights = {slug: 1.0 for slug in ref.condition_ids}
    wanted = min(len(weights), rng.choices((1, 2, 3, 4), (15, 35, 32, 18))[0])
    pool = sorted(weights)
    chosen = []
    while len(chosen) < wanted:
        pick = rng.choices(pool, [weights[s] for s in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    return tuple(chosen)


def choose_languages(
    rng: random.Random, city: PlacedCity, person: Person, ref: Reference
) -> tuple[str, ...]:
    """The city's language, often English too, and sometimes a second or heritage language."""
    codes = [city.demo.language]
    heritage = CULTURES[person.culture].languages
    if heritage and rng.random() < 0.55:
        codes.append(rng.choice(heritage))
    if "en" not in codes and rng.random() < 0.7:
        codes.append("en")
    if city.demo.community_languages and rng.random() < 0.15:
        codes.append(rng.choice(city.demo.community_languages))
    unique = [
        code for i, code in enumerate(codes) if code in ref.languages and code not in codes[:i]
    ]
    return tuple(unique[:3]) or (next(iter(sorted(ref.languages))),)


def prices(rng: random.Random, city: PlacedCity) -> tuple[int | None, int | None]:
    """A 60-minute price and a longer session's price, rounded as clinics round them."""
    if rng.random() < 0.05:
        return None, None
    style = city.demo.style
    low, high = style.price_band
    step = style.price_step
    price_min = round(rng.uniform(low, high) / step) * step
    price_max = round(price_min * rng.uniform(1.3, 1.7) / step) * step
    return price_min, price_max


def does_not_treat(rng: random.Random, modalities: tuple[str, ...]) -> str:
    """A contraindication note on about a third of profiles, empty on the rest."""
    if rng.random() > 0.33:
        return ""
    options = list(CONTRAINDICATIONS)
    if "prenatal" not in modalities:
        options.append(FIRST_TRIMESTER)
    items = rng.sample(options, rng.choice((1, 1, 2, 2, 3)))
    text = "; ".join(items)
    return text[0].upper() + text[1:] + "."


def build_profile(
    rng: random.Random,
    person: Person,
    city: PlacedCity,
    clinic_name: str,
    hood: str,
    focus: str,
    anchor_year: int,
    ref: Reference,
) -> Profile:
    """A complete, self-consistent profile for one therapist."""
    modalities = choose_modalities(rng, focus, ref)
    conditions = choose_conditions(rng, modalities, ref)
    languages = choose_languages(rng, city, person, ref)
    years = min(40, 1 + int(rng.gammavariate(2.0, 4.0)))
    price_min, price_max = prices(rng, city)
    minutes = rng.choice(SESSION_MINUTES)
    m_terms = [ref.modality_terms[s] for s in modalities]
    c_terms = [ref.condition_terms[s] for s in conditions]
    words = {
        **pronouns(person.is_female),
        "first": person.first,
        "title": city.demo.style.therapist_title,
        "title_lower": city.demo.style.therapist_title.lower(),
        "years": years,
        "since": anchor_year - years,
        "prior_years": rng.randint(3, 12),
        "prior_job": rng.choice(PRIOR_JOBS),
        "city": city.demo.name,
        "clinic": clinic_name,
        "hood": hood,
        "school": rng.choice(SCHOOLS.get(city.demo.country, GENERIC_SCHOOLS)),
        "m1": m_terms[0].phrase,
        "M1": m_terms[0].phrase[0].upper() + m_terms[0].phrase[1:],
        "c1": c_terms[0].phrase,
        "clientele": c_terms[0].clientele,
        "minutes": 60 if minutes == 90 else minutes,
    }
    if len(m_terms) > 1:
        words["m2"] = m_terms[1].phrase
    if len(c_terms) > 1:
        words["c2"] = c_terms[1].phrase
    approach = m_terms[0].approach if rng.random() < 0.6 else pick(rng, APPROACHES, words)
    sentences = [pick(rng, INTROS, words), pick(rng, TRAINING, words), approach]
    sentences.append(pick(rng, CLIENTS, words))
    if rng.random() < 0.4:
        sentences.append("Outside the clinic {first} " + rng.choice(HOBBIES) + ".")
    if len(languages) > 1:
        names = [ref.languages[code] for code in languages]
        sentences.append(
            "Sessions are available in " + " and ".join((", ".join(names[:-1]), names[-1])) + "."
        )
    if rng.random() < 0.5:
        sentences.append(rng.choice(PRACTICAL))
    return Profile(
        headline=pick(rng, HEADLINES, words).format_map(words)[:160],
        bio=" ".join(sentences).format_map(words),
        does_not_treat=does_not_treat(rng, modalities),
        modalities=modalities,
        conditions=conditions,
        languages=languages,
        years_experience=years,
        price_min=price_min,
        price_max=price_max,
        session_minutes=minutes,
    )
