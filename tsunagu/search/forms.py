from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.forms import Form
from tsunagu.lib.fulltext import query_terms

MAX_LENGTH = 50
MAX_TERMS = 5


class SearchForm(Form):
    q = forms.CharField(
        label=_("記録を検索"),
        required=True,
        max_length=MAX_LENGTH,
        strip=True,
        error_messages={
            "required": _("探す言葉を入れてください。"),
            "max_length": _("探す言葉は%(limit_value)d文字以内にしてください（いまは%(show_value)d文字です）。"),
        },
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "1文字から探せます。ひらがな・カタカナ、全角・半角の違いは区別しません。空白で区切ると、すべての言葉を含む記録を探します。"
        ),
    )

    def clean_q(self) -> str:
        query: str = self.cleaned_data["q"]
        terms = query_terms(query)
        if not terms:
            raise forms.ValidationError(_("探す言葉を入れてください（記号や空白だけでは探せません）。"), code="empty")
        if len(terms) > MAX_TERMS:
            raise forms.ValidationError(
                _("言葉は%(limit)d個までにしてください。") % {"limit": MAX_TERMS}, code="too_many"
            )
        return query

    @property
    def terms(self) -> list[str]:
        return query_terms(self.cleaned_data["q"])
