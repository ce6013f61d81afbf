"""sar: subject access and data-protection rights requests for a council's Children's Services."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

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

    from sar import extensions

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=str(Path(__file__).parent / "migrations"))
    extensions.csrf.init_app(app)

    from sar import auth, web

    auth.init_app(app)
    web.init_app(app)
    _register_stages(app)

    from sar import cli

    cli.init_app(app)
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


def _register_stages(app: Flask) -> None:
    """Each stage's blueprint, in the order of the one-way flow; later stages add theirs here."""
    from sar.admin.views import bp as admin_bp
    from sar.cases.views import bp as cases_bp
    from sar.clock.views import bp as clock_bp
    from sar.dashboard.views import bp as dashboard_bp
    from sar.review.views import bp as review_bp
    from sar.sources.views import bp as sources_bp

    for blueprint in (cases_bp, clock_bp, sources_bp, review_bp, dashboard_bp, admin_bp):
        app.register_blueprint(blueprint)
