"""Cities with coordinates, loaded from the offline GeoNames data set by a migration."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from directory.extensions import db


class City(db.Model):
    __tablename__ = "cities"

    # The GeoNames id, so reloading the data set keeps every reference stable.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    country_code: Mapped[str] = mapped_column(sa.String(2))
    admin1_code: Mapped[str] = mapped_column(sa.String(20))
    latitude: Mapped[float]
    longitude: Mapped[float]
    population: Mapped[int] = mapped_column(default=0)
    # The IANA time zone (GeoNames'), in which a clinic here keeps its opening hours.
    timezone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")

    def __repr__(self) -> str:
        return f"<City {self.slug}>"
