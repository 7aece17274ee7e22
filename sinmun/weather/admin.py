"""The ticker's stations in the admin: which appear and in what order; observations read-only."""

from django.contrib import admin

from . import services
from .models import Observation, Station


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "stn_id", "order", "active", "lat", "lon", "nx", "ny"]
    list_display_links = ["name"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["name", "stn_id"]
    readonly_fields = ["nx", "ny"]
    fields = ["stn_id", "name", "lat", "lon", "nx", "ny", "order", "active"]

    def save_model(self, request, obj, form, change):
        services.station_save(station=obj)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.ticker_cache_clear()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.ticker_cache_clear()


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Shows what the ticker has; values change only through ``sinmun weather``."""

    list_display = ["station", "temperature", "sky", "precipitation", "observed_at", "source",
                    "fetched_at"]  # fmt: skip
    list_filter = ["source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
