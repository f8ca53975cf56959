"""REST: dashboard."""

urlpatterns: list = []
