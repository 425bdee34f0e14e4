"""A posted id that is no id at all (letters, or a number no row can have) is a field
error with a Japanese message, never a database error (500), on every form that chooses
several objects (lib.forms.IdMultipleChoiceField)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tsunagu.community.models import Supporter
from tsunagu.community.tests.test_network import supporter_data
from tsunagu.consents.models import Consent
from tsunagu.consents.tests.test_consent_views import consent_data
from tsunagu.lib.forms import IdMultipleChoiceField
from tsunagu.resources.models import Resource
from tsunagu.resources.tests.test_directory import NEW, form_data

HUGE = "9" * 30
MESSAGE = "一覧にないものが選ばれています。"


@pytest.mark.parametrize("value", [HUGE, "abc", "-1", "１２"])
def test_the_field_refuses_what_is_no_id(db, value):
    from tsunagu.accounts.models import Agency

    field = IdMultipleChoiceField(queryset=Agency.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([value])
    assert refused.value.code == "invalid_pk_value"
    assert MESSAGE in refused.value.messages[0]


def test_consents(client, world):
    client.force_login(world.consultant)
    url = reverse("consents:new", kwargs={"code": world.taro.code})
    response = client.post(url, consent_data(world, agencies=[HUGE]))
    assert response.status_code == 422
    assert not Consent.objects.filter(note="住まい探しのため").exists()


def test_supporters(client, world):
    client.force_login(world.consultant)
    response = client.post(reverse("community:supporter_new"), supporter_data(world, neighbourhoods=[HUGE]))
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    assert not Supporter.objects.filter(name="佐々木 牛乳").exists()


def test_resources(client, world):
    client.force_login(world.consultant)
    response = client.post(NEW, form_data(world, districts=[HUGE]))
    assert response.status_code == 422
    assert MESSAGE in response.content.decode()
    assert not Resource.objects.filter(name="フードバンクつなぐ 緊急食料").exists()


def test_intake_consent_agencies(client, world):
    from tsunagu.sheets.models import IntakeSheet
    from tsunagu.sheets.tests.test_views import intake_data

    client.force_login(world.consultant)
    url = reverse("sheets:intake", kwargs={"code": world.case.code})
    response = client.post(url, intake_data(world, consent_agencies=[HUGE]))
    assert MESSAGE in response.content.decode()
    assert "家賃を2か月滞納している。" in response.content.decode()  # what was typed is kept
    assert not IntakeSheet.objects.filter(case=world.case).exists()
