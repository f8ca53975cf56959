"""Browser pages: inbox."""

urlpatterns: list = []
