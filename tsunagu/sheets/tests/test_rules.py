"""The periods of the statutory programmes (DOMAIN.md §3) at their boundaries."""

import datetime as dt

import pytest

from tsunagu.sheets import rules

D = dt.date


# add_months: the same day n months later, or that month's last day -----------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 2/31: the month's last day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # from a leap day to a common year
        (D(2023, 2, 28), 12, D(2024, 2, 28)),  # not moved to the leap day
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # across the new year
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 4, 1), 3, D(2026, 7, 1)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),  # backwards across the year
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


# latest_end: the last day of a period of n months ------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "months", "expected"),
    [
        (D(2026, 4, 1), 3, D(2026, 6, 30)),  # 住居確保給付金 from the 1st: three whole months
        (D(2026, 4, 15), 3, D(2026, 7, 14)),
        (D(2026, 1, 1), 12, D(2026, 12, 31)),  # 就労準備支援事業: a year
        (D(2025, 12, 1), 3, D(2026, 2, 28)),  # across the new year into a common February
        (D(2023, 12, 1), 3, D(2024, 2, 29)),  # into a leap February
        (D(2024, 1, 29), 1, D(2024, 2, 28)),  # 2/29 exists: the day before it
    ],
)
def test_latest_end(starts_on, months, expected):
    assert rules.latest_end(starts_on, months) == expected


@pytest.mark.parametrize(
    ("starts_on", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2026, 1, 29), 1, D(2026, 2, 28)),  # no 2/29 in a common year
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # a leap February's last day
    ],
)
def test_latest_end_without_a_corresponding_day_ends_on_the_months_last_day(starts_on, months, expected):
    """民法143条2項: when the last month has no day corresponding to the start, the
    period ends on that month's last day (not the day before it)."""
    assert rules.latest_end(starts_on, months) == expected


# decision_errors -------------------------------------------------------------------------


def test_a_housing_benefit_of_three_months_is_allowed_to_its_last_day():
    assert rules.decision_errors("housing_benefit", D(2026, 4, 1), D(2026, 6, 30)) == {}
    assert rules.decision_errors("housing_benefit", D(2026, 4, 1), D(2026, 4, 1)) == {}


def test_a_housing_benefit_from_the_31st_runs_to_the_last_day_of_the_third_month():
    assert rules.decision_errors("housing_benefit", D(2026, 3, 31), D(2026, 6, 30)) == {}
    assert "令和8年6月30日" in rules.decision_errors("housing_benefit", D(2026, 3, 31), D(2026, 7, 1))["ends_on"]


def test_a_housing_benefit_one_day_over_three_months_is_refused_with_the_limit():
    errors = rules.decision_errors("housing_benefit", D(2026, 4, 1), D(2026, 7, 1))
    assert list(errors) == ["ends_on"]
    assert "3か月まで" in errors["ends_on"]
    assert "令和8年6月30日" in errors["ends_on"]


def test_a_decision_ending_before_it_starts_is_refused():
    errors = rules.decision_errors("work_preparation", D(2026, 4, 1), D(2026, 3, 31))
    assert errors == {"ends_on": "終了日が開始日より前になっています。"}


def test_work_preparation_has_a_year():
    assert rules.decision_errors("work_preparation", D(2026, 4, 1), D(2027, 3, 31)) == {}
    assert "12か月まで" in rules.decision_errors("work_preparation", D(2026, 4, 1), D(2027, 4, 1))["ends_on"]


def test_a_centre_overrides_a_programmes_period_in_settings(settings):
    settings.TSUNAGU_PROGRAMME_RULES = {"work_preparation": {"months": 6, "max_extensions": 2, "extension_months": 6}}
    assert rules.decision_errors("work_preparation", D(2026, 4, 1), D(2026, 9, 30)) == {}
    assert "6か月まで" in rules.decision_errors("work_preparation", D(2026, 4, 1), D(2026, 10, 1))["ends_on"]
    assert rules.rule_for("housing_benefit") == rules.DEFAULT_RULES["housing_benefit"]


# extension_errors --------------------------------------------------------------------------

END = D(2026, 6, 30)


def test_a_first_and_second_housing_benefit_extension_of_three_months_are_allowed():
    assert rules.extension_errors("housing_benefit", END, 0, D(2026, 6, 20), D(2026, 9, 30)) == {}
    assert rules.extension_errors("housing_benefit", D(2026, 9, 30), 1, D(2026, 9, 1), D(2026, 12, 31)) == {}


def test_a_third_housing_benefit_extension_is_refused_whatever_its_dates():
    errors = rules.extension_errors("housing_benefit", D(2026, 12, 31), 2, D(2026, 12, 1), D(2027, 1, 31))
    assert list(errors) == ["__all__"]
    assert "延長は2回まで" in errors["__all__"]


def test_other_programmes_are_extended_once():
    assert rules.extension_errors("work_preparation", D(2027, 3, 31), 0, D(2027, 3, 1), D(2028, 3, 31)) == {}
    errors = rules.extension_errors("work_preparation", D(2028, 3, 31), 1, D(2028, 3, 1), D(2028, 4, 30))
    assert "延長は1回まで" in errors["__all__"]


def test_an_extension_requested_on_the_last_day_is_in_time_and_the_day_after_is_not():
    assert rules.extension_errors("housing_benefit", END, 0, END, D(2026, 9, 30)) == {}
    errors = rules.extension_errors("housing_benefit", END, 0, END + dt.timedelta(days=1), D(2026, 9, 30))
    assert list(errors) == ["requested_on"]
    assert "終わる前" in errors["requested_on"]


def test_an_extension_must_end_after_the_current_end():
    errors = rules.extension_errors("housing_benefit", END, 0, D(2026, 6, 1), END)
    assert list(errors) == ["new_ends_on"]
    assert rules.extension_errors("housing_benefit", END, 0, D(2026, 6, 1), D(2026, 7, 1)) == {}


def test_an_extension_is_at_most_three_months_from_the_day_after_the_current_end():
    assert rules.extension_errors("housing_benefit", END, 0, D(2026, 6, 1), D(2026, 9, 30)) == {}
    errors = rules.extension_errors("housing_benefit", END, 0, D(2026, 6, 1), D(2026, 10, 1))
    assert list(errors) == ["new_ends_on"]
    assert "令和8年9月30日" in errors["new_ends_on"]
