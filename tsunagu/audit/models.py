"""The audit trail: append-only, hash-chained, written in the same transaction as the
change it records (docs/audit.md)."""

import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.models import Model

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagu.accounts.models import Staff

GENESIS_HASH = "0" * 64
# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_273_001


class Action(models.TextChoices):
    VIEW = "view", _("閲覧")
    SEARCH = "search", _("検索")
    CREATE = "create", _("作成")
    CHANGE = "change", _("変更")
    TRANSITION = "transition", _("状態の変更")
    EXPORT = "export", _("出力")
    DENIED = "denied", _("アクセス拒否")
    LOGIN = "login", _("ログイン")
    LOGOUT = "logout", _("ログアウト")
    LOGIN_FAILED = "login_failed", _("ログイン失敗")
    LOCKED = "locked", _("ログインのロック")
    UNLOCKED = "unlocked", _("ログインのロック解除")


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit trail is append-only.")

    def for_person(self, code: uuid.UUID) -> "AuditEventQuerySet":
        return self.filter(person_code=code)


class AuditEvent(Model):
    at = models.DateTimeField(_("日時"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作者"),
    )
    # Kept as text too, so the row still says who it was if an account is renamed.
    actor_label = models.CharField(_("操作者名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("対象の種類"), max_length=50, blank=True)
    object_code = models.CharField(_("対象"), max_length=64, blank=True)
    person_code = models.UUIDField(_("相談者"), null=True, blank=True, db_index=True)
    case_code = models.UUIDField(_("ケース"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("変更内容"), default=dict, blank=True)
    detail = models.CharField(_("詳細"), max_length=500, blank=True)
    path = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査記録")
        verbose_name_plural = _("監査記録")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit trail is append-only.")

    @property
    def object_label(self) -> str:
        """What the event was about, in the reader's words (the access log shows it)."""
        return object_type_label(self.object_type)

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.payload())

    def payload(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_code": self.object_code,
            "person_code": str(self.person_code) if self.person_code else "",
            "case_code": str(self.case_code) if self.case_code else "",
            "changes": self.changes,
            "detail": self.detail,
            "path": self.path,
        }


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def record(
    actor: "Staff | AnonymousUser | None",
    action: str,
    obj: models.Model | None = None,
    *,
    person_code: uuid.UUID | None = None,
    case_code: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    detail: str = "",
    path: str = "",
    object_type: str = "",
    object_code: str = "",
) -> AuditEvent:
    """Append one event to the chain. Call it inside the transaction of the change.

    The person and case codes are taken from the object when it has them, so that
    "who looked at this person" is one indexed query."""
    return record_for_people(
        actor,
        action,
        obj,
        [person_code],
        case_code=case_code,
        changes=changes,
        detail=detail,
        path=path,
        object_type=object_type,
        object_code=object_code,
    )[0]


def record_for_people(
    actor: "Staff | AnonymousUser | None",
    action: str,
    obj: models.Model | None,
    person_codes: "list[uuid.UUID | None]",
    *,
    case_code: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    detail: str = "",
    path: str = "",
    object_type: str = "",
    object_code: str = "",
) -> list[AuditEvent]:
    """One event per person, in one insert: a page that shows several people (a meeting's
    papers) is then in each one's access log. The events are chained in order."""
    derived_person = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_code = object_code or str(getattr(obj, "code", None) or obj.pk)
        derived_person = _code_of(obj, "person")
        case_code = case_code or _code_of(obj, "case")
    staff = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH
        now = timezone.now()
        events = []
        for person_code in person_codes or [None]:
            event = AuditEvent(
                at=now,
                actor=staff,
                actor_label=str(staff.get_username()) if staff else "",
                action=action,
                object_type=object_type,
                object_code=object_code,
                person_code=person_code or derived_person,
                case_code=case_code,
                changes=_jsonable(changes or {}),
                detail=detail[:500],
                path=path[:300],
                prev_hash=previous,
            )
            event.hash = previous = event.compute_hash()
            events.append(event)
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events)
    return events


def _code_of(obj: models.Model, kind: str) -> uuid.UUID | None:
    label = obj._meta.model_name
    if label == kind:
        return getattr(obj, "code", None)
    related = getattr(obj, kind, None)
    if related is not None:
        return getattr(related, "code", None)
    if kind == "person":
        case = getattr(obj, "case", None)
        if case is not None:
            return case.person.code
    return None


def _jsonable(value: Any) -> Any:
    """Dates, UUIDs and model instances as text, so the hash is stable after a reload."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def first_broken_event() -> tuple[AuditEvent, str] | None:
    """The first row whose hash or link does not hold, with what is wrong."""
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            return event, "prev_hash does not match the row before (a row was removed or reordered)"
        if event.compute_hash() != event.hash:
            return event, "hash does not match the row's content (the row was altered)"
        previous = event.hash
    return None


# Audited things that are pages or documents rather than one model.
PAGE_LABELS = {
    "view": _("画面"),
    "sheets": _("帳票"),
    "sheets.as_of": _("過去の日付の帳票"),
    "people.access_log": _("閲覧・操作の記録"),
    "cases.progressnote_history": _("支援経過記録の修正履歴"),
    "consents.register": _("情報提供の記録"),
    "resources.for_case": _("ケースに合う社会資源"),
}
DOCUMENT_SUFFIXES = {"pdf": _("PDF"), "xlsx": _("Excel")}


def object_type_label(object_type: str) -> str:
    """`sheets.plansheet` → 「プラン」: the model's verbose_name, a page's name, or the app's."""
    if object_type in PAGE_LABELS:
        return str(PAGE_LABELS[object_type])
    app_label, _dot, rest = object_type.partition(".")
    name, _dot, suffix = rest.partition(".")
    label = ""
    try:
        label = str(apps.get_model(app_label, name)._meta.verbose_name) if name else ""
    except LookupError:
        base = f"{app_label}.{name}"
        label = str(PAGE_LABELS.get(base, ""))
    if not label:
        return str(_("その他"))
    if suffix in DOCUMENT_SUFFIXES:
        return f"{label}（{DOCUMENT_SUFFIXES[suffix]}）"
    return label
