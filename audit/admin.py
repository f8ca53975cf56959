from django.contrib import admin

from audit.models import AuditRecord, NodeEventSeal


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only (trigger and database grants)."""

    list_display = ["occurred_at", "username", "event", "method", "action", "object_type", "object_id", "success"]
    list_filter = ["event", "success"]
    search_fields = ["username", "path", "object_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NodeEventSeal)
class NodeEventSealAdmin(AuditRecordAdmin):
    list_display = ["id", "event", "digest", "sealed_at"]
    list_filter = []
    search_fields = ["digest"]
    date_hierarchy = None  # type: ignore[assignment]  # a seal has no date to drill into
