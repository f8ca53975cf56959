"""REST: alerts."""

urlpatterns: list = []
