from django.urls import path

from ajet.people import views, views_roster

app_name = "people"
urlpatterns = [
    path("i18n/language/", views.set_language, name="set_language"),
    path("me/", views.profile, name="profile"),
    path("me/export.json", views.export_my_data, name="export"),
    path("me/close/", views.close_account, name="close_account"),
    path("members/pending/", views.pending_members, name="pending"),
    path("members/pending/decide/", views.decide_pending, name="decide_pending"),
    path("members/<int:member_id>/", views.member_detail, name="member"),
    path("members/<int:member_id>/confirm/", views.confirm_member, name="confirm"),
    path("members/export.<str:kind>", views_roster.members_export, name="members_export"),
    path("members/import/", views_roster.roster_import, name="roster_import"),
    path("members/leavers/", views_roster.leavers, name="leavers"),
    path("members/leavers/preview/", views_roster.leavers_preview, name="leavers_preview"),
    path("members/leavers/confirm/", views_roster.leavers_confirm, name="leavers_confirm"),
    path("members/import/preview/", views_roster.roster_preview, name="roster_preview"),
    path("members/import/confirm/", views_roster.roster_confirm, name="roster_confirm"),
]
