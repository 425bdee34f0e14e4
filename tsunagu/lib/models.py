"""The base of every model of the project (issue 12: what the case page's profile showed).

Django's `get_FOO_display()` builds a dict of the field's choices on every call, and
building it hashes each choice's label: a lazy translation, so one gettext per choice
(40 µs for the 15 states of a case, 8–11 % of the case, meeting and /my/ pages, which
call it 50–80 times). `Model` keeps that dict once per field and translates only the
label it returns: the same text, in the language active at the call."""

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def choice_labels(field: models.Field) -> dict[Any, Any]:
    """The field's choices as a dict of value to (lazy) label, made once per field: model
    fields' choices are fixed when the class is made."""
    labels = field.__dict__.get("_choice_labels")
    if labels is None:
        labels = field.__dict__["_choice_labels"] = {make_hashable(value): label for value, label in field.flatchoices}
    return labels


class ChoiceLabels:
    """`get_FOO_display()` through `choice_labels`, for a model that cannot derive from
    `Model` (the user model derives from Django's AbstractUser)."""

    def _get_FIELD_display(self, field: models.Field) -> str:  # noqa: N802  (Django's name)
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)


class Model(ChoiceLabels, models.Model):
    class Meta:
        abstract = True
