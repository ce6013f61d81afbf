"""sar: subject access and data-protection rights requests for a council's Children's Services."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from sar import calendar, pagination
from sar import config as config_module

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: config → extensions → blueprints → errors → CLI."""
    instance_path = os.environ.get("SAR_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    _load_config(app, test_config)
    _configure_templates(app)
    _configure_serving(app)

    from sar import extensions

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(Path(__file__).parent / "migrations"))
    extensions.csrf.init_app(app)

    from sar import auth, web

    auth.init_app(app)
    web.init_app(app)
    _register_stages(app)

    from sar import cli
    from sar.demo import seed_demo

    cli.init_app(app)
    app.cli.add_command(seed_demo)  # seeds every stage, so it is assembled here with them, not in sar.cli
    return app


def _load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.update(config_module.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(config_module.environment_overrides(os.environ))
    else:
        app.config.update(test_config)
    config_module.finalise(app.config, Path(app.instance_path))
    app.testing = app.config["ENV"] == "testing"
    config_module.check_production_config(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _configure_serving(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from sar import db as db_module
    from sar.urls import BoundedIntConverter

    # Before any blueprint adds a rule: every <int:...> in the URL map is bounded to what the
    # database can hold, so /cases/99999999999999999999999 is a 404, not an overflow.
    app.url_map.converters["int"] = BoundedIntConverter
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        # Trust exactly as many X-Forwarded-* hops as there are proxies we run: trusting more
        # would let a client choose its own address and dodge the sign-in rate limit.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies, x_prefix=proxies
        )
    db_module.install_sqlite_tuning()


def _configure_templates(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    calendar.init_app(app)
    pagination.init_app(app)


def _register_stages(app: Flask) -> None:
    """Each stage's blueprint, in the order of the one-way flow; later stages add theirs here."""
    from sar import bundle, cases, clock, review, sources
    from sar.admin.views import bp as admin_bp
    from sar.dashboard.views import bp as dashboard_bp

    cases.init_app(app)
    clock.init_app(app)
    sources.init_app(app)
    review.init_app(app)
    bundle.init_app(app)  # the letters, the bundle page and command, its build job and facts provider
    from sar.bundle import delivery

    delivery.init_app(app)  # the download links and the requester's page
    # Read-only pages over every stage: only the app factory may import the dashboard (import-linter).
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(admin_bp)
