"""Which page a list shows and which page numbers it links to (sar.pagination)."""

from __future__ import annotations

import pytest

from sar.pagination import Page


@pytest.mark.parametrize(
    ("total", "requested", "shown"),
    [(0, 1, 1), (0, 5, 1), (120, None, 1), (120, 0, 1), (120, 3, 3), (120, 99, 3), (50, 2, 1)],
)
def test_a_page_out_of_range_is_clamped_to_the_first_or_last(total: int, requested: int | None, shown: int) -> None:
    assert Page.of(total, requested, 50).page == shown


def test_positions_of_the_first_and_last_items_on_a_page() -> None:
    last = Page.of(120, 3, 50)
    assert (last.pages, last.offset, last.first, last.last) == (3, 100, 101, 120)
    empty = Page.of(0, 1, 50)
    assert (empty.pages, empty.first, empty.last) == (1, 0, 0)


@pytest.mark.parametrize(
    ("page", "numbers"),
    [
        (1, [1, 2, 3, None, 10]),
        (5, [1, None, 3, 4, 5, 6, 7, None, 10]),
        (4, [1, 2, 3, 4, 5, 6, None, 10]),
        (10, [1, None, 8, 9, 10]),
    ],
)
def test_far_pages_collapse_into_one_gap_each_side(page: int, numbers: list[int | None]) -> None:
    assert Page.of(100, page, 10).numbers == numbers


def test_a_short_list_links_every_page() -> None:
    assert Page.of(30, 2, 10).numbers == [1, 2, 3]
