"""Role checks for views. Every staff route declares the roles that may use it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user, login_required

from sar.auth.models import Role

F = TypeVar("F", bound=Callable[..., Any])

# Roles that may read case data across the whole register.
CASE_READERS = (Role.DPO, Role.IG_OFFICER, Role.AUDITOR)
# Roles that may change cases.
CASE_WORKERS = (Role.DPO, Role.IG_OFFICER)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Sign-in first, then one of ``roles``; the route-map test reads ``view.required_roles``."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        protected: Any = login_required(wrapped)
        protected.required_roles = frozenset(roles)
        return cast(F, protected)

    return decorate


def public(view: F) -> F:
    """Mark a view as deliberately reachable without signing in (the route-map test checks the list)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def signed_in_any_role(view: F) -> F:
    """Pages every member of staff may see once signed in, whatever their role (home, own account)."""
    protected: Any = login_required(view)
    protected.required_roles = frozenset(Role)
    return cast(F, protected)
