from django.urls import path

from ajet.voice import views, views_concerns, views_manage, views_meetings, views_report, views_results

app_name = "voice"
urlpatterns = [
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views_manage.survey_create, name="survey_create"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("surveys/<int:survey_id>/build/", views_manage.survey_build, name="survey_build"),
    path("surveys/<int:survey_id>/edit/", views_manage.survey_edit, name="survey_edit"),
    path("surveys/<int:survey_id>/questions/<int:question_id>/edit/", views_manage.question_edit,
         name="question_edit"),
    path("surveys/<int:survey_id>/questions/<int:question_id>/remove/", views_manage.question_remove,
         name="question_remove"),
    path("surveys/<int:survey_id>/build/section/", views_manage.section_add, name="section_add"),
    path("surveys/<int:survey_id>/build/question/", views_manage.question_add, name="question_add"),
    path("surveys/<int:survey_id>/results/", views_results.survey_results, name="survey_results"),
    path("surveys/<int:survey_id>/results.csv", views_results.survey_results_csv, name="survey_results_csv"),
    path("surveys/<int:survey_id>/results.json", views_results.survey_results_json, name="survey_results_json"),
    path("surveys/<int:survey_id>/results.xlsx", views_results.survey_results_xlsx, name="survey_results_xlsx"),
    path("surveys/<int:survey_id>/results.pdf", views_results.survey_results_pdf, name="survey_results_pdf"),
]
urlpatterns += [
    path("concerns/", views_concerns.concern_list, name="concerns"),
    path("concerns/new/", views_concerns.concern_create, name="concern_create"),
    path("concerns/<int:concern_id>/", views_concerns.concern_detail, name="concern"),
    path("concerns/<int:concern_id>/update/", views_concerns.concern_update, name="concern_update"),
    path("concerns/<int:concern_id>/merge/", views_concerns.concern_merge, name="concern_merge"),
    path("concerns/<int:concern_id>/tags/", views_concerns.concern_tag, name="concern_tag"),
    path("concerns/<int:concern_id>/escalate/", views_concerns.concern_escalate, name="concern_escalate"),
    path("concerns/<int:concern_id>/reply/", views_concerns.concern_reply, name="concern_reply"),
    path("concerns/<int:concern_id>/support/", views_concerns.concern_support, name="concern_support"),
    path("concerns/receipt/", views_concerns.concern_receipt, name="concern_receipt"),
    path("concerns/receipt/reply/", views_concerns.concern_receipt_reply, name="concern_receipt_reply"),
]
urlpatterns += [
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/items/", views_meetings.agenda_item_add, name="agenda_item_add"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/answers/", views_meetings.sponsor_answer_add,
         name="sponsor_answer_add"),
    path("meetings/<int:meeting_id>/publish/", views_meetings.meeting_publish, name="meeting_publish"),
    path("meetings/<int:meeting_id>/items/<int:item_id>/follow-ups/", views_meetings.follow_up_add,
         name="follow_up_add"),
    path("meetings/follow-ups/<int:follow_up_id>/done/", views_meetings.follow_up_done, name="follow_up_done"),
    path("meetings/subscription/", views_meetings.meeting_subscription, name="meeting_subscription"),
    path("meetings/cycle/", views_meetings.meeting_cycle, name="meeting_cycle"),
    path("meetings/<int:meeting_id>/report/", views_report.meeting_report, name="meeting_report"),
    path("meetings/<int:meeting_id>/report.pdf", views_report.meeting_report_pdf, name="meeting_report_pdf"),
    path("translations/", views_report.translation_list, name="translations"),
    path("translations/save/", views_report.translation_save, name="translation_save"),
    path("translators/", views_report.translator_list, name="translators"),
    path("translators/<int:member_id>/", views_report.translator_change, name="translator_change"),
]
