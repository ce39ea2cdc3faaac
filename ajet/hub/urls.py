from django.urls import path

from ajet.hub import views, views_events, views_feeds, views_liaison

app_name = "hub"
urlpatterns = [
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/new/", views.announcement_create, name="announcement_create"),
    path("announcements/sent/", views.officer_announcements, name="officer_announcements"),
    path("announcements/<int:announcement_id>/", views.announcement_detail, name="announcement"),
    path("announcements/<int:announcement_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("announcements/<int:announcement_id>/status/", views.announcement_status, name="announcement_status"),
    path("announcements/<int:announcement_id>/remind/", views.remind, name="remind"),
    path("announcements/<int:announcement_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
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
    path("events/<int:event_id>/attendees/", views_events.event_attendees, name="event_attendees"),
    path("events/<int:event_id>/attendees.csv", views_events.event_attendees_csv, name="event_attendees_csv"),
    path("calendar/national.ics", views_events.national_calendar, name="national_calendar"),
    path("calendar/chapters/<slug:slug>.ics", views_events.chapter_calendar, name="chapter_calendar"),
    path("calendar/<str:token>.ics", views_events.member_calendar, name="member_calendar"),
    path("liaison/", views_liaison.my_desk, name="liaison"),
    path("liaison/<int:number>/", views_liaison.liaison_desk, name="liaison_desk"),
    path("liaison/<int:number>/forward/", views_liaison.forward, name="liaison_forward"),
]
