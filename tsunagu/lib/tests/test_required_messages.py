"""A required field left empty says which field and what to do, never Django's
「このフィールドは必須です。」 (issue 10, item 12)."""

import pytest
from django import forms
from django.urls import reverse

from tsunagu.lib.forms import Form
from tsunagu.tests.pages import visible_text

DJANGO_DEFAULT = "このフィールドは必須です"


class Sample(Form):
    title = forms.CharField(label="件名")
    kind = forms.ChoiceField(label="種類", choices=[("a", "あ")])
    note = forms.CharField(label="メモ", error_messages={"required": "メモを書いてください。"})


def test_a_required_field_names_itself():
    form = Sample({})
    assert not form.is_valid()
    assert form.errors == {
        "title": ["「件名」を入れてください。"],
        "kind": ["「種類」を選んでください。"],
        "note": ["メモを書いてください。"],  # a field's own message stays
    }


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("people:new", ["「姓」を入れてください。", "「せい（ふりがな）」を入れてください。"]),
        ("community:supporter_new", ["「氏名」を入れてください。"]),
        ("resources:new", ["「名称」を入れてください。"]),
    ],
)
def test_an_empty_form_says_which_fields_are_missing(client, world, page, expected):
    client.force_login(world.chief)
    response = client.post(reverse(page), {"unrelated": ""})  # bound, with every field empty
    assert response.status_code in (200, 422)
    text = visible_text(response)
    assert DJANGO_DEFAULT not in text
    for message in expected:
        assert message in text
