# The link between an intake sheet version and the consent given on it, turned around:
# the sheet points at the consents (sheets sit above consents; issue 14). The links of
# Consent.intake_sheet are copied here; consents 0002 then removes that field. Backwards,
# the links go back to Consent.intake_sheet (which consents 0002 has put back) before the
# table is dropped.

from django.db import migrations, models

BATCH = 1000


def copy_to_sheets(apps, schema_editor):
    Consent = apps.get_model("consents", "Consent")
    Link = apps.get_model("sheets", "IntakeSheet").consents.through
    pairs = Consent.objects.filter(intake_sheet__isnull=False).values_list("pk", "intake_sheet_id").order_by("pk")
    Link.objects.bulk_create(
        (Link(consent_id=consent, intakesheet_id=sheet) for consent, sheet in pairs.iterator(chunk_size=BATCH)),
        batch_size=BATCH,
    )


def copy_to_consents(apps, schema_editor):
    Consent = apps.get_model("consents", "Consent")
    Link = apps.get_model("sheets", "IntakeSheet").consents.through
    # A consent recorded on one version only, as before; should it be on several, the latest.
    sheet_of: dict[int, int] = {}
    for consent, sheet in Link.objects.values_list("consent_id", "intakesheet_id").order_by("intakesheet_id"):
        sheet_of[consent] = sheet
    consents = [Consent(pk=consent, intake_sheet_id=sheet) for consent, sheet in sheet_of.items()]
    Consent.objects.bulk_update(consents, ["intake_sheet"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0001_consent_and_disclosure'),
        ('sheets', '0004_statistics_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='intakesheet',
            name='consents',
            field=models.ManyToManyField(blank=True, related_name='intake_sheets', to='consents.consent', verbose_name='この版で記録した同意'),
        ),
        migrations.RunPython(copy_to_sheets, copy_to_consents, elidable=False),
    ]
