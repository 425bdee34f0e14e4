# Consent.intake_sheet goes: the intake sheet version points at its consents now (sheets
# 0005, which copied the links first). What the consent itself keeps is the fact that it
# was given on the application form (on_application, the 申込票 badge).

from django.db import migrations, models


def mark_application_consents(apps, schema_editor):
    Consent = apps.get_model("consents", "Consent")
    Consent.objects.filter(intake_sheet__isnull=False).update(on_application=True)


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0001_consent_and_disclosure'),
        ('sheets', '0005_intake_sheet_consents'),
    ]

    operations = [
        migrations.AddField(
            model_name='consent',
            name='on_application',
            field=models.BooleanField(default=False, editable=False, verbose_name='申込票での同意'),
        ),
        # Backwards, sheets 0005 puts the links back; the flag goes with its column.
        migrations.RunPython(mark_application_consents, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='consent',
            name='intake_sheet',
        ),
    ]
