from django.db import migrations, models
import uuid


def fill_codes(apps, schema_editor):
    """Every existing row gets its own code (a default on AddField would give them one)."""
    model = apps.get_model("accounts", "District")
    for row in model.objects.filter(code__isnull=True).only("pk"):
        model.objects.filter(pk=row.pk).update(code=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_staff_deputy_chief"),
    ]

    operations = [
        migrations.AddField(
            model_name="district",
            name="code",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="district",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
