# The indexes the national statistics read (tsunagu/statistics/definitions.py).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_case_statistics_indexes'),
        ('sheets', '0003_plan_employment_support'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='decisionextension',
            index=models.Index(fields=['decided_on'], name='extension_decided_on'),
        ),
        migrations.AddIndex(
            model_name='evaluationsheet',
            index=models.Index(fields=['evaluated_on'], name='evaluation_evaluated_on'),
        ),
        migrations.AddIndex(
            model_name='plansheet',
            index=models.Index(condition=models.Q(('agreed_on__isnull', False)), fields=['agreed_on'], name='plan_agreed_on'),
        ),
        migrations.AddIndex(
            model_name='plansheet',
            index=models.Index(fields=['case', 'agreed_on'], name='plan_case_agreed_on'),
        ),
        migrations.AddIndex(
            model_name='supportdecision',
            index=models.Index(fields=['programme', 'decided_on'], name='decision_programme_decided'),
        ),
    ]
