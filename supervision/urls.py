from supervision.views import dashboard, inbox, orders, petitions
from supervision.views import referrals as referral_views  # h/coercion

app_name = "supervision"

# Each page module declares its own ``urlpatterns``.
urlpatterns = [
    *inbox.urlpatterns,
    *dashboard.urlpatterns,
    *orders.urlpatterns,
    *petitions.urlpatterns,
    *referral_views.urlpatterns,
]
