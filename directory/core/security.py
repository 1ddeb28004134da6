"""Response headers that every page carries."""

from __future__ import annotations

from flask import Response, g, request

from directory.core.embedding import is_embed_path

# No inline script or style anywhere: everything comes from our own static files.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        # The clinic console previews its own embed pages in an iframe.
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Embed pages (core.embedding) sit in an iframe on any site and need nothing but our
# stylesheet and images: no script, no form, no frame of their own.
EMBED_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors *",
    ]
)


def add_security_headers(response: Response) -> Response:
    if _served_signed_in():
        # A signed-in page is that person's: no shared cache keeps it, and no browser
        # shows it again from disk after sign-out.
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if is_embed_path(request.path):
        # Only embed pages may be framed; X-Frame-Options has no value that allows any
        # site, so they carry none and frame-ancestors says it.
        response.headers["Content-Security-Policy"] = EMBED_CONTENT_SECURITY_POLICY
        response.headers.pop("X-Frame-Options", None)
    else:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def _served_signed_in() -> bool:
    """Whether this response was made for a signed-in person.  Reads the user Flask-Login
    loaded for the request, if the request asked for one, and never the session itself:
    reading it would add `Vary: Cookie` to public answers (the API, embeds)."""
    user = g.get("_login_user")
    return user is not None and user.is_authenticated
