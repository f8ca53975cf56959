from supervision.views import dashboard, inbox, orders, petitions

app_name = "supervision"

# Each page module declares its own ``urlpatterns``.
urlpatterns = [
    *inbox.urlpatterns,
    *dashboard.urlpatterns,
    *orders.urlpatterns,
    *petitions.urlpatterns,
]
