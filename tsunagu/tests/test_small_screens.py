"""The smaller things of issue 10, item 12, on the test town (the required messages are
in lib/tests/test_required_messages.py; phones in test_browser_desk.py)."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from tsunagu.tests.pages import visible_text


def test_every_page_names_a_favicon_that_exists(client, world):
    client.force_login(world.consultant)
    page = client.get(reverse("my_day")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon is not None
    href = icon[1]
    assert href.startswith("/static/")  # not the empty data: icon of before
    found = finders.find(href.removeprefix("/static/"))
    assert found is not None
    with open(found, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")


def test_the_decisions_page_asks_for_a_day_once(client, world):
    client.force_login(world.officer)
    text = visible_text(client.get(reverse("sheets:decisions", kwargs={"code": world.case.code})))
    assert text.count("日付を指定して見る") == 1
