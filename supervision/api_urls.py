from supervision.api import alerts, dashboard, orders, petitions

# Each API module declares its own ``urlpatterns`` (mounted under /api/v1/).
urlpatterns = [
    *alerts.urlpatterns,
    *dashboard.urlpatterns,
    *orders.urlpatterns,
    *petitions.urlpatterns,
]
