"""Form fields shared by every app: dates typed as 和暦 or 西暦, postal codes, and
the hidden version that detects a stale form."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.wareki import format_wareki, parse_date

# Labels of the empty choice in selects (Django's default has no Japanese translation).
CHOOSE = _("選んでください")
ALL = _("すべて")


# The largest id a database row can have (a 64-bit integer).
MAX_ID = 2**63 - 1


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id. A value that is not an id at all (letters, or a
    number no row can have) is a field error, not a database error."""

    default_error_messages = {
        "invalid_choice": _("一覧にないものが選ばれています。一覧から選んでください。"),
        "invalid_pk_value": _("一覧にないものが選ばれています。一覧から選んでください。"),
    }

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            text = str(pk).strip()
            if not (text.isascii() and text.isdigit() and int(text) <= MAX_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]


class JapaneseDateInput(forms.TextInput):
    input_type = "text"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return format_wareki(value, seireki=False)
        return super().format_value(value)


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as 2026-11-26."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class JapaneseDateField(forms.DateField):
    """Accepts 令和8年11月26日, R8.11.26, 2026-11-26, 2026/11/26 and 20261126."""

    widget = JapaneseDateInput
    default_error_messages = {
        "invalid": _("日付として読めません。例: 昭和50年4月1日、S50.4.1、1975-04-01"),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class BirthDateField(JapaneseDateField):
    """A birth date: not in the future, not before 1900."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate():
            raise forms.ValidationError(_("生年月日が未来の日付になっています。"), code="future")
        if value < dt.date(1900, 1, 1):
            raise forms.ValidationError(_("生年月日が古すぎます。1900年以降の日付を入れてください。"), code="past")


_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")


class PostalCodeField(forms.CharField):
    """Seven digits, typed with or without the hyphen, in any width; stored as 123-4567."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})

    def clean(self, value: Any) -> str:
        text = unicodedata.normalize("NFKC", str(value or "")).strip().replace("ー", "-").replace("−", "-")
        if not text:
            return super().clean("")
        match = _POSTAL.match(text)
        if not match:
            raise forms.ValidationError(_("郵便番号は7桁の数字で入れてください（例: 012-0801）。"), code="invalid")
        return f"{match[1]}-{match[2]}"


class ModelForm(forms.ModelForm):
    """The project's model form: the empty choice of every select reads 選んでください."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = CHOOSE
            elif isinstance(field, forms.ChoiceField):
                options = list(cast(Iterable[tuple[Any, Any]], field.choices))
                if options and options[0][0] == "":
                    field.choices = [("", CHOOSE), *options[1:]]


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, typed, to narrow its queryset."""
    return cast(forms.ModelChoiceField, form.fields[name])


class VersionField(forms.IntegerField):
    """The version of the record the form was read at (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
