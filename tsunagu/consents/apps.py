from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "tsunagu.consents"
    label = "consents"
