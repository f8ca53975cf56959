from dualcheck.api import clues, detail, intake, investigation, outcome, stats

# Each API module declares its own ``urlpatterns`` (mounted under /api/v1/).
urlpatterns = [
    *clues.urlpatterns,
    *detail.urlpatterns,
    *intake.urlpatterns,
    *investigation.urlpatterns,
    *outcome.urlpatterns,
    *stats.urlpatterns,
]
