"""Paging long lists: one page of a query, and the links the ``pagination`` macro draws under it.

Every paged page (the case list, a case's history, the audit log, the deadlines list) builds its page with
:func:`paginate` (or :meth:`Page.of` when the total comes from elsewhere) and renders
``pagination(page, ...)`` from ``macros/pagination.html``. The links keep the page's filters: a page number
asked for out of range is clamped to the first or last page, never an error, so an old bookmark still works.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flask import Flask, request, url_for
from sqlalchemy import Select, func, select
from werkzeug.datastructures import MultiDict

from sar.extensions import db
from sar.urls import parse_id

T = TypeVar("T")

# Page links shown either side of the current one; further pages collapse into an ellipsis.
NEIGHBOURS = 2


@dataclass(frozen=True)
class Page(Generic[T]):
    """Page ``page`` (from 1) of ``total`` things, ``per_page`` at a time, holding this page's ``items``."""

    total: int
    page: int
    per_page: int
    items: Sequence[T] = field(default_factory=list)

    @classmethod
    def of(cls, total: int, requested: int | None, per_page: int) -> Page[T]:
        """The page to show for a requested number: clamped between the first and the last page."""
        pages = max(1, math.ceil(total / per_page))
        return cls(total=total, page=min(max(1, requested or 1), pages), per_page=per_page)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def first(self) -> int:
        """The position of this page's first item, counting from 1 (0 when there are none)."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.offset + self.per_page, self.total)

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to link: the first, the last and the current one's neighbours; None marks a gap."""
        shown: list[int | None] = []
        for number in range(1, self.pages + 1):
            distance = abs(number - self.page)
            if number in (1, self.pages) or distance <= NEIGHBOURS:
                shown.append(number)
            elif shown[-1] is not None:
                shown.append(None)
        return shown

    def slice(self, query: Select[Any]) -> Select[Any]:
        """The query limited to this page's rows (the caller orders it)."""
        return query.limit(self.per_page).offset(self.offset)

    def holding(self, items: Sequence[Any]) -> Page[Any]:
        return Page(total=self.total, page=self.page, per_page=self.per_page, items=list(items))


def count(query: Select[Any]) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def paginate(query: Select[Any], *, page: int | None, per_page: int) -> Page[Any]:
    """One page of an ordered query's objects, with the total it was taken from."""
    chosen: Page[Any] = Page.of(count(query), page, per_page)
    return chosen.holding(db.session.scalars(chosen.slice(query)).all())


def requested_page(param: str = "page") -> int:
    """The page number the address asks for; anything that is not a whole number means the first page."""
    return parse_id(request.args.get(param)) or 1


def query_args(args: MultiDict[str, str], *, without: Sequence[str] = ()) -> dict[str, Any]:
    """A request's query parameters to put in a link, keeping repeated ones (a date's day, month and year boxes)
    and dropping empty ones."""
    return {
        name: values
        for name, values in args.to_dict(flat=False).items()
        if name not in without and any(value for value in values)
    }


def current_url(_anchor: str | None = None, **changes: Any) -> str:
    """This page's address with the same query parameters, some of them changed (sorting, paging, a band): a
    change to None removes that parameter."""
    args = query_args(request.args)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = str(value)
    return url_for(request.endpoint or "", **(request.view_args or {}), **args, _anchor=_anchor)


def page_url(number: int, param: str = "page", anchor: str | None = None) -> str:
    """This page's address, with the same filters, showing page ``number``."""
    return current_url(anchor, **{param: number if number > 1 else None})


def init_app(app: Flask) -> None:
    """``page_url`` for the ``pagination`` macro, and ``current_url`` for a page's other links that keep its
    filters (sorting a list)."""
    app.add_template_global(page_url, "page_url")
    app.add_template_global(current_url, "current_url")
