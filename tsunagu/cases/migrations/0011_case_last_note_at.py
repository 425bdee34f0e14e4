"""Case.last_note_at: the time of a case's latest progress note, kept by the receivers of
cases.models (refresh_last_note), filled here from the notes; and the index through which
/my/ reads a worker's quiet cases (issue 12)."""

from django.conf import settings
from django.db import migrations, models

FILL = """
UPDATE cases_case SET last_note_at = (
    SELECT max(note.occurred_at) FROM cases_progressnote note WHERE note.case_id = cases_case.id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_district_code"),
        ("cases", "0010_case_list_and_moved_order_indexes"),
        ("people", "0002_emergency_read_and_team_delegation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="last_note_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="最新の支援経過記録"),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    (
                        "state__in",
                        [
                            "applied",
                            "assessment",
                            "coordination",
                            "decided",
                            "evaluation",
                            "follow_up",
                            "identified",
                            "in_support",
                            "intake",
                            "plan_draft",
                            "screening",
                        ],
                    )
                ),
                fields=["worker", "last_note_at", "id"],
                name="case_worker_quiet",
            ),
        ),
    ]
