from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tsunagu.accounts"
    label = "accounts"
    verbose_name = _("アカウントと機関")

    def ready(self) -> None:
        from tsunagu.accounts import checks, signals  # noqa: F401  (the login audit; the deploy check)
