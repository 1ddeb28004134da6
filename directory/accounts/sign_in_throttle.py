"""Per-account sign-in throttling: growing delays, never a lockout.

The per-address rate limit (Flask-Limiter, on the view) stops one machine guessing; this
stops many machines guessing one account.  After FREE_FAILURES wrong passwords for an
address, each further try must wait a delay that doubles with every failure, up to
MAX_DELAY_SECONDS; a try made during the delay is answered "wait" without checking the
password, and does not count.  So a guesser gets at most one try per MAX_DELAY_SECONDS,
while the owner is never shut out for long, and never at all:

- a browser that signed in to the account before carries a signed "known browser" mark
  (a cookie) and skips the delay (the per-address limit still applies to it);
- a password reset by emailed link clears the failures.

Failures are counted per address asked about, known or not, so the answers say nothing
about which addresses have accounts.  The count lives in Redis (the one client in
core.redis_client) for FAILURE_MEMORY_SECONDS after the last failure; without Redis only
the per-address limit applies.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import redis
from flask import Response, current_app, request

from directory.accounts.models import User
from directory.accounts.services import authenticate
from directory.core import redis_client
from directory.core.addresses import normalize_email
from directory.core.mail import queue_email
from directory.core.tokens import InvalidToken, TokenPurpose, make_token, read_token
from directory.core.urls import external_url

FREE_FAILURES = 5
MAX_DELAY_SECONDS = 300
FAILURE_MEMORY_SECONDS = 24 * 3600
# The owner hears of a sign-in that follows this many failures.
TELL_OWNER_AFTER = 10
KNOWN_BROWSER_COOKIE = "known_browser"
KNOWN_BROWSER_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class Attempt:
    """What a sign-in attempt came to: the user (right password), or how long to wait
    (too many failures), or neither (a wrong password)."""

    user: User | None = None
    wait_seconds: int = 0


def attempt_sign_in(email: str, password: str) -> Attempt:
    """Check a password for `email` under the per-account delays; counts a failure, and
    on success tells the owner of many failures before (an email the caller commits)."""
    wait = wait_before_trying(email)
    if wait:
        return Attempt(wait_seconds=wait)
    user = authenticate(email, password)
    if user is None:
        record_failure(email)
        return Attempt()
    signed_in(user)
    return Attempt(user=user)


def clock() -> float:
    return time.time()


@dataclass(frozen=True)
class Failures:
    count: int
    last_at: float

    def wait_seconds(self, now: float) -> int:
        """How long the next try must wait (0: it may go ahead)."""
        if self.count < FREE_FAILURES:
            return 0
        delay = min(2 ** (self.count - FREE_FAILURES), MAX_DELAY_SECONDS)
        return max(0, int(self.last_at + delay - now + 0.999))


NONE = Failures(0, 0.0)


def _account_key(email: str) -> str:
    digest = hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]
    return digest


def _redis_key(email: str) -> str:
    return redis_client.key(f"sign-in-failures:{_account_key(email)}")


def failures(email: str) -> Failures:
    client = redis_client.available()
    if client is None:
        return NONE
    try:
        stored = client.hgetall(_redis_key(email))
    except redis.RedisError as error:
        redis_client.failed(error, "reading sign-in failures")
        return NONE
    if not stored:
        return NONE
    return Failures(int(stored.get(b"count", 0)), float(stored.get(b"last_at", 0)))


def wait_before_trying(email: str) -> int:
    """Seconds this browser must wait before trying a password for `email` (0: go on)."""
    if _known_browser(email):
        return 0
    return failures(email).wait_seconds(clock())


def record_failure(email: str) -> None:
    client = redis_client.available()
    if client is None:
        return
    key = _redis_key(email)
    try:
        with client.pipeline() as pipe:
            pipe.hincrby(key, "count", 1)
            pipe.hset(key, "last_at", repr(clock()))
            pipe.expire(key, FAILURE_MEMORY_SECONDS)
            pipe.execute()
    except redis.RedisError as error:
        redis_client.failed(error, "counting a sign-in failure")


def forget_failures(email: str) -> None:
    client = redis_client.available()
    if client is None:
        return
    try:
        client.delete(_redis_key(email))
    except redis.RedisError as error:
        redis_client.failed(error, "clearing sign-in failures")


def signed_in(user: User) -> None:
    """After a right password: tell the owner if many wrong ones came first, then forget
    them.  Queues an email through the outbox; the caller commits."""
    count = failures(user.email).count
    if count >= TELL_OWNER_AFTER:
        queue_email(
            user.email,
            "sign_in_after_failures",
            "Your account was signed in to after many wrong passwords",
            user=user,
            failures=count,
            reset_link=external_url("accounts.forgot_password"),
        )
    forget_failures(user.email)


def remember_browser(response: Response, email: str) -> None:
    """Mark this browser as one that signed in to the account (it skips the delays)."""
    token = make_token(TokenPurpose.KNOWN_BROWSER, {"a": _account_key(email)})
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        token,
        max_age=KNOWN_BROWSER_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )


def _known_browser(email: str) -> bool:
    token = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if not token:
        return False
    try:
        payload = read_token(TokenPurpose.KNOWN_BROWSER, token, KNOWN_BROWSER_SECONDS)
    except InvalidToken:
        return False
    return payload.get("a") == _account_key(email)
