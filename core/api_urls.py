from django.urls import path

from core import apis

urlpatterns = [
    path("courts/", apis.CourtListApi.as_view(), name="api-courts"),
    path("calendar/due-date/", apis.DueDateApi.as_view(), name="api-calendar-due-date"),
    path("calendar/years/", apis.CalendarYearLoadApi.as_view(), name="api-calendar-years"),
]
