"""Read-only admin views of enforcement data: every change goes through the
services (browser or REST), so the admin never edits a case behind their back."""

from django.contrib import admin

from enforcement.models import (
    Approval,
    Asset,
    AssetCategory,
    AssetSearch,
    Case,
    ControlMeasure,
    CourtAssetCategory,
    CreditMeasure,
    Disposal,
    Party,
    PropertyClue,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartyInline(admin.TabularInline):
    model = Party
    fields = ("role", "kind", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("case_number", "court", "status", "track", "handler", "received_at", "claim_amount", "closure_type")
    list_filter = ("status", "track", "closure_type", "court")
    search_fields = ("case_number", "parties__name")
    list_select_related = ("court", "handler")
    inlines = [PartyInline]


@admin.register(AssetCategory)
class AssetCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "online", "needs_disposal", "sort")
    list_editable = ("online", "needs_disposal", "sort")
    readonly_fields = ("code",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CourtAssetCategory)
class CourtAssetCategoryAdmin(admin.ModelAdmin):
    """Switch a category off where a court's network has not opened it."""

    list_display = ("court", "category", "enabled")
    list_filter = ("enabled", "category")
    autocomplete_fields = ("court",)


for model in (AssetSearch, Asset, ControlMeasure, PropertyClue, Disposal, CreditMeasure, Approval):
    admin.site.register(model, ReadOnly)
