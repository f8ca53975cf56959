"""REST: petitions."""

urlpatterns: list = []
