"""The field's vocabulary: modalities, conditions treated, credential types, languages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db


class TermMixin:
    """A named term of the vocabulary, addressable by slug or name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")


class Modality(TermMixin, db.Model):
    __tablename__ = "modalities"


class Condition(TermMixin, db.Model):
    __tablename__ = "conditions"


class CredentialType(db.Model):
    __tablename__ = "credential_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    typical_issuer: Mapped[str] = mapped_column(sa.String(160), default="")


class Language(db.Model):
    __tablename__ = "languages"

    # ISO 639-1 code; it doubles as the slug in URLs and the API.
    code: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
