"""The kernel's REST endpoints (included by ``config.urls`` under ``/api/v1/``)."""

from django.urls import path

from core.api.calendar import CalendarYearLoadApi, DueDateApi
from core.api.courts import CourtListApi

urlpatterns = [
    path("courts/", CourtListApi.as_view(), name="api-courts"),
    path("calendar/due-date/", DueDateApi.as_view(), name="api-calendar-due-date"),
    path("calendar/years/", CalendarYearLoadApi.as_view(), name="api-calendar-years"),
]
