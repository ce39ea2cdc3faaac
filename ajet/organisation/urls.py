from django.urls import path

from ajet.organisation import views, views_chapters, views_council, views_handbook, views_initiatives, views_mfa

app_name = "organisation"
urlpatterns = [
    path("blocks/", views.block_list, name="blocks"),
    path("officers/two-factor/", views_mfa.officer_mfa_setup, name="officer_mfa"),
    path("blocks/<int:number>/", views.block_detail, name="block"),
    path("council/", views.council, name="council"),
    path("council/history/", views.council_history, name="council_history"),
    path("council/history/<int:year>/", views.council_year, name="council_year"),
    # Executives shape the council (chapter posts are managed here too, by their chapter's managers).
    path("council/manage/", views_council.manage_council, name="manage_council"),
    path("council/posts/new/", views_council.post_create, name="post_create"),
    path("council/posts/<int:post_id>/", views_council.post_manage, name="post_manage"),
    path("council/posts/<int:post_id>/edit/", views_council.post_edit, name="post_edit"),
    path("council/posts/<int:post_id>/retire/", views_council.post_retire, name="post_retire"),
    path("council/posts/<int:post_id>/terms/new/", views_council.term_create, name="term_create"),
    path("council/terms/<int:term_id>/end/", views_council.term_end, name="term_end"),
    path("council/prefectures/<str:code>/", views_council.prefecture_move, name="prefecture_move"),
    # Chapters.
    path("chapters/", views_chapters.chapter_list, name="chapters"),
    path("chapters/new/", views_chapters.chapter_create, name="chapter_create"),
    path("chapters/<slug:slug>/", views_chapters.chapter_detail, name="chapter"),
    path("chapters/<slug:slug>/edit/", views_chapters.chapter_edit, name="chapter_edit"),
    path("chapters/<slug:slug>/officers/", views_chapters.chapter_officers, name="chapter_officers"),
    path("chapters/<slug:slug>/join/", views_chapters.chapter_join, name="chapter_join"),
    path("chapters/<slug:slug>/leave/", views_chapters.chapter_leave, name="chapter_leave"),
    # Initiatives.
    path("initiatives/", views_initiatives.initiative_list, name="initiatives"),
    path("initiatives/new/", views_initiatives.initiative_create, name="initiative_create"),
    path("initiatives/<slug:slug>/", views_initiatives.initiative_detail, name="initiative"),
    path("initiatives/<slug:slug>/edit/", views_initiatives.initiative_edit, name="initiative_edit"),
    # Handbooks and handover.
    path("handbooks/", views_handbook.handbook_list, name="handbooks"),
    path("handbooks/<int:post_id>/", views_handbook.handbook, name="handbook"),
    path("handbooks/<int:post_id>/pages/new/", views_handbook.page_create, name="handbook_page_create"),
    path("handbooks/<int:post_id>/pages/<slug:slug>/", views_handbook.page_detail, name="handbook_page"),
    path("handbooks/<int:post_id>/pages/<slug:slug>/edit/", views_handbook.page_edit, name="handbook_page_edit"),
    path("handbooks/<int:post_id>/pages/<slug:slug>/history/", views_handbook.page_history,
         name="handbook_page_history"),
    path("handbooks/<int:post_id>/pages/<slug:slug>/history/<int:revision_id>/", views_handbook.page_revision,
         name="handbook_revision"),
    path("handbooks/<int:post_id>/files/new/", views_handbook.file_upload, name="handbook_file_upload"),
    path("handbooks/<int:post_id>/files/<int:file_id>/", views_handbook.file_download, name="handbook_file"),
    path("handbooks/<int:post_id>/files/<int:file_id>/replace/", views_handbook.file_replace,
         name="handbook_file_replace"),
    path("handbooks/<int:post_id>/files/<int:file_id>/delete/", views_handbook.file_delete,
         name="handbook_file_delete"),
    path("handbooks/<int:post_id>/items/new/", views_handbook.item_create, name="handover_item_create"),
    path("handbooks/<int:post_id>/items/<int:item_id>/done/", views_handbook.item_done, name="handover_item_done"),
]
