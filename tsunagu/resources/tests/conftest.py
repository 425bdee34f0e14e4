"""Helpers for the resource directory's tests (the `world` fixture is in tsunagu/conftest.py)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from tsunagu.resources.models import Resource


def make_resource(world: Any, name: str, **extra: Any) -> Resource:
    districts = extra.pop("districts", [])
    values: dict[str, Any] = {
        "municipality": world.town,
        "kind": "service",
        "fields": ["welfare"],
        "issues": [],
        "provider_name": "テスト団体",
        "last_checked_on": timezone.localdate() - dt.timedelta(days=10),
        "created_by": world.chief,
    }
    values.update(extra)
    resource = Resource(name=name, **values)
    resource.save()
    resource.districts.set(districts)
    return resource
