"""Duplicates, the search carried into a new record, and contact details as typed
(issue 10, item 11)."""

from urllib.parse import quote

import pytest

from tsunagu.people.models import Person
from tsunagu.people.tests.test_views import LIST, NEW, VALID, html, login
from tsunagu.tests.pages import links, visible_text

NO_BIRTH_DATE = {**VALID, "birth_date": "", "phone": ""}


def test_the_same_reading_without_a_birth_date_is_a_possible_duplicate(client, world):
    login(client, world.consultant)
    assert client.post(NEW, NO_BIRTH_DATE).status_code == 302
    first = Person.objects.get(family_name="佐々木")
    again = client.post(NEW, {**NO_BIRTH_DATE, "family_name_kana": "ササキ", "given_name_kana": "ｹﾝ"})
    assert again.status_code == 200
    assert "同じ人が登録されていませんか" in visible_text(again)
    assert first.get_absolute_url() in links(again)
    assert Person.objects.filter(family_name="佐々木").count() == 1
    # Taro has a birth date; a 山田 太郎 typed without one may still be him.
    taro_again = client.post(
        NEW,
        {
            **NO_BIRTH_DATE,
            "family_name": "山田",
            "given_name": "太郎",
            "family_name_kana": "やまだ",
            "given_name_kana": "たろう",
        },
    )
    assert world.taro.get_absolute_url() in links(taro_again)


def test_a_different_birth_date_is_not_asked_about(client, world):
    data = {**VALID, "family_name_kana": "やまだ", "given_name_kana": "たろう", "birth_date": "1990-01-01", "phone": ""}
    response = login(client, world.consultant).post(NEW, data)
    assert response.status_code == 302
    assert Person.objects.filter(full_kana_key=world.taro.full_kana_key).count() == 2


@pytest.mark.parametrize(
    ("query", "initial"),
    [
        ("さとう はなこ", {"family_name_kana": "サトウ", "given_name_kana": "ハナコ"}),
        ("佐藤　花子", {"family_name": "佐藤", "given_name": "花子"}),
        ("０９０ー１１１１ー２２２２", {"phone": "090-1111-2222"}),
    ],
)
def test_the_search_is_carried_into_the_new_person_form(client, world, query, initial):
    login(client, world.consultant)
    found_nothing = client.get(LIST, {"q": query})
    offered = [href for href in links(found_nothing) if href.startswith(NEW)]
    new = f"{NEW}?q={quote(query)}"
    assert offered == [new, new]  # the header's 「相談者を登録」 and the empty result's 「新しく登録する」
    page = html(client.get(new))
    for name, value in initial.items():
        assert f'name="{name}" value="{value}"' in page


def test_part_of_a_phone_number_finds_the_person(client, world):
    login(client, world.consultant)
    for part in ("1234", "72-1234", "０１８３７２"):
        assert world.taro.get_absolute_url() in links(client.get(LIST, {"q": part})), part
    assert world.taro.get_absolute_url() not in links(client.get(LIST, {"q": "999"}))  # too few digits to be a number


def test_contact_details_are_stored_folded_and_a_bad_number_is_refused(client, world):
    login(client, world.consultant)
    response = client.post(
        NEW, {**VALID, "phone": "０９０ー８８８８ー７７７７", "email": "ｓａｓａｋｉ＠ｅｘａｍｐｌｅ．ｊｐ"}
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="佐々木")
    assert (person.phone, person.email, person.phone_key) == ("090-8888-7777", "sasaki@example.jp", "09088887777")
    refused = client.post(NEW, {**VALID, "family_name": "木村", "phone": "abc-defg"})
    assert refused.status_code == 200
    assert "電話番号は0から始まる10桁か11桁の数字で入れてください" in visible_text(refused)
    assert not Person.objects.filter(family_name="木村").exists()
