from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/due-date/", views.due_date_partial, name="due-date"),
    path("rules/", views.rule_catalogue, name="rules"),
    path("courts/", views.court_tree, name="courts"),
]
