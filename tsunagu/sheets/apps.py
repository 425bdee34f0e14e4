from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "tsunagu.sheets"
    label = "sheets"
    verbose_name = _("帳票")
