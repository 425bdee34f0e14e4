"""The small pure helpers: bar-chart geometry and the address folding of suggestions."""

import pytest

from tsunagu.community.charts import LABEL_WIDTH, WIDTH, bar_chart
from tsunagu.community.suggestions import _area, _kanji_number, address_key


def test_bars_scale_to_the_largest_value():
    chart = bar_chart("k", "t", [("東小", 10), ("西小", 5), ("山田", 0)], unit="件")
    longest, half, none = chart.bars
    assert longest.width == WIDTH - LABEL_WIDTH - 56
    assert half.width == round(longest.width / 2)
    assert none.width == 2  # a sliver: zero reads as a bar
    assert [b.y for b in chart.bars] == [5, 37, 69]
    assert chart.height == 96
    assert chart.total == 15
    assert all(b.value_x > LABEL_WIDTH + b.width for b in chart.bars)


def test_rows_under_the_threshold_are_marked():
    chart = bar_chart("k", "t", [("a", 1), ("b", 3), ("c", 5)], marked_below=3)
    assert [b.marked for b in chart.bars] == [True, False, False]
    assert chart.has_marked


def test_an_empty_chart_has_no_bars():
    chart = bar_chart("k", "t", [])
    assert chart.bars == ()
    assert chart.height == 32
    assert not chart.has_marked


@pytest.mark.parametrize(
    ("text", "number"), [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)]
)
def test_kanji_numbers(text, number):
    assert _kanji_number(text) == number


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("東町二丁目3-12", "東町2丁目3−12"),
        ("東町２丁目３番１２号", "東町2丁目3-12"),
        ("コーポ柳 201", "コーポ柳201"),
        ("東町十一丁目", "東町11丁目"),
    ],
)
def test_addresses_written_differently_fold_alike(a, b):
    assert address_key(a) == address_key(b)


def test_katakana_long_vowels_stay():
    assert "コーポ" in address_key("コーポ柳")


def test_the_area_is_the_leading_name_without_the_town():
    assert _area(address_key("雄勝野市東町二丁目3-12"), "雄勝野市") == "東町"
    assert _area(address_key("山田字上野45"), "雄勝野市") == "山田字上野"
    assert _area(address_key("3-12"), "雄勝野市") == ""
