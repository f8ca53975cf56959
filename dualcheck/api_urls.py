from dualcheck.api import actions, clues, stats

# Each API module declares its own ``urlpatterns`` (mounted under /api/v1/).
urlpatterns = [
    *clues.urlpatterns,
    *actions.urlpatterns,
    *stats.urlpatterns,
]
