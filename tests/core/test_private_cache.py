"""Pages shown to a signed-in user are never stored by a browser or a shared cache."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["core:dashboard", "people:profile", "core:home", "organisation:council"])
def test_signed_in_pages_are_private_and_not_stored(client, member, name):
    client.force_login(member.user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_views_own_cache_control_is_kept(client, member):
    client.force_login(member.user)
    response = client.get(reverse("core:healthz"))
    assert response["Cache-Control"].startswith("max-age=0, no-cache")  # never_cache's, not replaced


def test_public_pages_for_visitors_are_left_alone(client):
    assert "Cache-Control" not in client.get(reverse("core:home"))
