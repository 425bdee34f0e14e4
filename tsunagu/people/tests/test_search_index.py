"""Name search is a prefix lookup on indexed key columns, not a scan of every row."""

import random

from django.db import connection

from tsunagu.people.models import Person

KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


def test_search_uses_the_four_key_indexes(world):
    rnd = random.Random(7)
    people = []
    for i in range(3000):
        person = Person(
            municipality=world.town,
            family_name=f"姓{i}",
            given_name="名",
            family_name_kana="".join(rnd.choice(KANA) for _ in range(3)),
            given_name_kana="".join(rnd.choice(KANA) for _ in range(3)),
        )
        person.refresh_search_keys()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queryset = Person.objects.in_municipality(world.town.pk).search("やまだ")
    plan = plan_of(queryset)
    for index in ["person_full_name_key", "person_given_name_key", "person_given_kana_key"]:
        assert index in plan
    # The reading's prefix: its own index, or the list's (municipality, reading, id) on SQLite.
    assert "person_full_kana_key" in plan or "person_reading_order (municipality_id=? AND full_kana_key>?" in plan
    assert "SCAN people_person" not in plan  # SQLite's word for a full scan
    assert "Seq Scan" not in plan  # PostgreSQL's
    assert [p.full_name for p in queryset] == ["山田 太郎"]


def test_prefix_lookup_escapes_like_wildcards(world):
    Person.objects.create(
        municipality=world.town, family_name="A%B", given_name="", family_name_kana="エー", given_name_kana=""
    )
    assert [p.family_name for p in Person.objects.search("a%")] == ["A%B"]
    assert list(Person.objects.search("%")) == []
    assert list(Person.objects.search("_")) == []


def test_the_list_is_in_the_order_of_the_readings_code_points_on_both_databases(client, world):
    from tsunagu.conftest import make_person
    from tsunagu.tests.client import html, login

    for family, kana in [
        ("木村", "キムラ"),
        ("蒲生", "ガモウ"),
        ("加藤", "カトウ"),
        ("阿部", "アベ"),
        ("相川", "アイカワ"),
    ]:
        make_person(world.town, family, "一", kana, "イチ")
    queryset = Person.objects.in_municipality(world.town.pk).search("ア").in_reading_order()
    assert [p.family_name for p in queryset] == ["相川", "阿部"]
    everyone = [p.family_name_kana for p in Person.objects.in_municipality(world.town.pk).in_reading_order()]
    assert everyone == sorted(everyone)  # Python's str order is by code point
    assert everyone.index("カトウ") < everyone.index("ガモウ") < everyone.index("キムラ")  # 五十音
    if connection.vendor == "postgresql":  # the database locale's strcoll is not asked
        assert 'COLLATE "C"' in str(queryset.query)
    page = html(login(client, world.consultant).get("/people/"))
    assert page.index("加藤") < page.index("蒲生") < page.index("木村")


def test_a_one_character_search_walks_each_keys_first_character_in_reading_order(world):
    rnd = random.Random(11)
    people = []
    for i in range(600):
        # Some match 「サ」 by the family reading, some by the given one, some by both.
        family = rnd.choice(["サ", "カ"]) + "".join(rnd.choice(KANA) for _ in range(2))
        given = rnd.choice(["サ", "タ"]) + "".join(rnd.choice(KANA) for _ in range(2))
        person = Person(
            municipality=world.town,
            family_name=f"佐{i}",
            given_name="名",
            family_name_kana=family,
            given_name_kana=given,
        )
        person.refresh_search_keys()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    town = Person.objects.in_municipality(world.town.pk)
    for query in ["さ", "佐"]:
        found = town.search(query)
        expected = [(p.pk, p.full_kana_key) for p in found.in_reading_order()]
        assert len(expected) == len({pk for pk, _ in expected}) > 300  # each once, however it matched
        walked = found.ids_in_reading_order(query, 1000)
        assert list(walked[:50]) == expected[:50]
        assert list(walked[100:150]) == expected[100:150]
        assert walked.count() == len(expected)
        # Bounded: the first `bound` are the true first ones; the count goes past the bound.
        walked = found.ids_in_reading_order(query, 40)
        assert list(walked[:40]) == expected[:40]
        assert 40 < walked.count() <= len(expected)
        if connection.vendor == "postgresql":
            plan = plan_of(found.ids_in_reading_order(query, 1000)[:50])
            assert "Merge Append" in plan, plan  # walked in order, not sorted
            assert "_first" in plan, plan
            assert "Sort " not in plan.replace("Sort Key", "")
    if connection.vendor == "postgresql":  # the whole list, too, is walked to its page
        plan = plan_of(town.ids_in_reading_order("", 1000)[:50])
        assert "person_reading_order" in plan, plan
