"""The admin site is for configuration only (municipalities, districts, agencies,
accounts) and only for the `admin` role. Personal records are not registered here:
they are reached only through the access functions of the app's own screens.

Every change made here goes into the hash-chained audit trail with its field diffs. The
site cannot change its own account's role, agency or flags, and cannot make anyone chief
or admin: that is `manage.py grant_role`, run on the server (docs/security.md)."""

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts import lockout
from tsunagu.accounts.models import Agency, District, Municipality, Role, Staff
from tsunagu.audit.models import Action, record

# Roles the admin site never grants: they read every whereabouts (chief) or configure
# every account (admin). `manage.py grant_role` grants them, on the server.
PRIVILEGED_ROLES = frozenset({Role.CHIEF, Role.ADMIN})
# Fields of the admin's own account that the site will not change.
OWN_ACCOUNT_LOCKED = ("role", "agency", "is_deputy_chief", "is_active", "is_staff", "is_superuser")


class TsunaguAdminSite(admin.AdminSite):
    site_header = _("つなぐ 管理")
    site_title = _("つなぐ 管理")
    index_title = _("設定")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN)


site = TsunaguAdminSite(name="admin")


def _shown(obj: models.Model, field: str) -> Any:
    """A field's value as the audit trail keeps it: related rows by their name and id,
    never a password hash."""
    if field == "password":
        return "********"
    model_field = obj._meta.get_field(field)
    if isinstance(model_field, models.ForeignKey):
        related = getattr(obj, field)
        return f"{related} (#{related.pk})" if related is not None else ""
    return getattr(obj, field)


class AuditedAdmin(admin.ModelAdmin):
    """Writes each add, change and delete to the audit trail, in the admin's transaction,
    with the changed fields' old and new values."""

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        fields = [f for f in form.changed_data if f in {field.name for field in obj._meta.concrete_fields}]
        before = type(obj)._default_manager.get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        diffs = {f: [_shown(before, f) if before is not None else "", _shown(obj, f)] for f in fields}
        if change and not diffs:
            return
        record(request.user, Action.CHANGE if change else Action.CREATE, obj, changes=diffs, detail="管理画面")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(request.user, Action.CHANGE, obj, changes={"deleted": str(obj)}, detail="管理画面で削除")
        super().delete_model(request, obj)

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[Any, int], set[str], list[Any]]:
        """What a delete would remove or is held back by, as counts per kind of record:
        Django's page names each related row, and the rows of people, cases and the rest
        are personal records this site never shows (a person's name under her district
        is where she lives)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        summary = [gettext("%(kind)s: %(count)s件") % {"kind": kind, "count": n} for kind, n in counts.items()]
        held: dict[str, int] = {}
        for obj in self._protected_rows(objs):
            kind = str(obj._meta.verbose_name_plural)
            held[kind] = held.get(kind, 0) + 1
        held_back = [gettext("%(kind)s: %(count)s件") % {"kind": kind, "count": n} for kind, n in held.items()]
        return summary if deleted else deleted, counts, perms_needed, held_back if protected else protected

    @staticmethod
    def _protected_rows(objs: Any) -> list[models.Model]:
        from django.contrib.admin.utils import NestedObjects
        from django.db import router

        objs = list(objs)
        if not objs:
            return []
        collector = NestedObjects(using=router.db_for_write(type(objs[0])))
        collector.collect(objs)
        return list(collector.protected)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record(request.user, Action.CHANGE, obj, changes={"deleted": str(obj)}, detail="管理画面で削除")
        super().delete_queryset(request, queryset)


@admin.register(Municipality, site=site)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ("name", "prefecture", "population", "monitoring_interval_months")


@admin.register(District, site=site)
class DistrictAdmin(AuditedAdmin):
    list_display = ("name", "municipality", "number")
    list_filter = ("municipality",)


@admin.register(Agency, site=site)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "municipality")
    list_filter = ("municipality", "kind")
    search_fields = ("name",)


class _NoPrivilegeGranted(forms.ModelForm):
    """Refuses making an account chief or admin, and moving a chief or an admin to
    another agency: both are for `manage.py grant_role`."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        before = self.instance.role if self.instance.pk else None
        role = data.get("role")
        if role in PRIVILEGED_ROLES and role != before:
            self.add_error(
                "role",
                gettext(
                    "主任相談支援員と管理者の役割は、管理画面では付与できません。"
                    "サーバーで manage.py grant_role を実行してください（記録に残ります）。"
                ),
            )
        if before in PRIVILEGED_ROLES and "agency" in self.changed_data:
            self.add_error(
                "agency",
                gettext("主任相談支援員と管理者の所属は、サーバーで manage.py grant_role を実行して変えてください。"),
            )
        return data


class StaffChangeForm(_NoPrivilegeGranted, UserChangeForm):
    pass


class StaffAddForm(_NoPrivilegeGranted, AdminUserCreationForm):
    pass


@admin.register(Staff, site=site)
class StaffAdmin(AuditedAdmin, UserAdmin):
    form = StaffChangeForm
    add_form = StaffAddForm
    list_display = ("username", "display_name", "agency", "role", "is_active")
    list_filter = ("role", "agency__municipality", "is_active")
    search_fields = ("username", "display_name")
    # Groups and permissions are not used: what an account may do follows from its role.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("氏名と連絡先"), {"fields": ("display_name", "last_name", "first_name", "email")}),
        (_("所属と役割"), {"fields": ("agency", "role", "is_deputy_chief")}),
        (_("状態"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("所属と役割"), {"fields": ("display_name", "agency", "role")}),
    )
    filter_horizontal = ()
    actions = ["unlock_sign_in"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # is_staff and is_superuser come with the admin role, from grant_role only.
        locked = ["is_staff", "is_superuser", "last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            locked += [f for f in OWN_ACCOUNT_LOCKED if f not in locked]
        return locked

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        target = self.get_object(request, unquote(id))
        if target is not None and target.role in PRIVILEGED_ROLES:
            messages.error(
                request,
                gettext(
                    "主任相談支援員と管理者のパスワードは、管理画面では設定できません。"
                    "本人が「アカウント」から変更します。"
                ),
            )
            return HttpResponseRedirect(reverse("admin:accounts_staff_change", args=[target.pk]))
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and target is not None:
            record(request.user, Action.CHANGE, target, changes={"password": "changed"}, detail="管理画面で設定")
        return response

    @admin.action(description=_("ログインのロックを解除する"))
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[Staff]) -> None:
        for staff in queryset:
            lockout.unlock(by=request.user, username=staff.username, reason="管理画面")  # type: ignore[arg-type]
        messages.success(request, gettext("ロックを解除しました。"))


@admin.register(AccessAttempt, site=site)
class SignInAttemptAdmin(AccessAttemptAdmin):
    """Failed sign-ins counted by django-axes, to see who or which address is locked.
    Read-only: removing a row would lift a lock unaudited, so the only way is the
    audited action below (or `manage.py unlock_account`)."""

    actions = ["unlock_attempts"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("このアカウントとアドレスのロックを解除する"))
    def unlock_attempts(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        for attempt in list(queryset):
            lockout.unlock(
                by=request.user,  # type: ignore[arg-type]
                username=attempt.username or "",
                ip_address=attempt.ip_address or "",
                reason="管理画面",
            )
        messages.success(request, gettext("ロックを解除しました。"))
