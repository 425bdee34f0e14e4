"""FastSelect writes what Django's Select template writes, byte for byte, and every form
of the project uses it for its selects."""

from django import forms
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.lib.forms import FastSelect, Form

CHOICES = [
    ("", "選んでください"),
    ("a", '相談支援員 <山田> & "太郎"'),
    (1, "数の値"),
    ("安全", mark_safe("<b>既に安全</b>")),
    ("グループ", [("g1", "一つ目"), ("g2", "二つ目 'quoted'")]),
]


def both(choices, value, attrs=None, *, multiple_attrs=None):
    plain = forms.Select(attrs=multiple_attrs, choices=choices)
    fast = FastSelect(attrs=multiple_attrs, choices=choices)
    return plain.render("worker", value, attrs), fast.render("worker", value, attrs)


def test_the_same_html_as_the_template_with_groups_escaping_and_attributes():
    for value in (None, "", "a", 1, "g2", "安全", "not a choice"):
        plain, fast = both(
            CHOICES,
            value,
            {"id": "id_worker", "required": True, "disabled": False, "aria-describedby": 'e"rr'},
            multiple_attrs={"class": "wide"},
        )
        assert fast == plain
    assert "selected>二つ目" not in both(CHOICES, "g1")[1]
    assert '<option value="g1" selected>一つ目</option>' in both(CHOICES, "g1")[1]
    assert "&lt;山田&gt; &amp; &quot;太郎&quot;" in both(CHOICES, None)[1]


@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=6), st.text(max_size=8))
def test_the_same_html_for_any_choices(choices, value):
    plain, fast = both(choices, value)
    assert fast == plain


def test_a_project_form_renders_its_selects_fast():
    class Filter(Form):
        worker = forms.ChoiceField(choices=CHOICES, required=False)
        kind = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["later"] = forms.ChoiceField(choices=CHOICES, required=False)

    form = Filter()
    assert str(form["later"]) == forms.Select(choices=CHOICES).render("later", None, {"id": "id_later"})
    assert type(form.fields["later"].widget) is FastSelect  # set in __init__, rendered fast
    assert type(form.fields["worker"].widget) is forms.Select  # until it is rendered
    str(form["worker"])
    assert type(form.fields["worker"].widget) is FastSelect
    assert type(form.fields["kind"].widget) is forms.RadioSelect  # only plain selects
    assert type(Filter.base_fields["worker"].widget) is forms.Select  # the class is left alone
    assert str(form["worker"]).startswith('<select name="worker" id="id_worker">')
