from supervision.api import (
    alerts,
    dashboard,
    indicators,
    orders,
    petitions,
    referrals,  # h/coercion
    screening,
)

# Each API module declares its own ``urlpatterns`` (mounted under /api/v1/).
urlpatterns = [
    *alerts.urlpatterns,
    *dashboard.urlpatterns,
    *indicators.urlpatterns,
    *screening.urlpatterns,
    *orders.urlpatterns,
    *petitions.urlpatterns,
    *referrals.urlpatterns,
]
