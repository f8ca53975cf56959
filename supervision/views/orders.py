"""Browser pages: orders."""

urlpatterns: list = []
