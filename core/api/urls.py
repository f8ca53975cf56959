"""The kernel's REST endpoints (included by ``config.urls`` under ``/api/v1/``)."""

from django.urls import path

from core.api.calendar import CalendarYearLoadApi, DueDateApi
from core.api.clock_corrections import (
    ClockCorrectionApproveApi,
    ClockCorrectionListApi,
    ClockCorrectionRejectApi,
)
from core.api.courts import CourtListApi
from core.api.notifications import NotificationListApi, NotificationReadApi

urlpatterns = [
    path("courts/", CourtListApi.as_view(), name="api-courts"),
    path("calendar/due-date/", DueDateApi.as_view(), name="api-calendar-due-date"),
    path("calendar/years/", CalendarYearLoadApi.as_view(), name="api-calendar-years"),
    path("clock-corrections/", ClockCorrectionListApi.as_view(), name="api-clock-corrections"),
    path(
        "clock-corrections/<int:deadline_id>/approve/",
        ClockCorrectionApproveApi.as_view(),
        name="api-clock-correction-approve",
    ),
    path(
        "clock-corrections/<int:deadline_id>/reject/",
        ClockCorrectionRejectApi.as_view(),
        name="api-clock-correction-reject",
    ),
    path("notifications/", NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", NotificationReadApi.as_view(), name="api-notification-read"),
]
