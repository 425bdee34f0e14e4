"""The programmes' rules, one by one, with dates at month and year boundaries."""

import datetime as dt

import pytest

from tsunagu.programmes import rules
from tsunagu.programmes.rules import Limits

D = dt.date
SINGLE = Limits(income_base=78000, rent_cap=37000, asset_cap=468000)


# 住居確保給付金: eligibility --------------------------------------------------------------


def test_income_below_the_base_is_paid_the_rent_up_to_the_cap():
    result = rules.eligibility(lost_work=True, monthly_income=50000, assets=100000, rent=45000, limits=SINGLE)
    assert result == rules.Eligibility(True, "", 37000)


def test_income_above_the_base_is_paid_less_by_the_excess():
    result = rules.eligibility(lost_work=True, monthly_income=90000, assets=0, rent=35000, limits=SINGLE)
    assert result.eligible
    assert result.monthly_payment == 78000 + 35000 - 90000


def test_income_exactly_at_the_ceiling_is_refused_as_nothing_to_pay_and_above_it_with_the_reason():
    at = rules.eligibility(lost_work=True, monthly_income=78000 + 35000, assets=0, rent=35000, limits=SINGLE)
    assert not at.eligible
    assert "0円" in at.reason
    above = rules.eligibility(lost_work=True, monthly_income=78000 + 35001, assets=0, rent=35000, limits=SINGLE)
    assert not above.eligible
    assert "113,001円" in above.reason
    assert "113,000円" in above.reason


def test_rent_above_the_cap_counts_only_up_to_the_cap_for_the_ceiling():
    result = rules.eligibility(lost_work=True, monthly_income=78000 + 37001, assets=0, rent=60000, limits=SINGLE)
    assert not result.eligible
    assert "115,000円" in result.reason


def test_assets_over_the_cap_and_no_loss_of_work_are_refused_with_their_reasons():
    rich = rules.eligibility(lost_work=True, monthly_income=0, assets=468001, rent=30000, limits=SINGLE)
    assert not rich.eligible
    assert "金融資産" in rich.reason
    at_cap = rules.eligibility(lost_work=True, monthly_income=0, assets=468000, rent=30000, limits=SINGLE)
    assert at_cap.eligible
    working = rules.eligibility(lost_work=False, monthly_income=0, assets=0, rent=30000, limits=SINGLE)
    assert not working.eligible
    assert "離職" in working.reason


def test_default_limits_take_the_largest_household_given_for_larger_ones(settings):
    settings.TSUNAGU_HOUSING_LIMITS = {1: [1, 2, 3], 3: [7, 8, 9]}
    assert rules.default_limits(3) == Limits(7, 8, 9)
    assert rules.default_limits(9) == Limits(7, 8, 9)
    assert rules.default_limits(0) == Limits(1, 2, 3)


# 住居確保給付金: the schedule across an extension and a year end ------------------------------


def test_three_months_from_november_then_an_extension_crosses_the_year():
    assert rules.payment_months(D(2026, 11, 1), D(2027, 1, 31)) == [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]
    extended = rules.payment_months(D(2026, 11, 1), D(2027, 4, 30))
    assert extended == [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1), D(2027, 4, 1)]


def test_a_period_from_the_middle_of_a_month_pays_one_month_per_month_of_period():
    # 11/15–2/14: November, December and January (not four calendar months).
    assert rules.payment_months(D(2026, 11, 15), D(2027, 2, 14)) == [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]


def test_a_period_from_the_31st_keeps_its_months_through_february():
    assert rules.payment_months(D(2027, 1, 31), D(2027, 4, 30)) == [D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1)]


def test_checked_months_are_those_the_period_covers_in_full():
    assert rules.checked_months(D(2026, 11, 1), D(2027, 1, 31)) == [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]
    assert rules.checked_months(D(2026, 11, 15), D(2027, 2, 14)) == [D(2026, 12, 1), D(2027, 1, 1)]


# 住居確保給付金: the duties -----------------------------------------------------------------

REQUIRED = {"consultation": 4, "hello_work": 2, "job_application_per_week": 1}


def test_december_with_every_duty_done_has_no_shortfall():
    # December 2026: Mondays 7, 14, 21, 28 (the week of the 28th ends on 2027-01-03).
    done = [("consultation", D(2026, 12, d)) for d in (1, 8, 15, 22)]
    done += [("hello_work", D(2026, 12, 2)), ("hello_work", D(2026, 12, 16))]
    done += [("job_application", D(2026, 12, d)) for d in (7, 14, 21)] + [("job_application", D(2027, 1, 2))]
    assert rules.duty_shortfall(done, D(2026, 12, 1), D(2027, 1, 3), REQUIRED) == {}


def test_a_shortfall_counts_only_the_month_and_weeks_over_by_the_check():
    done = [("consultation", D(2026, 11, 30)), ("consultation", D(2026, 12, 3)), ("hello_work", D(2027, 1, 1))]
    done += [("job_application", D(2026, 12, 8))]
    short = rules.duty_shortfall(done, D(2026, 12, 1), D(2026, 12, 25), REQUIRED)
    # November's and January's visits do not count for December.
    assert short["consultation"] == [1, 4]
    assert short["hello_work"] == [0, 2]
    # Weeks from 12/7 and 12/14 are over by the 25th, the week from the 21st is not.
    assert short["job_application"] == ["2026-12-14"]
    text = rules.shortfall_text(short)
    assert "面談 1/4回" in text
    assert "ハローワーク 0/2回" in text
    assert "令和8年12月14日" in text


def test_the_weekly_duty_reads_the_application_of_a_week_that_ends_in_the_next_month():
    done = [("job_application", D(2027, 1, 1))]  # Friday of the week from Monday 12/28
    short = rules.duty_shortfall(done, D(2026, 12, 1), D(2027, 1, 3), {"job_application_per_week": 1})
    assert short == {"job_application": ["2026-12-07", "2026-12-14", "2026-12-21"]}


def test_duties_configured_off_are_not_checked():
    assert rules.duty_shortfall([], D(2026, 12, 1), D(2026, 12, 31), {"consultation": 0}) == {}


# 居住支援: the stay -----------------------------------------------------------------------


def test_a_stay_of_three_months_from_november_ends_by_january_31():
    assert rules.stay_errors(D(2026, 11, 1), D(2027, 1, 31), None) == {}
    too_long = rules.stay_errors(D(2026, 11, 1), D(2027, 2, 1), None)
    assert "支援決定とその延長が必要" in too_long["planned_end"]


def test_a_stay_beyond_three_months_needs_the_extended_decision_and_never_passes_six():
    # A decision extended to 3/31: the stay may run to 3/31, not a day more.
    assert rules.stay_errors(D(2026, 11, 1), D(2027, 3, 31), D(2027, 3, 31)) == {}
    beyond = rules.stay_errors(D(2026, 11, 1), D(2027, 4, 1), D(2027, 3, 31))
    assert "支援決定の期間" in beyond["planned_end"]
    # Six months is the maximum, whatever a decision says.
    assert "最長6か月" in rules.stay_errors(D(2026, 11, 1), D(2027, 5, 1), D(2027, 12, 31))["planned_end"]


def test_a_stay_from_august_31_reaches_the_end_of_february():
    assert rules.stay_errors(D(2026, 8, 31), D(2027, 2, 28), D(2027, 2, 28)) == {}
    assert "最長" in rules.stay_errors(D(2026, 8, 31), D(2027, 3, 1), D(2027, 3, 31))["planned_end"]


def test_a_stay_ending_before_it_starts_is_refused():
    assert "入所日より前" in rules.stay_errors(D(2027, 1, 1), D(2026, 12, 31), None)["planned_end"]


@pytest.mark.parametrize(("attended", "total", "rate"), [(0, 0, None), (3, 4, 75), (2, 3, 66), (4, 4, 100)])
def test_attendance_rate(attended, total, rate):
    assert rules.attendance_rate(attended, total) == rate
