from django.urls import path

from ajet.organisation import views

app_name = "organisation"
urlpatterns = [
    path("blocks/", views.block_list, name="blocks"),
    path("blocks/<int:number>/", views.block_detail, name="block"),
    path("chapters/", views.chapter_list, name="chapters"),
    path("chapters/<slug:slug>/", views.chapter_detail, name="chapter"),
    path("council/", views.council, name="council"),
]
