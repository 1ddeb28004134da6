"""Demo data: the interface the CLI uses (the generator lands in the next commit)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_PASSWORD = "demo-password-1"


@dataclass(frozen=True)
class DemoSize:
    clinics: int
    therapists: int
    reviews: int


@dataclass(frozen=True)
class SeedResult:
    clinics: int
    therapists: int
    reviews: int
    password: str = DEMO_PASSWORD
    sign_ins: list[tuple[str, str]] = field(default_factory=list)


def seed_demo(size: DemoSize, seed: int, only_if_empty: bool = False) -> SeedResult | None:
    raise RuntimeError("seed-demo arrives in the next commit")
