"""Staff accounts, roles and sign-in with MFA."""

from __future__ import annotations

from flask import Flask

from sar.extensions import db, login_manager


def init_app(app: Flask) -> None:
    from sar.auth import pending, sessions
    from sar.auth.cli import seed_teams
    from sar.auth.models import User
    from sar.auth.views import bp

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit() or not sessions.user_is_signed_in(user_id):
            return None
        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    app.before_request(sessions.enforce)
    app.before_request(pending.require_password_change)
    app.register_blueprint(bp)
    app.cli.add_command(seed_teams)
