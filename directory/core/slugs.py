"""Stable, unique slugs for URLs."""

from __future__ import annotations

import sqlalchemy as sa
from slugify import slugify

from directory.core.tenancy import for_all_clinics
from directory.extensions import db


def unique_slug(model: type, text: str, *, exclude_id: int | None = None) -> str:
    """A slug for `text` that no other row of `model` uses: 'name', then 'name-2', …

    Looks across all clinics: slugs are global because they appear in public URLs.
    """
    base = slugify(text, max_length=100) or "item"
    taken_query = sa.select(model.slug).where(model.slug.like(f"{base}%"))
    if exclude_id is not None:
        taken_query = taken_query.where(model.id != exclude_id)
    with for_all_clinics():  # drafts and deleted rows of every clinic hold their slugs too
        taken = set(db.session.scalars(taken_query))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
