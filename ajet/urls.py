from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ajet.core.urls")),
    path("", include("ajet.people.urls")),
    path("", include("ajet.organisation.urls")),
    path("elections/", include("ajet.elections.urls")),
    path("hub/", include("ajet.hub.urls")),
    path("voice/", include("ajet.voice.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("ajet.support.urls")),
]

handler500 = "ajet.core.views.server_error"
