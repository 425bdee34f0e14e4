"""Fixtures of the community tests, on top of the root `world` (tsunagu/conftest.py):

- a second supporter (a mail carrier without an account) with a personal link whose
  token the tests know (`w.link_token`), watching over 西小二丁目 (w.neighbourhood2)
- a report helper that writes a report as the supporter would
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tsunagu.community.access import token_hash
from tsunagu.community.models import Neighbourhood, Supporter, SupporterKind, SupporterLink, SupporterReport
from tsunagu.conftest import make_supporter

LINK_TOKEN = "test-link-token-for-the-mail-carrier-0123456789"


def make_report(world: Any, supporter: Supporter | None = None, **extra: Any) -> SupporterReport:
    supporter = supporter or world.supporter_record
    defaults: dict[str, Any] = {
        "supporter": supporter,
        "municipality": supporter.municipality,
        "district": world.district,
        "signs": ["mail_piling_up"],
        "place": "東小一丁目2-3 のあたり",
        "reporter_contact": "090-1111-2222",
        "submitted_at": timezone.now() - dt.timedelta(hours=1),
    }
    defaults.update(extra)
    return SupporterReport.objects.create(**defaults)


@pytest.fixture
def community(world: Any) -> Any:
    world.neighbourhood2 = Neighbourhood.objects.create(district=world.district2, name="西小二丁目")
    post_office = {"organisation": "つなぐ郵便局", "phone": "0183-00-1111"}
    world.mail_carrier = make_supporter(
        world.town, "斎藤 郵便", SupporterKind.MAIL, world.chief, [world.neighbourhood2], **post_office
    )
    world.link = SupporterLink.objects.create(
        supporter=world.mail_carrier, token_hash=token_hash(LINK_TOKEN), issued_by=world.chief
    )
    world.link_token = LINK_TOKEN
    return world
