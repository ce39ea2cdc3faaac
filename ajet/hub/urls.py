from django.urls import path

from ajet.hub import views, views_events, views_feeds, views_guides, views_public

app_name = "hub"
urlpatterns = [
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/new/", views.announcement_create, name="announcement_create"),
    path("announcements/sent/", views.officer_announcements, name="officer_announcements"),
    path("announcements/<int:announcement_id>/", views.announcement_detail, name="announcement"),
    path("announcements/<int:announcement_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("announcements/<int:announcement_id>/status/", views.announcement_status, name="announcement_status"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/announcements.atom", views_feeds.public_feed, name="public_feed"),
    path("feeds/member/<str:token>.atom", views_feeds.member_feed, name="member_feed"),
    path("feeds/member/reset/", views_feeds.reset_feed_token, name="reset_feed_token"),
    path("events/", views_events.event_list, name="events"),
    path("events/new/", views_events.event_create, name="event_create"),
    path("events/<int:event_id>/", views_events.event_detail, name="event"),
    path("events/<int:event_id>/rsvp/", views_events.rsvp, name="rsvp"),
    path("events/<int:event_id>/event.ics", views_events.event_ics, name="event_ics"),
    path("calendar/<str:token>.ics", views_events.member_calendar, name="member_calendar"),
    path("guides/", views_guides.guide_list, name="guides"),
    path("guides/new/", views_guides.guide_create, name="guide_create"),
    path("guides/<slug:slug>/", views_guides.guide_detail, name="guide"),
    path("guides/<slug:slug>/edit/", views_guides.guide_edit, name="guide_edit"),
    path("guides/<slug:slug>/reviewed/", views_guides.guide_reviewed, name="guide_reviewed"),
    path("guides/<slug:slug>/files/new/", views_guides.guide_file_upload, name="guide_file_upload"),
    path("guides/<slug:slug>/files/<int:file_id>/", views_guides.guide_file, name="guide_file"),
    path("news/", views_public.public_news, name="public_news"),
]
