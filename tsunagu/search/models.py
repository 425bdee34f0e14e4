"""The full-text index: one SearchDocument per record that holds free text, kept in step
with the record by the receivers in `tsunagu.search.index`.

The grams themselves live outside the model's fields, in what each database serves
best (migration 0001): an `int4[]` column `grams` with a GIN index on PostgreSQL, an
FTS5 table `search_gram` (rowid = the document's id) on SQLite.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.models import Model


class Kind(models.TextChoices):
    NOTE = "note", _("支援経過記録")
    INTAKE = "intake", _("相談受付・申込票")
    ASSESSMENT = "assessment", _("アセスメントシート")
    PLAN = "plan", _("プラン")
    EVALUATION = "evaluation", _("評価シート")
    REFERRAL = "referral", _("つなぎ")
    MEETING = "meeting", _("会議の記録")
    AGENDA_ITEM = "agenda_item", _("議事の記録")
    REPORT = "report", _("サポーターからの情報")


class SearchDocument(Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The indexed record: its primary key (unique per kind) and its public code, for links.
    object_id = models.BigIntegerField()
    object_code = models.UUIDField()
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+")
    # What decides who may read it (the access functions of each app, at query time).
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", null=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", null=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+", null=True)
    report = models.ForeignKey("community.SupporterReport", on_delete=models.CASCADE, related_name="+", null=True)
    written_at = models.DateTimeField()
    # The record's text fields, joined with tsunagu.lib.fulltext.FIELD_BREAK.
    text = models.TextField()
    # The same, folded (tsunagu.lib.fulltext.fold): what a query is checked against.
    folded = models.TextField()

    class Meta:
        db_table = "search_document"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["municipality", "-written_at", "-id"], name="search_document_newest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_code}"
