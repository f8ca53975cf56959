"""Browser pages of enforcement, under /cases/ (the REST routes are in api/urls.py)."""

from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_register, name="case-new"),
    path("rows/<slug:kind>/", views.row_partial, name="row"),
    path("approvals/", views.approval_queue, name="approvals"),
    path("approvals/<int:approval_id>/decide/", views.approval_decide, name="approval-decide"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path("<int:case_id>/<slug:action>/", views.case_action, name="case-action"),
    path("<int:case_id>/<slug:action>/<int:obj_id>/", views.case_action, name="case-object-action"),
]
