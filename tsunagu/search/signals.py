"""The receivers that keep the index in step with every save and delete of an indexed
record (and of the rows a sheet's text is made of), in the same transaction."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from tsunagu.meetings.models import Meeting
from tsunagu.search.index import SOURCE_OF_MODEL, SOURCES, index_record, index_record_latest, midday, unindex_record
from tsunagu.search.models import Kind, SearchDocument
from tsunagu.sheets.models import EvaluationSheet, GoalAttainment, PlanItem, PlanSheet


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the rebuild command indexes fixtures
        return
    index_record(instance)
    if sender is Meeting:  # its items are dated by the meeting
        SearchDocument.objects.filter(kind=Kind.AGENDA_ITEM, meeting_id=instance.pk).update(
            written_at=midday(instance.held_on)
        )


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    unindex_record(instance)


def _part_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if sender is PlanItem:
        index_record_latest(SOURCE_OF_MODEL[PlanSheet], instance.plan.case_id)
    else:
        index_record_latest(SOURCE_OF_MODEL[EvaluationSheet], instance.evaluation.case_id)


def connect() -> None:
    for source in SOURCES:
        post_save.connect(_saved, sender=source.model, dispatch_uid=f"search-save-{source.kind}")
        post_delete.connect(_deleted, sender=source.model, dispatch_uid=f"search-delete-{source.kind}")
    for part in (PlanItem, GoalAttainment):
        post_save.connect(_part_changed, sender=part, dispatch_uid=f"search-save-{part.__name__}")
        post_delete.connect(_part_changed, sender=part, dispatch_uid=f"search-delete-{part.__name__}")
