"""A user's open tasks by due date through a partial index (/my/, issue 12)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_case_last_note_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="task",
            name="task_assignee_open",
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["assignee", "due_on", "id"],
                name="task_assignee_open_due",
            ),
        ),
    ]
