from django.urls import path

from ajet.support import views, views_chat, views_hours, views_logs, views_resources, views_roster, views_volunteers

app_name = "support"
urlpatterns = [
    path("support/", views.home, name="home"),
    path("api/support/status", views.status_api, name="status_api"),
    path("support/statistics/", views.statistics, name="statistics"),
    path("support/resources/", views.resources, name="resources"),
    path("support/resources/new/", views_resources.resource_create, name="resource_create"),
    path("support/resources/<int:resource_id>/", views_resources.resource_edit, name="resource_edit"),
    path("support/resources/<int:resource_id>/delete/", views_resources.resource_delete, name="resource_delete"),
    path("support/hours/", views_hours.hours, name="hours"),
    path("support/hours/<int:exception_id>/delete/", views_hours.hours_exception_delete,
         name="hours_exception_delete"),
    path("support/volunteers/", views_volunteers.volunteers, name="volunteers"),
    path("support/volunteers/<int:volunteer_id>/", views_volunteers.volunteer, name="volunteer"),
    path("support/volunteers/<int:volunteer_id>/training/", views_volunteers.training_add, name="training_add"),
    path("support/roster/", views_roster.roster, name="roster"),
    path("support/roster/sign-up/", views_roster.shift_sign_up, name="shift_sign_up"),
    path("support/roster/drop/", views_roster.shift_drop, name="shift_drop"),
    path("support/coverage/", views_roster.coverage, name="coverage"),
    path("support/coverage/<int:assignment_id>/remove/", views_roster.shift_unassign, name="shift_unassign"),
    path("support/log/", views_logs.log_contact, name="log_contact"),
    path("support/chat/", views_chat.chat, name="chat"),
    path("support/chat/console/", views_chat.console, name="console"),
]
