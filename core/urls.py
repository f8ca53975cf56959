from django.urls import path

from core.views import calendar as views_calendar
from core.views import clock_corrections as views_corrections
from core.views import exports as views_exports
from core.views import notifications as views_notifications
from core.views import pages as views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/load/", views_calendar.calendar_load, name="calendar-load"),
    path("calendar/loads/<int:pk>/", views_calendar.calendar_load_detail, name="calendar-load-detail"),
    path(
        "calendar/loads/<int:pk>/progress/",
        views_calendar.calendar_load_progress,
        name="calendar-load-progress",
    ),
    path("calendar/due-date/", views_calendar.due_date_partial, name="due-date"),
    path("rules/", views.rule_catalogue, name="rules"),
    path("courts/", views.court_tree, name="courts"),
    # Excel exports (core.exports)
    path("exports/", views_exports.export_list, name="exports"),
    path("exports/start/", views_exports.export_start_view, name="export-start"),
    path("exports/<uuid:job_id>/", views_exports.export_detail, name="export-detail"),
    path("exports/<uuid:job_id>/progress/", views_exports.export_progress, name="export-progress"),
    path("exports/<uuid:job_id>/download/", views_exports.export_download, name="export-download"),
    # 补录核实 (322号 §12)
    path("clock-corrections/", views_corrections.clock_corrections, name="clock-corrections"),
    path(
        "clock-corrections/<int:deadline_id>/decide/",
        views_corrections.clock_correction_decide,
        name="clock-correction-decide",
    ),
    # 站内通知 (issue 16)
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/bell/", views_notifications.notification_bell, name="notification-bell"),
    path("notifications/read-all/", views_notifications.notification_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views_notifications.notification_read, name="notification-read"),
    path("notifications/<int:pk>/open/", views_notifications.notification_open, name="notification-open"),
]
