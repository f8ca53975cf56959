"""REST: orders."""

urlpatterns: list = []
