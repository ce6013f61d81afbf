"""The one domain error: a change the rules refuse, in words for the person who asked, and the field it is about.

Services raise it (or a subclass naming their area: ``CaseError``, ``AccountError``...); views show it on the
form with :func:`sar.forms.show_error`, beside the field named by ``field`` and in the error summary, and
answer 422 so the request's transaction is rolled back (sar.web). No view ever reads the message to decide
where it goes.
"""

from __future__ import annotations


class DomainError(ValueError):
    """A refused change. ``field`` is the form field's name (``None``: about the whole form)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
