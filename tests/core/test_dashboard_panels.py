"""The dashboard shows a panel only for what exists for the member: no empty boxes for features with nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.people.models import User
from tests.factories import MemberFactory, block_post, give_mfa, give_term

pytestmark = pytest.mark.django_db
FEATURE_PANELS = ("vote-now-heading", "surveys-heading", "announcements-heading", "events-heading")


def test_a_new_member_sees_where_they_belong_and_no_empty_panels(client, member, block_rep):
    client.force_login(member.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="my-place-heading"' in page
    for heading in (*FEATURE_PANELS, "my-offices-heading"):
        assert f'id="{heading}"' not in page, heading
    assert "<ul>\n  </ul>" not in page and "<ul></ul>" not in page


def test_an_incoming_officer_sees_only_the_posts_about_to_come(client):
    ian = MemberFactory(full_name="Ian Incoming")
    give_term(ian, block_post(3), start=timezone.localdate() + datetime.timedelta(days=20))
    give_mfa(ian.user)
    client.force_login(ian.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    panel = page[page.index('id="my-offices-heading"'):]
    panel = panel[:panel.index("</section>")]
    assert "Posts you are about to take over" in panel and "<ul></ul>" not in panel


def test_an_account_without_a_profile_is_told_there_is_nothing_yet(client):
    staff = User.objects.create_user("staff@example.org", "x-long-password-1")
    client.force_login(staff)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Nothing is waiting for you here yet." in page and 'class="panels"' not in page
