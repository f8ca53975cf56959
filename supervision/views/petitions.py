"""Browser pages: petitions."""

urlpatterns: list = []
