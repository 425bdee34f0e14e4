from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.forms import Form, SafeInputMixin


class CodeForm(Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=20,
        help_text=_(
            "認証アプリに表示されている6桁の数字。スマートフォンが手元にないときは、回復コード（英数字8文字）も使えます。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        error_messages={"required": _("確認コードを入力してください。")},
    )


class EnrolForm(Form):
    code = forms.CharField(
        label=_("確認コード"),
        max_length=10,
        help_text=_("認証アプリに登録したあと、アプリに表示される6桁の数字を入力してください。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("確認コードを入力してください。")},
    )


class OwnPasswordForm(SafeInputMixin, PasswordChangeForm):
    """Django's form (current password, then the new one twice, checked by the validators
    in settings.AUTH_PASSWORD_VALIDATORS), with Japanese labels."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["old_password"].label = _("いまのパスワード")
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields["new_password1"].help_text = _(
            "12文字以上。英字・数字・記号を混ぜる必要はありません。覚えやすい長い文（例：4つ以上の言葉をつなげたもの）がおすすめです。"
            "よく使われるパスワード、数字だけのもの、ユーザー名や名前に似たものは使えません。"
        )
        self.fields["new_password2"].label = _("新しいパスワード（確認）")
