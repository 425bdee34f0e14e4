import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.wareki import age_on, format_wareki, parse_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 4, 30), "平成31年4月30日（2019年）"),
        (dt.date(2019, 5, 1), "令和元年5月1日（2019年）"),
        (dt.date(2026, 11, 26), "令和8年11月26日（2026年）"),
        (dt.date(1989, 1, 7), "昭和64年1月7日（1989年）"),
        (dt.date(1989, 1, 8), "平成元年1月8日（1989年）"),
        (dt.date(1926, 12, 24), "大正15年12月24日（1926年）"),
        (dt.date(1926, 12, 25), "昭和元年12月25日（1926年）"),
        (dt.date(1912, 7, 29), "明治45年7月29日（1912年）"),
        (dt.date(1912, 7, 30), "大正元年7月30日（1912年）"),
    ],
)
def test_era_boundaries(day, expected):
    assert format_wareki(day) == expected


def test_without_seireki():
    assert format_wareki(dt.date(2019, 5, 1), seireki=False) == "令和元年5月1日"


# Each day with the ways people write it.
SPELLINGS = {
    dt.date(2026, 11, 26): ["令和8年11月26日", "R8.11.26", "ｒ８．１１．２６", "２０２６－１１－２６"],
    dt.date(1989, 1, 8): ["平成元年1月8日"],
    dt.date(2019, 4, 30): ["H31.4.30"],
    dt.date(2019, 5, 1): ["令和元年5月1日"],
    dt.date(1975, 4, 1): ["S50.4.1", "昭和50年4月1日", "1975-04-01", "1975/4/1", "1975年4月1日", "19750401"],
}


@pytest.mark.parametrize(
    ("text", "expected"), [(text, day) for day, spellings in SPELLINGS.items() for text in spellings]
)
def test_parse_accepts_wareki_and_seireki(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["平成31年5月1日", "令和元年4月30日", "昭和64年1月8日", "2026-02-30", "R8.13.1", "きのう", "", "S0.1.1"],
)
def test_parse_refuses_dates_that_do_not_exist(text):
    assert parse_date(text) is None


@given(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_format_then_parse_round_trips(day):
    assert parse_date(format_wareki(day, seireki=False)) == day


def test_age_on_birthdays():
    assert age_on(dt.date(1975, 4, 1), dt.date(2026, 3, 31)) == 50
    assert age_on(dt.date(1975, 4, 1), dt.date(2026, 4, 1)) == 51
    assert age_on(dt.date(2000, 2, 29), dt.date(2025, 2, 28)) == 24
    assert age_on(dt.date(2000, 2, 29), dt.date(2025, 3, 1)) == 25
