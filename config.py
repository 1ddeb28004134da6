"""Settings. Every value comes from an environment variable, with safe local defaults.

`Config` is the local default: a SQLite file under instance/, Celery eager (jobs run in-process
right after commit), emails written to instance/mail/ as .eml files.  `ProductionConfig`
refuses to start while anything that must be explicit is still a default.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_PATH = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))

load_dotenv(BASE_DIR / ".env")

DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def normalize_database_url(url: str) -> str:
    """Let people paste the URLs their hosting gives them; we always drive psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    ENV_NAME = "local"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # Proxies in front of the app (deploy/nginx.conf is one): exactly this many
    # X-Forwarded-For / -Proto hops are believed, so rate limits see the visitor's address
    # and a visitor cannot forge one. 0 when clients connect to gunicorn directly.
    TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
    INSTANCE_DIR = str(INSTANCE_PATH)

    SQLALCHEMY_DATABASE_URI = normalize_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_PATH / 'directory.sqlite3'}")
    )
    # A database that went away is noticed at checkout (pre-ping) and a request waits at
    # most this long for a connection, so an outage answers 503 quickly and recovers alone.
    DATABASE_CONNECT_TIMEOUT_SECONDS = env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 3)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "pool_timeout": 10}
    # The role that owns the tables: used only by `flask db upgrade/downgrade` and
    # `flask db-roles`.  Empty means the application's own URL (one role, as on SQLite).
    DATABASE_OWNER_URL = normalize_database_url(os.environ.get("DATABASE_OWNER_URL", ""))

    REDIS_URL = os.environ.get("REDIS_URL", "")
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
    CELERY_QUEUE = os.environ.get("CELERY_QUEUE", "directory")
    # Eager unless a broker is configured: jobs then run in-process right after commit.
    CELERY_EAGER = env_bool("CELERY_EAGER", not CELERY_BROKER_URL)

    # "smtp://host:port", "smtp+starttls://user:pass@host:587", "smtps://…", or a folder
    # "file:///path"; unset means instance/mail/.
    MAIL_URL = os.environ.get("MAIL_URL", f"file://{INSTANCE_PATH / 'mail'}")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Therapist Directory <no-reply@localhost>")
    # The development mailbox page lists what was "sent" to the local folder.
    DEV_MAILBOX = env_bool("DEV_MAILBOX", True)

    # Search result counts and facets are cached this long (Redis when REDIS_URL is set,
    # else in the process), keyed by a generation that every index change bumps.
    SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 300)
    # Public pages that every signed-out visitor sees alike are kept this long in Redis
    # (directory.public.page_cache); 0 renders every page.
    SHARED_PAGE_SECONDS = env_int("SHARED_PAGE_SECONDS", 300)
    # Put before every key this app writes to Redis, so apps can share a Redis database.
    REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "")
    # Redis is only ever a cache here: a request gives up on it after this long, and a
    # process that saw it fail leaves it alone for REDIS_RETRY_SECONDS.
    REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 0.25)
    REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5)
    # The platform's mean rating (the Bayesian prior) is recomputed at most this often.
    PLATFORM_MEAN_CACHE_SECONDS = env_int("PLATFORM_MEAN_CACHE_SECONDS", 60)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", REDIS_URL or "memory://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # A Redis outage must not refuse a submission: limits are then counted per process,
    # and Redis is tried again with a growing pause until it answers.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # (The Redis storage gets the app's Redis client options: directory/core/redis_client.py.)

    # argon2id parameters (RFC 9106 second recommendation by default).
    ARGON2_TIME_COST = env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = env_int("ARGON2_PARALLELISM", 4)

    # Outbox rows not acknowledged after this long are sent to the broker again.
    OUTBOX_REDISPATCH_AFTER_SECONDS = env_int("OUTBOX_REDISPATCH_AFTER_SECONDS", 120)
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
    # After the broker failed to take a job, a web process leaves it alone this long: the
    # job stays pending and the sweep sends it (a request never waits on a dead broker).
    BROKER_RETRY_SECONDS = env_float("BROKER_RETRY_SECONDS", 5)
    BROKER_PUBLISH_TIMEOUT_SECONDS = env_float("BROKER_PUBLISH_TIMEOUT_SECONDS", 0.25)
    # A task that fails on something transient (the database, the broker, SMTP) is retried
    # this many times, after 2, 4, 8, ... seconds (with jitter, at most the maximum), then
    # becomes a dead letter.
    TASK_MAX_RETRIES = env_int("TASK_MAX_RETRIES", 8)
    TASK_RETRY_BACKOFF_SECONDS = env_float("TASK_RETRY_BACKOFF_SECONDS", 2)
    TASK_RETRY_BACKOFF_MAX_SECONDS = env_float("TASK_RETRY_BACKOFF_MAX_SECONDS", 600)
    # A task is killed after this long (prefork workers); an email claim older than
    # EMAIL_CLAIM_LEASE_SECONDS, so necessarily abandoned, may be taken over.
    TASK_TIME_LIMIT_SECONDS = env_int("TASK_TIME_LIMIT_SECONDS", 180)
    EMAIL_CLAIM_LEASE_SECONDS = env_int("EMAIL_CLAIM_LEASE_SECONDS", 240)
    MAIL_TIMEOUT_SECONDS = env_float("MAIL_TIMEOUT_SECONDS", 30)
    # After a send, "sent" is written in its own transaction, retried this long if the
    # database fails, never by sending again.
    MAIL_RECORD_RETRY_SECONDS = env_float("MAIL_RECORD_RETRY_SECONDS", 90)

    # Logs: "text" (readable, one line per record) or "json" (one JSON object per line).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # One INFO line per request (method, path, status, duration); the development server
    # prints its own, so it is off locally.
    LOG_REQUESTS = env_bool("LOG_REQUESTS", False)

    # /metrics: open when neither is set, except in production (where it is then 404).
    # Either one lets a scraper in: a bearer token, or an address in the listed networks.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # Unexpected errors of the web app and the workers go to Sentry when set (no personal
    # data: no cookies, addresses or user details).
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
    METRICS_ALLOWED_NETWORKS = os.environ.get("METRICS_ALLOWED_NETWORKS", "")
    # The Celery worker serves its own task metrics on this port (0: not at all).
    WORKER_METRICS_PORT = env_int("WORKER_METRICS_PORT", 0)
    WORKER_METRICS_ADDRESS = os.environ.get("WORKER_METRICS_ADDRESS", "127.0.0.1")

    EMAIL_TOKEN_MAX_AGE = env_int("EMAIL_TOKEN_MAX_AGE", 72 * 3600)
    PASSWORD_RESET_MAX_AGE = env_int("PASSWORD_RESET_MAX_AGE", 2 * 3600)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Remember me" lasts a month at most; it names the session version too, so a password
    # change, a sign-out everywhere or a deactivation ends it sooner.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Uploaded photos, re-encoded, under content-hashed names; empty means instance/media.
    # With several web nodes every node must see the same folder (README, "Photos").
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "")

    @classmethod
    def problems(cls) -> list[str]:
        """What stops this configuration from starting; empty when it may start."""
        problems = []
        if cls.EMAIL_CLAIM_LEASE_SECONDS <= cls.TASK_TIME_LIMIT_SECONDS:
            problems.append(
                "EMAIL_CLAIM_LEASE_SECONDS must be longer than TASK_TIME_LIMIT_SECONDS, or a"
                " live delivery could be taken over and the email sent twice"
            )
        if cls.TRUSTED_PROXY_COUNT < 0:
            problems.append("TRUSTED_PROXY_COUNT must be 0 or more (the proxies in front)")
        return problems


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    # Tests name their databases; never migrate one the developer's environment names.
    DATABASE_OWNER_URL = ""
    SECRET_KEY = "test-secret-key"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    CELERY_EAGER = True
    CELERY_BROKER_URL = ""
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    DEV_MAILBOX = True
    # Tests empty the tables between them; a cache would remember counts across them.
    SEARCH_CACHE_SECONDS = 0
    SHARED_PAGE_SECONDS = 0
    PLATFORM_MEAN_CACHE_SECONDS = 0
    # pytest shows a failing test's records itself; background threads (the test SMTP
    # server's) would otherwise print their INFO lines between the dots.
    LOG_LEVEL = "WARNING"


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEV_MAILBOX = env_bool("DEV_MAILBOX", False)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    LOG_REQUESTS = env_bool("LOG_REQUESTS", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    # Templates change only with a deploy: never stat their files on a request.
    TEMPLATES_AUTO_RELOAD = False

    @classmethod
    def problems(cls) -> list[str]:
        missing = super().problems()
        if cls.SECRET_KEY == DEFAULT_SECRET_KEY or len(cls.SECRET_KEY) < 32:
            missing.append("SECRET_KEY must be set to a random value of 32 characters or more")
        if not os.environ.get("DATABASE_URL"):
            missing.append("DATABASE_URL must be set (postgresql://user@host/dbname)")
        if not cls.CELERY_BROKER_URL:
            missing.append("REDIS_URL (or CELERY_BROKER_URL) must be set (redis://host:6379/0)")
        if not os.environ.get("MAIL_URL"):
            missing.append("MAIL_URL must be set (smtp://host:25 or smtp+starttls://…)")
        return missing


CONFIGS = {"local": Config, "test": TestConfig, "production": ProductionConfig}


def config_from_environment() -> type[Config]:
    """The configuration class named by APP_ENV (local, test or production)."""
    name = os.environ.get("APP_ENV", "local")
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV={name!r} is not one of {', '.join(CONFIGS)}")
    return CONFIGS[name]
