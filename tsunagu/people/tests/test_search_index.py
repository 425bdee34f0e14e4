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
    for index in ["person_full_name_key", "person_given_name_key", "person_full_kana_key", "person_given_kana_key"]:
        assert index in plan
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
