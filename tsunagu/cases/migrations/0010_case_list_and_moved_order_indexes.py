from django.db import migrations, models


class Migration(migrations.Migration):
    # 0007 is already merged into main; these two indexes came after it (issue 12).
    dependencies = [
        ('cases', '0009_case_statistics_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['-state_changed_at', '-id'], name='case_latest_moved'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['-opened_on', '-id'], name='case_list_order'),
        ),
    ]
