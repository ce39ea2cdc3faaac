import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_home_is_public_and_shows_the_blocks(client):
    page = client.get(reverse("core:home")).content.decode()
    assert "Block 11" in page and "Okinawa" in page


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_dashboard_shows_block_and_representative(client, member, block_rep):
    client.force_login(member.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Block 3" in page and "Bob Block" in page and "Saitama AJET" in page
