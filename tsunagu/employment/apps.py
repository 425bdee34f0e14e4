from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "tsunagu.employment"
    verbose_name = "就労支援"
