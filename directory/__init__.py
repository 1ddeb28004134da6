"""The therapist directory: `create_app()` builds the whole application."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config, config_from_environment
from directory.core.database import engine_options
from directory.core.urls import DatabaseIdConverter
from directory.extensions import celery_init_app, csrf, db, limiter, login_manager, migrate


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(BASE_DIR / "instance"),
    )
    configure_settings(app, config, overrides)
    configure_proxies(app)
    configure_logging(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_templates(app)
    configure_security_headers(app)
    configure_monitoring(app)
    configure_errors(app)
    configure_cli(app)
    return app


def configure_settings(app: Flask, config: type[Config] | None, overrides: dict) -> None:
    config = config or config_from_environment()
    problems = config.problems()
    if problems:
        raise RuntimeError(
            f"Refusing to start with APP_ENV={config.ENV_NAME}:\n  - " + "\n  - ".join(problems)
        )
    app.config.from_object(config)
    app.config.update(overrides)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    app.instance_path = app.config["INSTANCE_DIR"]
    os.makedirs(app.instance_path, exist_ok=True)


def configure_proxies(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXY_COUNT"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def configure_logging(app: Flask) -> None:
    from directory.core import error_reports, logs

    logs.init_app(app)
    error_reports.init_app(app)


def configure_extensions(app: Flask) -> None:
    from flask_sqlalchemy.session import Session as FlaskSession

    import directory.models  # noqa: F401 - registers every table on db.metadata
    from directory.accounts.services import load_user
    from directory.core import after_commit, input_guard, media_storage, redis_client
    from directory.core.database import configure_engine
    from directory.core.outbox import install_relay
    from directory.core.tenancy import install_row_level_security, install_tenant_filter
    from directory.public import invalidation, shared_store, visitor_parts
    from directory.search import cache as search_cache

    redis_client.init_app(app)
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    # A view's declared upload limit applies before CSRFProtect reads any body.
    app.before_request(input_guard.apply_upload_limit)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    after_commit.install(FlaskSession)
    media_storage.init_app(app, FlaskSession)
    install_relay()
    install_tenant_filter(FlaskSession)
    install_row_level_security(FlaskSession)
    search_cache.init_app(app)
    shared_store.init_app(app)
    visitor_parts.init_app(app)
    invalidation.init_app(app, FlaskSession)
    celery_init_app(app)


def configure_blueprints(app: Flask) -> None:
    from directory.accounts.views import bp as accounts_bp
    from directory.api.views import bp as api_bp
    from directory.clinics.views import bp as clinics_bp
    from directory.dev.views import bp as dev_bp
    from directory.embeds.manage_views import bp as manage_embeds_bp
    from directory.embeds.views import bp as embeds_bp
    from directory.moderation.views import bp as moderation_bp
    from directory.monitoring.views import bp as monitoring_bp
    from directory.photos.manage_views import bp as manage_photos_bp
    from directory.photos.moderation_views import bp as photo_moderation_bp
    from directory.photos.views import bp as photos_bp
    from directory.public.clinic_page import bp as public_clinics_bp
    from directory.public.compare_views import bp as compare_bp
    from directory.public.profiles import bp as public_profiles_bp
    from directory.public.search_page import bp as search_bp
    from directory.public.views import bp as public_bp
    from directory.reviews.manage_views import bp as manage_reviews_bp
    from directory.reviews.notification_views import bp as review_emails_bp
    from directory.reviews.views import bp as reviews_bp
    from directory.self_service.views import bp as self_service_bp
    from directory.therapists.views import bp as manage_therapists_bp

    # Before any rule is added: rules take their converters when they are bound.
    app.url_map.converters["int"] = DatabaseIdConverter
    app.register_blueprint(public_bp)
    app.register_blueprint(public_profiles_bp)
    app.register_blueprint(public_clinics_bp)
    app.register_blueprint(compare_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(self_service_bp)
    app.register_blueprint(clinics_bp)
    app.register_blueprint(manage_therapists_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(manage_reviews_bp)
    app.register_blueprint(review_emails_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(photos_bp)
    app.register_blueprint(manage_photos_bp)
    app.register_blueprint(photo_moderation_bp)
    app.register_blueprint(embeds_bp)
    app.register_blueprint(manage_embeds_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(monitoring_bp)
    if app.config["DEV_MAILBOX"]:
        app.register_blueprint(dev_bp)


def configure_templates(app: Flask) -> None:
    from jinja2 import FileSystemBytecodeCache

    from directory.core import formatting

    # Compiled templates are kept on disk, so a new worker process starts rendering at
    # once instead of compiling every template on its first requests.
    bytecode_dir = os.path.join(app.instance_path, "jinja-bytecode")
    os.makedirs(bytecode_dir, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(bytecode_dir)
    formatting.register(app)


def configure_security_headers(app: Flask) -> None:
    from directory.core import input_guard
    from directory.core.embedding import EmbedAwareSessionInterface
    from directory.core.security import add_security_headers

    input_guard.init_app(app)
    app.after_request(add_security_headers)
    app.session_interface = EmbedAwareSessionInterface()


def configure_monitoring(app: Flask) -> None:
    from directory.monitoring import metrics

    metrics.init_app(app)


def configure_errors(app: Flask) -> None:
    from directory.core.errors import register_error_handlers

    register_error_handlers(app)


def configure_cli(app: Flask) -> None:
    from directory.cli import register_commands

    register_commands(app)
