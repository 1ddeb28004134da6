"""Review titles and bodies composed from fragments, so a million reviews do not repeat.

A body is one sentence to several paragraphs.  Its tone follows the rating, and it talks
about what clients talk about: why they came (the condition), the modality, the pressure,
the room, booking, and what changed afterwards.  Placeholders: {first} (the therapist's
first name), {he} {He} {his} {His} {him}, {modality}, {condition}, {area}, {clinic}, {city}.
"""

from __future__ import annotations

import random

BODY_MIN, BODY_MAX = 40, 5000

SHORT = {
    "positive": (
        "Great {modality} with {first}; my {area} feels so much better.",
        "{first} knew exactly where the problem was. Booked again already.",
        "Best massage I've had in {city}, and I've tried a few.",
        "Really skilled, listened to what I needed, and my {condition} has eased off a lot.",
        "Professional, punctual and very effective for my {condition}.",
        "Calm clinic, friendly front desk and a therapist who clearly knows anatomy.",
    ),
    "mixed": (
        "Good massage, but the session started late and still finished on time.",
        "Decent {modality}, though I expected more focus on my {area}.",
        "Fine overall; the pressure was lighter than I asked for.",
    ),
    "negative": (
        "Far too rough, and I was sore for days afterwards. Not for me.",
        "The session felt rushed and didn't touch my {condition} at all.",
        "Booked for {condition}; got a generic massage instead. Disappointed.",
    ),
}
OPENERS = {
    "positive": (
        "I booked with {first} after weeks of {condition} that wasn't getting better on its own.",
        "I'd been putting off booking for months, and I wish I hadn't waited.",
        "A colleague recommended {first} for {condition} and I'm glad I listened.",
        "I came to {clinic} for {condition} after my physio suggested massage alongside my "
        "exercises.",
        "This was my third visit with {first} and the results keep getting better.",
        "I found {first} on this site while looking for someone in {city} who does {modality}.",
        "I work long hours at a laptop and my {area} had been complaining for a while.",
        "After a long-haul flight my {area} was in bad shape, so I booked the next morning.",
    ),
    "mixed": (
        "I went to {clinic} for {condition} on a friend's recommendation.",
        "I booked a {modality} session with {first} to deal with my {condition}.",
        "I've had a lot of massage over the years, so my expectations were fairly specific.",
    ),
    "negative": (
        "I booked with {first} for {condition} based on the reviews here.",
        "I was really looking forward to this after a hard month.",
        "I've been to {clinic} before with another therapist, so this was a surprise.",
    ),
}
CONTEXT = (
    "It had got to the point where it was waking me up at night.",
    "Stretching and a new chair had helped a little, but not enough.",
    "I'm training for a half marathon, so I needed something that would keep me running.",
    "My doctor had ruled out anything serious and suggested I try massage.",
    "I carry a toddler around most of the day, which doesn't help.",
)
ASSESSMENT = (
    "{He} started by asking where it hurt, what I do for work and what I'd already tried.",
    "Before we started, {first} checked my posture and range of movement and explained the plan.",
    "{He} asked about my health history and told me what {he} wanted to focus on before I got on "
    "the table.",
    "The intake form was short and {first} actually read it, which is rarer than it should be.",
)
PRESSURE = {
    "positive": (
        "The pressure was firm but never too much, and {he} checked in regularly.",
        "I asked for deeper pressure halfway through and {he} adjusted straight away.",
        "{He} worked deep where I needed it and eased off around the sensitive spots.",
        "Pressure was spot on: strong enough to make a difference without me tensing up.",
    ),
    "mixed": (
        "The pressure was lighter than I'd asked for, even after I mentioned it.",
        "Some parts were great, others felt a bit routine.",
    ),
    "negative": (
        "The pressure was far too hard even after I asked twice to ease off.",
        "It felt like a generic routine rather than anything aimed at my {condition}.",
    ),
}
ENVIRONMENT = {
    "positive": (
        "The clinic is clean and quiet, with a small waiting area and fresh linens.",
        "The room was warm, the table comfortable and the music low.",
        "{clinic} is easy to find, and the space is calm and spotless.",
        "There's tea in the waiting room and nobody rushes you in or out.",
    ),
    "mixed": (
        "The room was a bit cold and there was noise from the street.",
        "The waiting area is tiny, so expect to stand if you arrive early.",
    ),
    "negative": (
        "The room wasn't very clean and the towels felt damp.",
        "You could hear every word from the next room.",
    ),
}
BOOKING = {
    "positive": (
        "Booking online took two minutes and I got an appointment the same week.",
        "I booked by phone and the front desk was friendly and efficient.",
        "Reminders came by email the day before, and the session started on time.",
        "Getting an evening slot can take a week or two, but it's worth the wait.",
    ),
    "mixed": (
        "Booking was confusing: the online calendar showed slots that weren't actually free.",
        "The session started fifteen minutes late and still ended on the hour.",
    ),
    "negative": (
        "I arrived on time but waited twenty minutes, and the session was cut short without a "
        "discount.",
        "I emailed the clinic about it afterwards and never heard back.",
    ),
}
RESULTS = {
    "positive": (
        "I slept better that night than I had in weeks.",
        "I left with a couple of simple stretches to do at my desk, and they've helped keep "
        "things loose.",
        "The difference in my {area} was obvious by the next morning.",
        "Two sessions in, my {condition} is the best it has been this year.",
    ),
    "mixed": (
        "My {area} felt better for a day or two, then the stiffness came back.",
        "I can't say my {condition} is much different, but it was relaxing.",
    ),
    "negative": (
        "My {area} felt no better afterwards, and honestly a bit worse the next day.",
        "I was sore for three days and my {condition} was unchanged.",
    ),
}
FOLLOW_UP = (
    "I've now been back {visits} times, roughly every three weeks.",
    "I'm now going once a month to keep things from building up again.",
    "{first} suggested spacing the next visits out as things improved, which I appreciated: no "
    "upselling.",
)
CLOSERS = {
    "positive": (
        "I've already booked my next appointment.",
        "Highly recommended.",
        "I'd recommend {first} to anyone dealing with {condition}.",
        "Thank you, {first}!",
        "Worth every penny.",
    ),
    "mixed": (
        "I'd probably go back, but I'd ask for more focus on my {area} next time.",
        "Not bad, just not quite what I was hoping for.",
    ),
    "negative": (
        "I won't be booking again.",
        "Hopefully this was an off day, but I won't be back to find out.",
    ),
}
# What the modality itself felt like, told by a happy client.
MODALITY_DETAILS = {
    "thai": (
        "It was done on a mat, fully clothed, with stretches I didn't know my body could do.",
        "{first} used palms, thumbs and even feet along my legs and back, and the final twist was "
        "the best part.",
    ),
    "trigger-point": (
        "{first} found the exact spots in my {area} that were sending pain elsewhere and held "
        "them until they let go.",
        "The trigger point work was intense for a few seconds at a time, then the whole area "
        "softened.",
    ),
    "deep-tissue": (
        "It was proper deep tissue work: slow, firm and focused on the layers that were actually "
        "stuck.",
    ),
    "swedish": ("The long, flowing strokes were exactly what I needed to switch off.",),
    "sports": (
        "{He} worked through my calves, hamstrings and IT band and explained what each area does "
        "when I run.",
    ),
    "prenatal": (
        "I was thirty weeks pregnant and {first} set me up side-lying with pillows, which was so "
        "comfortable.",
    ),
    "myofascial-release": (
        "The myofascial release felt gentle at first, but my {area} moved completely differently "
        "afterwards.",
    ),
    "hot-stone": (
        "The warm stones melted the tension in my back before {he} even started with {his} hands.",
    ),
    "shiatsu": (
        "Fully clothed on a futon, with steady pressure along the meridians; very grounding.",
    ),
    "reflexology": (
        "I was sceptical about reflexology, but I was so relaxed I nearly fell asleep.",
    ),
    "lymphatic-drainage": (
        "The lymphatic drainage was much lighter than I expected, and the swelling went down "
        "noticeably.",
    ),
    "acupressure": (
        "The acupressure points at the base of my skull made my headache fade within minutes.",
    ),
    "craniosacral": (
        "The craniosacral work is very subtle, but my jaw and neck felt looser afterwards.",
    ),
    "cupping": (
        "The cupping left a few marks that faded in a couple of days, and my shoulders felt free.",
    ),
}
GENERIC_DETAIL = ("{He} combined {modality} with some stretching at the end.",)
TITLES = {
    "positive": (
        "Finally some relief for my {area}",
        "Best {modality} I've had in {city}",
        "Knows exactly where the knots are",
        "Excellent, thorough and professional",
        "Worth the wait",
        "Great first visit",
        "Found my regular therapist",
        "Skilled and attentive",
        "A life-saver for desk workers",
        "Highly recommend {first}",
    ),
    "mixed": (
        "Good massage, disorganised booking",
        "Decent but not life-changing",
        "Skilled therapist, rushed session",
        "Okay, not great",
    ),
    "negative": (
        "Disappointing",
        "Too rough for me",
        "Felt rushed",
        "Not worth the price",
        "Would not return",
    ),
}
LENGTHS = ("short", "medium", "long", "very_long")
LENGTH_WEIGHTS = (22, 45, 23, 10)


def sentiment_of(rating: int) -> str:
    return "positive" if rating >= 4 else "mixed" if rating == 3 else "negative"


class SentencePicker:
    """Draws sentences for one review, never the same sentence twice."""

    __slots__ = ("rng", "used")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, pool: tuple[str, ...]) -> str:
        fresh = [sentence for sentence in pool if sentence not in self.used] or pool
        sentence = self.rng.choice(fresh)
        self.used.add(sentence)
        return sentence


def compose_review(
    rng: random.Random, rating: int, modality_slug: str, words: dict
) -> tuple[str, str]:
    """A title and a body (40..5000 characters) in the tone of `rating`."""
    tone = sentiment_of(rating)
    length = rng.choices(LENGTHS, LENGTH_WEIGHTS)[0]
    pick = SentencePicker(rng)
    if tone == "positive":
        details = MODALITY_DETAILS.get(modality_slug, GENERIC_DETAIL)
    else:
        details = PRESSURE[tone]
    if length == "short":
        paragraphs = [[pick(SHORT[tone])]]
    elif length == "medium":
        pools = (ASSESSMENT, details, PRESSURE[tone], ENVIRONMENT[tone], BOOKING[tone])
        middle = [pick(pool) for pool in rng.sample(pools, rng.randint(1, 3))]
        paragraphs = [[pick(OPENERS[tone]), *middle, pick(RESULTS[tone])]]
        if rng.random() < 0.5:
            paragraphs[0].append(pick(CLOSERS[tone]))
    else:
        paragraphs = [
            [pick(OPENERS[tone]), pick(CONTEXT)],
            [pick(ASSESSMENT), pick(details), pick(PRESSURE[tone])],
            [pick(RESULTS[tone]), pick(BOOKING[tone]), pick(CLOSERS[tone])],
        ]
        if length == "very_long":
            paragraphs[1].append(pick(ENVIRONMENT[tone]))
            paragraphs.insert(2, [pick(ENVIRONMENT[tone]), pick(BOOKING[tone])])
            if tone == "positive":
                visits = str(rng.randint(3, 9))
                paragraphs[-1].insert(1, pick(FOLLOW_UP).replace("{visits}", visits))
    body = "\n\n".join(" ".join(dict.fromkeys(p)) for p in paragraphs).format_map(words)
    if len(body) < BODY_MIN:
        body = f"{body} {pick(CLOSERS[tone]).format_map(words)}"
    title = rng.choice(TITLES[tone]).format_map(words)
    return title[:120], body[:BODY_MAX]
