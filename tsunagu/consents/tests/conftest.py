"""Fixtures and helpers of the consents tests, on top of the root `world`:

- partner (地域包括支援センター) is on taro's case team, and taro consented (w.consent)
  to share BASIC, PLAN and PROGRESS with the 地域包括 for TEAM, REFERRAL and COORDINATION;
- partner_outsider (居住支援法人) is on no team and named by no consent;
- `shared`: taro's case with a note shared with the team, one kept inside the centre,
  and a plan with an ordinary row and a row about mental health (要配慮).
"""

from types import SimpleNamespace

import pytest

from tsunagu.cases.models import CaseConcern
from tsunagu.consents.tests.helpers import add_note, make_plan


@pytest.fixture
def shared(world: SimpleNamespace) -> SimpleNamespace:
    world.shared_note = add_note(world.case, world.consultant, "包括と共有する記録：大家さんと面談した。", shared=True)
    world.inner_note = add_note(
        world.case, world.consultant, "センター内だけの記録：本人は不眠を訴えた。", shared=False
    )
    world.plan = make_plan(world.case, world.consultant, world.community_care)
    CaseConcern.objects.create(case=world.case, concern="health")
    return world
