from dualcheck.views import board, clue, printing, report, stats

app_name = "dualcheck"

# Each page module declares its own ``urlpatterns``.
urlpatterns = [
    *board.urlpatterns,
    *clue.urlpatterns,
    *report.urlpatterns,
    *printing.urlpatterns,
    *stats.urlpatterns,
]
