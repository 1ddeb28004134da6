"""Pages made to sit on other sites (`/embed/...`): the one rule for what makes them
different from every other page.

They are the only pages another site may frame (`core.security` gives them their own
Content-Security-Policy), and they never set a cookie: a page in a clinic's website is
read by that site's visitors, who never chose to visit us, so nothing of theirs is
stored and nothing a shared cache keeps can be personal.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

EMBED_PREFIX = "/embed/"


def is_embed_path(path: str) -> bool:
    return path.startswith(EMBED_PREFIX)


class EmbedAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that an embed page's response leaves with no
    cookie at all.

    Saving the session is the last thing Flask does to a response, after every
    `after_request` hook (Flask-Login's remember cookie among them), so this is the one
    place that can promise an embed response carries no `Set-Cookie`, whatever a hook
    added, and no `Vary: Cookie` that would keep shared caches from storing it.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if is_embed_path(request.path):
            del response.headers["Set-Cookie"]
            return
        super().save_session(app, session, response)
