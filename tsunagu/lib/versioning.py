"""Optimistic locking: a form carries the version it was read at, and a save made
after someone else's is refused instead of silently overwriting it."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db import models, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# The one message of a refused stale save; only the noun changes (stale_edit).
_STALE = _(
    "他の職員がこの%(noun)sを先に更新しました。あなたの入力は残っています。内容を確かめてから、もう一度保存してください。"
)
# The same for a button that carries no input (an archive, a plan added from a list).
_STALE_ACTION = _("他の職員がこの%(noun)sを先に更新しました。内容を確かめてから、もう一度操作してください。")


def stale_edit(noun: "StrOrPromise", *, kept: bool = True) -> str:
    """The message of a refused stale save of this `noun` (「ケース」, 「帳票（第3版）」);
    `kept=False` where there was no input to keep."""
    return str(_STALE if kept else _STALE_ACTION) % {"noun": noun}


# For forms that need no noun of their own.
STALE_EDIT = lazy(lambda: stale_edit(_("記録")), str)()


class StaleEditError(Exception):
    """The record changed since the form was read; `current` is the stored version."""

    def __init__(self, current: Any) -> None:
        super().__init__("stale edit")
        self.current = current


def save_if_current(instance: Any, expected_version: int, fields: Iterable[str]) -> None:
    """Save `fields` of `instance` if the stored version is still `expected_version`,
    bumping the version; otherwise raise StaleEditError and write nothing."""
    model = type(instance)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            raise StaleEditError(current)
        instance.version = expected_version + 1
        update_fields = {*fields, "version"}
        if hasattr(instance, "updated_at"):
            instance.updated_at = timezone.now()
            update_fields.add("updated_at")
        instance.save(update_fields=sorted(update_fields))


def refuse_stale_form(form: forms.BaseForm, current: Any, message: "StrOrPromise", field: str = "version") -> None:
    """Tell the user someone else saved first; keep what they typed, and carry the
    stored version so that saving again (after reading the current values) succeeds."""
    form.add_error(None, message)
    data = cast(QueryDict, form.data).copy()
    data[field] = str(current.version)
    form.data = data


def changed_fields(before: models.Model, after: models.Model, fields: Iterable[str]) -> dict[str, list[str]]:
    """{field: [old, new]} for the audit trail, as text."""
    return {
        name: [str(getattr(before, name)), str(getattr(after, name))]
        for name in fields
        if getattr(before, name) != getattr(after, name)
    }
