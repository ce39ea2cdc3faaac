"""Invitations travel through a real SMTP server (aiosmtpd on 127.0.0.1) and their link works."""

import email
import email.policy
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ajet.people.models import Member
from ajet.people.views_roster import SESSION_KEY
from tests.smtp import Mailbox, smtp_server_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_server(settings):
    with smtp_server_for(settings, Mailbox()) as mailbox:
        yield mailbox


def test_an_imported_member_gets_the_invitation_by_smtp_and_sets_a_password(
        client, executive, smtp_server, django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    roster = "email,full_name,prefecture,position\r\nsmtp.nina@example.org,Nina Network,Aichi,ALT\r\n"
    client.post(reverse("people:roster_import"), {"file": SimpleUploadedFile("roster.csv", roster.encode())})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:roster_confirm"), {"token": client.session[SESSION_KEY]["token"]})
    assert response.status_code == 302

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["smtp.nina@example.org"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["To"] == "smtp.nina@example.org"
    assert "AJET Nexus" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body).group(0)

    nina = Client()
    to_form = nina.get(urlsplit(link).path)
    assert to_form.status_code == 302
    form_page = nina.get(to_form["Location"])
    assert form_page.status_code == 200 and not form_page.context.get("token_fail")
    password = "Nagoya-castle-2025"
    done = nina.post(to_form["Location"], {"password1": password, "password2": password})
    assert done.status_code == 302

    signed_in = nina.post(reverse("account_login"), {"login": "smtp.nina@example.org", "password": password})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("core:dashboard")
    home = nina.get(reverse("core:dashboard"))
    assert home.status_code == 200 and home.context["user"].member == Member.objects.get(full_name="Nina Network")

    # The link was for one use only.
    assert Client().get(urlsplit(link).path).context["token_fail"]
