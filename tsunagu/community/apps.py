from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "tsunagu.community"
    label = "community"
