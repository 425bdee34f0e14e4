# Consent.intake_sheet goes: the intake sheet version points at its consents now
# (sheets 0005, which copied the links first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0001_consent_and_disclosure'),
        ('sheets', '0005_intake_sheet_consents'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='consent',
            name='intake_sheet',
        ),
    ]
