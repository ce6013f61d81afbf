"""The council's calendar: its time zone, "today" and the three ways a date is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sar import calendar


def test_a_wall_clock_time_becomes_the_right_utc_moment_across_the_clock_change():
    assert calendar.moment_of(date(2026, 7, 1), time(0, 30)) == datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert calendar.moment_of(date(2026, 1, 15), time(9, 0)) == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert calendar.moment_of(date(2026, 7, 1)) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)


def test_a_response_sent_after_midnight_in_summer_counts_as_the_next_day():
    assert calendar.council_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert calendar.council_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)


def test_today_can_be_pinned_by_configuration(app):
    app.config["CLOCK_TODAY"] = "2026-03-04"
    assert calendar.today() == date(2026, 3, 4)
    app.config["CLOCK_TODAY"] = date(2026, 5, 6)
    assert calendar.today() == date(2026, 5, 6)
    app.config["CLOCK_TODAY"] = None
    assert calendar.today() == calendar.now().date()


def test_dates_are_shown_three_ways():
    assert calendar.long_date(date(2026, 3, 3)) == "3 March 2026"
    assert calendar.long_date(None) == ""
    assert str(calendar.short_date(date(2026, 3, 3))) == '<time datetime="2026-03-03">Tue 3 Mar 2026</time>'
    assert str(calendar.short_date(None)) == "–"
    summer = datetime(2026, 7, 1, 13, 5, 9, tzinfo=UTC)
    assert calendar.date_time(summer) == "1 July 2026 at 14:05"
    assert calendar.date_time(summer, seconds=True) == "1 July 2026 at 14:05:09"
    assert calendar.date_time(None) == ""


def test_the_filters_are_available_to_templates(app):
    rendered = app.jinja_env.from_string(
        "{{ d | long_date }}|{{ d | short_date }}|{{ m | date_time }}|{{ m | timestamp }}"
    )
    moment = datetime(2026, 1, 2, 9, 0, 1, tzinfo=UTC)
    assert rendered.render(d=date(2026, 1, 2), m=moment) == (
        '2 January 2026|<time datetime="2026-01-02">Fri 2 Jan 2026</time>|2 January 2026 at 09:00|'
        "2 January 2026 at 09:00:01"
    )
