"""lib.models: the project's models say their choices' labels as Django does, faster."""

from django.apps import apps
from django.db import models

from tsunagu.lib.models import ChoiceLabels, choice_labels


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("tsunagu.")]


def test_every_model_of_the_project_derives_from_the_base():
    found = project_models()
    assert len(found) > 50
    assert [m.__name__ for m in found if not issubclass(m, ChoiceLabels)] == []


def test_every_choice_of_every_model_reads_as_djangos_own_display():
    checked = 0
    for model in project_models():
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            for value, label in field.flatchoices:
                row = model(**{field.attname: value})
                shown = getattr(row, f"get_{field.name}_display")()
                assert shown == models.Model._get_FIELD_display(row, field) == str(label), (model, field.name)
                checked += 1
            unknown = model(**{field.attname: "no-such-value"})
            assert getattr(unknown, f"get_{field.name}_display")() == "no-such-value"
    assert checked > 100


def test_the_labels_are_kept_once_per_field_and_stay_lazy():
    from tsunagu.cases.models import Case, CaseState

    field = Case._meta.get_field("state")
    assert choice_labels(field) is choice_labels(field)
    assert choice_labels(field)[CaseState.IN_SUPPORT] is CaseState.IN_SUPPORT.label  # translated when shown
    assert Case(state=CaseState.IN_SUPPORT).get_state_display() == "支援提供・モニタリング"
