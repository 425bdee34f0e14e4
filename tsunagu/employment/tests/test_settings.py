"""TSUNAGU_RETENTION_FOLLOW_UP_MONTHS is read strictly: a bad value stops start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tsunagu.tests.test_deploy_settings import settings_from


def test_the_months_are_read_sorted_and_without_repeats(monkeypatch):
    module = settings_from(monkeypatch, {"TSUNAGU_RETENTION_FOLLOW_UP_MONTHS": "6, 1,3,3"})
    assert module.TSUNAGU_RETENTION_FOLLOW_UP_MONTHS == [1, 3, 6]
    monkeypatch.delenv("TSUNAGU_RETENTION_FOLLOW_UP_MONTHS")
    assert settings_from(monkeypatch, {}).TSUNAGU_RETENTION_FOLLOW_UP_MONTHS == [1, 3, 6]


@pytest.mark.parametrize("value", ["abc", "0,3", "1,48", ",", "1.5"])
def test_a_bad_value_stops_start_up(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="TSUNAGU_RETENTION_FOLLOW_UP_MONTHS"):
        settings_from(monkeypatch, {"TSUNAGU_RETENTION_FOLLOW_UP_MONTHS": value})
