import datetime as dt

import pytest

from tsunagu.programmes.models import HousingApplication
from tsunagu.sheets.models import DecisionExtension, SupportDecision

D = dt.date

APPLICATION = {
    "applied_on": "2026-10-20",
    "lost_work": "on",
    "household_size": "1",
    "monthly_income": "40000",
    "assets": "100000",
    "rent": "42000",
    "landlord_name": "湯沢不動産",
    "bank_name": "秋田銀行",
    "bank_branch": "湯沢支店",
    "account_type": "ordinary",
    "account_number": "1234567",
    "account_holder": "ユザワフドウサン",
}


def application_values(**changes):
    """APPLICATION as the form cleans it (typed values), with `changes` to what is posted:
    what the application pages hand to changes.save_application."""
    from tsunagu.programmes.forms import ApplicationForm

    form = ApplicationForm({**APPLICATION, **changes})
    assert form.is_valid(), form.errors
    return {name: form.cleaned_data[name] for name in HousingApplication.FACT_FIELDS}


def decide(world, case, programme, starts_on, ends_on, *extensions):
    decision = SupportDecision.objects.create(
        case=case,
        programme=programme,
        decided_on=starts_on - dt.timedelta(days=5),
        starts_on=starts_on,
        ends_on=ends_on,
        decided_by=world.officer,
    )
    for new_end in extensions:
        DecisionExtension.objects.create(
            decision=decision,
            requested_on=starts_on,
            decided_on=starts_on,
            new_ends_on=new_end,
            decided_by=world.officer,
        )
    return decision


@pytest.fixture
def housing(world, client):
    """山田太郎's 住居確保給付金: decided for 2026-11-01–2027-01-31, extended to 2027-04-30."""
    from django.urls import reverse

    decide(world, world.case, "housing_benefit", D(2026, 11, 1), D(2027, 1, 31), D(2027, 4, 30))
    client.force_login(world.consultant)
    client.post(reverse("programmes:application_add", kwargs={"code": world.case.code}), APPLICATION)
    client.logout()
    return HousingApplication.objects.get(case=world.case)
