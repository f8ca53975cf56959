"""Admin for courts, people, the working calendar and the rule catalogue. Writes
that have consequences (calendar edits recompute clocks; court paths) go through
services."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import (
    ApiToken,
    CalendarDay,
    CalendarYear,
    Court,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
    ExportJob,
    LegalCitation,
    Membership,
    NodeEvent,
    OutboundEmail,
    PeriodicRun,
    TaskOutbox,
    User,
)
from core.outbox.outbox import outbox_republish
from core.services.calendar import calendar_day_remove, calendar_day_set, calendar_year_mark_loaded
from core.services.courts import court_upsert
from core.services.people import api_token_revoke, membership_revoke


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name")
    readonly_fields = ("path", "depth")
    autocomplete_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        court = court_upsert(code=obj.code, name=obj.name, level=obj.level, parent=obj.parent)
        obj.pk, obj.path, obj.depth = court.pk, court.path, court.depth

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("court", "department", "role", "created_at", "revoked_at")
    readonly_fields = ("created_at", "revoked_at")
    autocomplete_fields = ("court",)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead, so history shows who could see what


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (_("执行监督平台"), {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "is_active", "is_staff")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "court", "department", "role", "created_at", "revoked_at")
    list_filter = ("role", "department", "revoked_at")
    search_fields = ("user__username", "user__display_name", "court__code")
    autocomplete_fields = ("user", "court")
    actions = ["revoke"]

    @admin.action(description=_("吊销所选任职"))
    def revoke(self, request, queryset):
        for membership in queryset.filter(revoked_at__isnull=True):
            membership_revoke(membership=membership)
        self.message_user(request, _("已吊销。"), messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_prefix", "created_at", "revoked_at", "backdate_window_hours")
    # ``backdate_window_hours`` stays editable (0–72, 322号 §12)
    readonly_fields = ("user", "name", "key_prefix", "created_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # manage.py create_api_client shows the key once

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        self.message_user(request, _("已吊销。"), messages.SUCCESS)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "loaded_at")
    readonly_fields = ("loaded_at",)

    def save_model(self, request, obj, form, change):
        row = calendar_year_mark_loaded(year=obj.year, actor=request.user, source=obj.source)
        obj.pk = row.pk


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        if change and "date" in form.changed_data:
            calendar_day_remove(date=form.initial["date"], actor=request.user)
        day = calendar_day_set(date=obj.date, kind=obj.kind, name=obj.name, actor=request.user)
        obj.pk = day.pk

    def delete_model(self, request, obj):
        calendar_day_remove(date=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset:
            calendar_day_remove(date=day.date, actor=request.user)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "duration", "unit", "warn_before", "basis_in_force", "verified", "is_active")
    list_filter = ("unit", "is_active", "verified")
    search_fields = ("code", "name_zh", "basis", "basis_in_force")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False  # the catalogue is code-defined; services start clocks by code

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalCitation)
class LegalCitationAdmin(admin.ModelAdmin):
    """An admin confirms a citation against the official text by ticking 已核实;
    the change (and who made it) is in the row's history."""

    list_display = ("code", "subject", "in_force", "seed_source", "seed_text", "verified")
    list_filter = ("verified",)
    readonly_fields = ("code", "seed_source", "seed_text", "rule")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeadlinePauseInline(admin.TabularInline):
    model = DeadlinePause
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


class DeadlineExtensionInline(DeadlinePauseInline):
    model = DeadlineExtension  # type: ignore[assignment]  # the same read-only inline, another model


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ("rule", "court", "subject_label", "responsible", "due_at", "status", "completed_at")
    list_filter = ("status", "rule")
    search_fields = ("subject_label", "court__code")
    inlines = [DeadlinePauseInline, DeadlineExtensionInline]
    list_select_related = ("rule", "court", "responsible")


@admin.register(NodeEvent)
class NodeEventAdmin(ReadOnlyAdmin):
    list_display = ("kind", "court", "subject_label", "occurred_at", "recorded_at", "actor", "flags")
    list_filter = ("kind",)
    search_fields = ("subject_label", "kind")
    list_select_related = ("court", "actor")


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Excel exports (core.exports): who asked for what, and how it went. The file
    itself is only downloadable by its requester; old jobs may be deleted here."""

    list_display = ("title", "user", "status", "progress", "done_rows", "created_at", "finished_at")
    list_filter = ("status", "key")
    search_fields = ("title", "user__username")
    exclude = ("content",)
    list_select_related = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(TaskOutbox)
class TaskOutboxAdmin(ReadOnlyAdmin):
    """The transactional outbox (core.outbox): tasks recorded with
    the change that asked for them. A row without 发送时间 is waiting for the broker;
    one sent but without 完成时间 is waiting for a worker. The relay publishes both
    by itself every minute; 立即重发 does it now."""

    list_display = ("pk", "task", "created_at", "sent_at", "done_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), ("done_at", admin.EmptyFieldListFilter), "task")
    search_fields = ("task",)
    date_hierarchy = "created_at"
    actions = ["republish"]

    @admin.action(description=_("立即重发所选未完成任务"))
    def republish(self, request, queryset):
        published = outbox_republish(ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("已发布 %(n)s 个任务。") % {"n": published}, messages.SUCCESS)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """E-mails recorded with the decision to send them (the alert digest, the
    calendar notice); the relay delivers any left unsent."""

    list_display = ("subject", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter),)
    search_fields = ("subject",)
    date_hierarchy = "created_at"


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    """One row per beat entry and scheduled slot: which message ran it, and how many
    duplicates (a second beat process) were skipped."""

    list_display = ("name", "slot", "claimed_at", "finished_at", "skipped")
    list_filter = ("name",)
    date_hierarchy = "slot"
