"""Browser pages of enforcement, under /cases/ (the REST routes are in api/urls.py)."""

from django.urls import path

from enforcement.views import approvals, case_page, cases

app_name = "enforcement"

urlpatterns = [
    path("", cases.case_list, name="case-list"),
    path("new/", cases.case_register, name="case-new"),
    path("rows/<slug:kind>/", cases.row_partial, name="row"),
    path("approvals/", approvals.approval_queue, name="approvals"),
    path("approvals/<int:approval_id>/decide/", approvals.approval_decide, name="approval-decide"),
    path("<int:case_id>/", case_page.case_detail, name="case-detail"),
    path("<int:case_id>/<slug:action>/", case_page.case_action, name="case-action"),
    path("<int:case_id>/<slug:action>/<int:obj_id>/", case_page.case_action, name="case-object-action"),
]
