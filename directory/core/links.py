"""Web addresses a clinic gives us to link to: only http and https, never javascript:."""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_LENGTH = 500


class InvalidWebAddress(ValueError):
    """Not an http(s) address we would put in a link; str() says why."""


def is_web_address(url: str) -> bool:
    """True for an absolute http or https address with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def checked_web_address(url: str) -> str:
    """`url` without surrounding space ('' stays ''); raises InvalidWebAddress otherwise."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > MAX_LENGTH or not is_web_address(url) or any(ch.isspace() for ch in url):
        raise InvalidWebAddress("Enter a full web address, like https://example.com.")
    return url
