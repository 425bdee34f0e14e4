"""Form fields shared by every app: dates typed as 和暦 or 西暦, postal codes, and
the hidden version that detects a stale form."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.contact import is_phone, normalise_email, normalise_phone, normalise_url
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
        "invalid": _("日付として読めません。例: 昭和50年4月1日、S50.4.1、1975/4/1"),
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


class PhoneField(forms.CharField):
    """A Japanese phone number in any width, with any dash: stored as 090-1234-5678."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def to_python(self, value: Any) -> str:
        return normalise_phone(str(super().to_python(value)))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not is_phone(value):
            raise forms.ValidationError(
                _("電話番号は0から始まる10桁か11桁の数字で入れてください（例: 0183-72-1234、090-1234-5678）。"),
                code="invalid",
            )


class EmailField(forms.EmailField):
    """An e-mail address typed in full width or with spaces is folded, then checked."""

    def to_python(self, value: Any) -> str:
        return normalise_email(str(super().to_python(value)))


class UrlField(forms.URLField):
    """A web address folded (NFKC, no spaces) before it is checked."""

    def to_python(self, value: Any) -> str:
        return super().to_python(normalise_url(str(value or ""))) or ""


# The model fields that take these form fields (`Meta.field_classes`).
CONTACT_FIELDS = {"phone": PhoneField, "email": EmailField, "url": UrlField}


DEFAULT_REQUIRED = forms.Field.default_error_messages["required"]
CHOSEN = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField, forms.FileField)


def name_required_fields(form: forms.BaseForm) -> None:
    """Django's 「このフィールドは必須です。」 says neither which field nor what to do: a
    required field without its own message gets 「氏名（名）を入れてください。」 or, for a
    choice, 「相談経路を選んでください。」."""
    for field in form.fields.values():
        if field.error_messages.get("required") != DEFAULT_REQUIRED or not field.label:
            continue
        if isinstance(field, CHOSEN):
            field.error_messages["required"] = _("「%(label)s」を選んでください。") % {"label": field.label}
        else:
            field.error_messages["required"] = _("「%(label)s」を入れてください。") % {"label": field.label}


# Dates a record of the centre can carry; outside them a date is a typing slip (and
# 9999-12-31 or year 1 overflow the arithmetic of calendars, reminders and time zones).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def invisible_characters(text: str) -> list[str]:
    """The characters of `text` that show nothing but change how it shows: bidirectional
    controls (U+202E …), zero-width and other format characters (Unicode category Cf),
    line/paragraph separators and control characters other than tab and newline.
    Variation selectors (異体字 of names) are marks (Mn), not format characters: kept."""
    found = []
    for char in text:
        category = unicodedata.category(char)
        if category in {"Cf", "Zl", "Zp"} or (category == "Cc" and char not in "\t\n\r"):
            found.append(f"U+{ord(char):04X}")
    return found


def reject_invisible_characters(value: Any) -> None:
    if isinstance(value, str) and (found := invisible_characters(value)):
        raise forms.ValidationError(
            _(
                "表示されない制御文字（文字の向きを変える記号など: %(chars)s）が含まれています。"
                "取り除いてから、もう一度入れてください。"
            ),
            code="invisible",
            params={"chars": "、".join(dict.fromkeys(found))},
        )


def reject_out_of_range_date(value: Any) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if isinstance(day, dt.date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise forms.ValidationError(
            _("日付は1900年1月1日から2100年12月31日までの間で入れてください。"), code="date_out_of_range"
        )


def _check_for(field: forms.Field) -> Any:
    if isinstance(field, forms.CharField):
        return reject_invisible_characters
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return reject_out_of_range_date
    return None


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """Django's Select, written out in Python instead of a template per option: the same
    HTML, byte for byte (tested), in a tenth of the time. A list of a large centre's
    workers (about 700 at 100,000 cases) took 37 ms to render through the templates, the
    largest part of the case list (docs/benchmarks.md). Every form of the project gets it
    in place of Select (SafeInputMixin)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                    f"{conditional_escape(option['label'])}</option>\n"  # the option template's last line end
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every part escaped above


class SafeInputMixin(forms.BaseForm):
    """Required fields say which field is missing (name_required_fields). Every text
    field of the form refuses invisible control characters (a name written
    with U+202E can display as another name), and every date field a date outside
    EARLIEST_DATE..LATEST_DATE, each with a message next to the field. The checks are
    added when the form is cleaned, so fields a form adds in its __init__ get them too.
    Every form of the project derives from `Form` or `ModelForm` below (a test checks).
    Its selects render through FastSelect, those a form sets in its __init__ too."""

    def __getitem__(self, name: str) -> forms.BoundField:
        field = self.fields.get(name)
        if field is not None and type(field.widget) is forms.Select:
            field.widget.__class__ = FastSelect
        return super().__getitem__(name)

    def full_clean(self) -> None:
        name_required_fields(self)
        for field in self.fields.values():
            check = _check_for(field)
            if check is not None and check not in field.validators:
                field.validators.append(check)
        super().full_clean()


class Form(SafeInputMixin, forms.Form):
    """The project's plain form (see SafeInputMixin)."""


class ModelForm(SafeInputMixin, forms.ModelForm):
    """The project's model form (see SafeInputMixin): the empty choice of every select
    reads 選んでください."""

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


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: the POST, bound even when it is empty (an empty or JSON body then
    gets the form's messages; `request.POST or None` would leave the form unbound and
    its checks unrun), None for a GET."""
    return request.POST if request.method == "POST" else None


STALE_PAGE = _("画面が古くなっています。読み込み直してから、もう一度操作してください。")


class VersionField(forms.IntegerField):
    """The version of the record the form was read at (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
        # Only a page kept open too long (or altered) sends a missing or malformed version.
        for key in ("required", "invalid", "min_value", "max_value"):
            self.error_messages[key] = STALE_PAGE
