"""Distances on the Earth's surface, the same in Python, PostgreSQL and SQLite."""

from __future__ import annotations

from math import asin, cos, degrees, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 111.2


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    d_lat, d_lon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(d_lat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(d_lon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


def bounding_box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east): a box that holds every point within `km` of the point.

    Cheap to test on indexed columns; the exact distance then trims the corners.
    """
    d_lat = km / KM_PER_DEGREE_LATITUDE
    # Longitude degrees shrink towards the poles; near them the box spans every longitude.
    shrink = cos(radians(min(89.0, abs(lat) + d_lat)))
    d_lon = degrees(km / (EARTH_RADIUS_KM * shrink)) if shrink > 0.01 else 180.0
    return lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon
