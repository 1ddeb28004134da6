"""How the demo's totals are shared out: therapists per clinic and reviews per therapist.

Drawn from its own random stream (derived from the seed), so the plan does not depend on
how much randomness the profile and review text happen to use.  Shares are uneven, as in
life: a few busy clinics and popular therapists, many small ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from directory.demo.therapists import DELETED, DRAFT, PUBLISHED

FOUNDING_TEAM = 5  # John Wintertime and four colleagues
FOUNDER_REVIEWS = 6
STATUS_SHARES = ((PUBLISHED, 0.90), (DRAFT, 0.07), (DELETED, 0.03))


@dataclass(frozen=True)
class Plan:
    clinic_sizes: list[int]  # therapists per clinic, in the order clinics are made
    statuses: list[str]  # per therapist, in the order therapists are made
    review_counts: list[int]  # generated reviews per therapist, same order
    founder_reviews: int  # hand-written reviews of John Wintertime


def allocate(total: int, weights: list[float]) -> list[int]:
    """`total` split into whole shares proportional to `weights` (largest remainder method).

    The shares always add up to `total` when any weight is positive; ties go to the
    earlier index, so the split is deterministic.
    """
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    quotas = [total * weight / weight_sum for weight in weights]
    shares = [int(quota) for quota in quotas]
    missing = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - quotas[i], i))
    for index in by_remainder[:missing]:
        shares[index] += 1
    return shares


def make_plan(clinics: int, therapists: int, reviews: int, seed: int, with_founding: bool) -> Plan:
    """Share `therapists` among `clinics` and `reviews` among the published therapists.

    With the founding clinic (always the first), it gets John Wintertime (the first
    therapist, always published) and up to four colleagues, and John gets up to six
    hand-written reviews out of `reviews`.
    """
    rng = random.Random(f"demo-plan-{seed}")
    sizes: list[int] = []
    remaining_clinics, remaining_therapists = clinics, therapists
    if with_founding:
        # Alone, the founding clinic takes everyone; otherwise a team of its usual size.
        sizes.append(therapists if clinics == 1 else min(FOUNDING_TEAM, therapists))
        remaining_clinics -= 1
        remaining_therapists -= sizes[0]
    weights = [rng.lognormvariate(0.0, 0.7) for _ in range(remaining_clinics)]
    if remaining_therapists >= remaining_clinics:
        sizes += [
            1 + share for share in allocate(remaining_therapists - remaining_clinics, weights)
        ]
    else:
        sizes += allocate(remaining_therapists, weights)

    statuses = [
        rng.choices([s for s, _ in STATUS_SHARES], [w for _, w in STATUS_SHARES])[0]
        for _ in range(therapists)
    ]
    if statuses:
        # The first therapist is published, so the reviews always have somewhere to go.
        statuses[0] = PUBLISHED
    popularity = []
    for clinic_index, size in enumerate(sizes):
        clinic_factor = rng.lognormvariate(0.0, 0.5) * (
            2.0 if with_founding and clinic_index == 0 else 1.0
        )
        popularity += [clinic_factor * rng.lognormvariate(0.0, 1.0) for _ in range(size)]
    review_weights = [
        p if status == PUBLISHED else 0.0 for p, status in zip(popularity, statuses, strict=True)
    ]

    founder_reviews = min(FOUNDER_REVIEWS, reviews) if with_founding and therapists else 0
    if with_founding and therapists:
        review_weights[0] = 0.0 if any(review_weights[1:]) else 1.0
    return Plan(
        sizes, statuses, allocate(reviews - founder_reviews, review_weights), founder_reviews
    )
