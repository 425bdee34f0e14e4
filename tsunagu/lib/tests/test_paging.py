"""The bounded pager: exact below the bound, 「1,000件以上」 above it, one COUNT over a LIMIT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.cases.models import Case
from tsunagu.conftest import make_case, make_person
from tsunagu.lib import paging
from tsunagu.lib.paging import BoundedPaginator


def test_below_the_bound_the_count_is_exact():
    pager = BoundedPaginator(list(range(7)), 3, bound=10)
    assert (pager.count, pager.more, pager.num_pages) == (7, False, 3)
    assert pager.count_label == "7件"
    assert pager.num_pages_label == "3"


def test_at_the_bound_it_is_still_exact_and_above_it_says_more():
    at = BoundedPaginator(list(range(10)), 3, bound=10)
    assert (at.count, at.more, at.count_label) == (10, False, "10件")
    above = BoundedPaginator(list(range(5000)), 50)
    assert (above.count, above.more, above.num_pages) == (1000, True, 20)
    assert above.count_label == "1,000件以上"
    assert above.num_pages_label == "20+"
    assert list(above.get_page(20).object_list) == list(range(950, 1000))


def test_a_queryset_is_counted_in_one_query_that_stops_at_the_bound(world):
    for i in range(4):
        make_case(make_person(world.town, "多", f"数{i}", "タ", "スウ"), world.centre, world.consultant)
    pager = BoundedPaginator(Case.objects.order_by("-id"), 2, bound=3)
    with CaptureQueriesContext(connection) as captured:
        assert (pager.count, pager.more) == (3, True)
    assert len(captured) == 1
    sql = captured[0]["sql"].upper()
    assert "COUNT(" in sql
    assert "LIMIT 4" in sql
    assert "ORDER BY" not in sql  # any four rows will do


@pytest.mark.parametrize(("bound", "label"), [(2, "2件以上"), (3, "3件"), (1000, "3件")])
def test_the_case_list_says_more_than_the_bound_instead_of_counting(client, world, monkeypatch, bound, label):
    monkeypatch.setattr(paging, "COUNT_BOUND", bound)
    client.force_login(world.consultant)  # the centre's open cases: taro's and hanako's … and one more
    make_case(make_person(world.town, "三", "人目", "サン", "ニンメ"), world.centre, world.consultant)
    page = client.get(reverse("cases:list")).content.decode()
    assert f'<p class="result-count" role="status">{label}</p>' in page
