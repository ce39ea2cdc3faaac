"""Writing announcements to allowed audiences, reading them, confirming them, e-mail choices, feeds."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.core.personal_data import erase_personal_data, export_personal_data
from ajet.hub import queries, services, tasks
from ajet.hub.models import Acknowledgement, Announcement, FeedToken, Preference
from ajet.organisation.scopes import Scope
from tests.factories import MemberFactory
from tests.hub.hub_factories import announce, block3

pytestmark = pytest.mark.django_db


def _values(choices):
    return {value for value, _label in choices}


def test_each_officer_may_address_only_their_own_audiences(executive, block_rep, chapter_officer, member,
                                                          home_chapter, other_chapter):
    everything = _values(queries.audience_choices(executive.user))
    assert {"national", "block:3", "block:5", "prefecture:23", f"chapter:{other_chapter.pk}"} <= everything

    bob = _values(queries.audience_choices(block_rep.user))
    assert {"block:3", "prefecture:11", f"chapter:{home_chapter.pk}"} <= bob
    assert not {"national", "block:5", "prefecture:23", f"chapter:{other_chapter.pk}"} & bob

    assert _values(queries.audience_choices(chapter_officer.user)) == {f"chapter:{home_chapter.pk}"}
    assert queries.audience_choices(member.user) == []


def test_a_forged_audience_is_refused_by_the_form_and_by_the_service(client, chapter_officer):
    client.force_login(chapter_officer.user)
    response = client.post(reverse("hub:announcement_create"), {
        "audience": "national", "title": "Hi all", "body": "Forged", once.FIELD: once.issue()})
    assert response.status_code == 200 and "audience" in response.context["form"].errors
    with pytest.raises(services.HubError):
        services.create_announcement(by=chapter_officer.user, scope=Scope(Scope.NATIONAL),
                                     fields={"title": "Hi all", "body": "Forged"})
    assert not Announcement.objects.exists()


def test_the_form_shows_the_reach_before_sending_and_sends_nothing(client, block_rep, member, other_block_rep):
    MemberFactory(position="CIR")  # Saitama, block 3
    client.force_login(block_rep.user)
    data = {"audience": "block:3", "title": "Hi", "body": "Text", once.FIELD: once.issue(), "preview": "1"}
    response = client.post(reverse("hub:announcement_create"), data)
    assert response.status_code == 200 and response.context["reach"] == 3  # Alice, Bob, the CIR; not Olga
    assert client.post(reverse("hub:announcement_create"), data | {"positions": ["CIR"]}).context["reach"] == 1
    assert not Announcement.objects.exists() and not mail.outbox


def test_sending_writes_an_audit_entry_and_shows_the_delivery_counts(client, block_rep, member,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(block_rep.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hub:announcement_create"), {
            "audience": "block:3", "title": "Hi", "body": "Text", once.FIELD: once.issue()})
    announcement = Announcement.objects.get()
    assert response["Location"] == reverse("hub:announcement_status", args=[announcement.pk])
    assert AuditEntry.objects.filter(action="announcement.create", target_id=str(announcement.pk)).exists()
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "bob@example.org"]
    status = client.get(response["Location"])
    assert status.context["counts"] == {"queued": 0, "sent": 2, "failed": 0}


def test_a_scheduled_announcement_waits_for_its_time(executive, member, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, send_at=later)
    assert not announcement.is_sent and not mail.outbox
    assert queries.announcements_for(member).count() == 0
    assert services.queue_due_announcements(now=later - datetime.timedelta(minutes=1)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_due_announcements(now=later) == [announcement.pk]
    assert {message.to[0] for message in mail.outbox} == {"alice@example.org", "erin@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_deliveries(announcement=announcement)  # a second queueing adds nothing
    assert len(mail.outbox) == 2


def test_members_see_what_is_for_them_with_filters(client, executive, member, other_block_rep):
    national = announce(executive, title="For all")
    cirs = announce(executive, Scope(Scope.NATIONAL, positions={"CIR"}), title="For CIRs")
    block = announce(executive, block3(), title="For block 3", requires_acknowledgement=True)
    aichi = announce(executive, Scope(Scope.PREFECTURE, prefecture="23"), title="For Aichi")
    client.force_login(member.user)
    page = client.get(reverse("hub:announcements"))
    assert list(page.context["page"]) == [block, national]
    assert list(client.get(reverse("hub:announcements"), {"kind": "block"}).context["page"]) == [block]
    assert list(client.get(reverse("hub:announcements"), {"unread": "on"}).context["page"]) == [block]
    assert client.get(reverse("hub:announcement", args=[aichi.pk])).status_code == 404
    assert client.get(reverse("hub:announcement", args=[cirs.pk])).status_code == 404
    client.force_login(other_block_rep.user)
    assert list(client.get(reverse("hub:announcements")).context["page"]) == [aichi, national]


def test_the_list_page_costs_the_same_queries_for_one_or_three(client, executive, member,
                                                              django_assert_max_num_queries):
    client.force_login(member.user)
    announce(executive)
    client.get(reverse("hub:announcements"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("hub:announcements"))
    announce(executive), announce(executive)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("hub:announcements"))


def test_markdown_is_rendered_safely(client, executive, member):
    announcement = announce(executive, body="**Hi** <script>alert(1)</script> [x](javascript:alert(2))")
    client.force_login(member.user)
    page = client.get(reverse("hub:announcement", args=[announcement.pk])).content.decode()
    assert "<strong>Hi</strong>" in page and "<script>alert" not in page and "javascript:alert" not in page


def test_japanese_members_read_the_japanese_version(client, executive, member):
    announcement = announce(executive, title="Hello", body="English", title_ja="こんにちは", body_ja="日本語")
    client.force_login(member.user)
    page = client.get(reverse("hub:announcement", args=[announcement.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    assert page.context["title"] in ("Hello", "こんにちは")
    member.preferred_language = "ja"
    member.save(update_fields=["preferred_language"])
    page = client.get(reverse("hub:announcement", args=[announcement.pk]))
    assert page.context["title"] == "こんにちは" and "日本語" in page.content.decode()


def test_members_confirm_with_one_click_and_the_officer_sees_the_rate_by_block(
        client, executive, member, block_rep, other_block_rep):
    announcement = announce(executive, requires_acknowledgement=True)
    client.force_login(member.user)
    client.post(reverse("hub:acknowledge", args=[announcement.pk]))
    client.post(reverse("hub:acknowledge", args=[announcement.pk]))  # twice: still one confirmation
    assert Acknowledgement.objects.filter(announcement=announcement).count() == 1
    client.force_login(executive.user)
    rows = client.get(reverse("hub:announcement_status", args=[announcement.pk])).context["acknowledgements"]
    by_block = {row["block"]: (row["reached"], row["confirmed"]) for row in rows}
    assert by_block == {3: (2, 1), 4: (1, 0), 5: (1, 0)}  # Alice and Bob; Erin in Tokyo; Olga in Aichi


def test_preferences_stop_emails_for_one_kind_of_audience(client, executive, member,
                                                          django_capture_on_commit_callbacks):
    client.force_login(member.user)
    response = client.post(reverse("hub:preferences"), {
        "national": "none", "block": "immediate", "prefecture": "immediate", "chapter": "immediate"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        announce(executive, title="National")
        announce(executive, block3(), title="Block")
    assert sorted((message.to[0], message.subject) for message in mail.outbox if message.to[0] == member.user.email
                  ) == [("alice@example.org", "[AJET Nexus] Block")]
    tasks.send_due_announcements.call()
    assert Preference.objects.get(member=member, scope_kind="national").mode == "none"


def test_feeds_public_and_private_with_a_revocable_token(client, executive, member, other_block_rep):
    announce(executive, title="Public news", is_public=True)
    announce(executive, block3(), title="Members news")
    public = client.get(reverse("hub:public_feed")).content.decode()
    assert "Public news" in public and "Members news" not in public

    token = services.feed_token_of(member)
    private = client.get(reverse("hub:member_feed", args=[token])).content.decode()
    assert "Public news" in private and "Members news" in private
    olga = client.get(reverse("hub:member_feed", args=[services.feed_token_of(other_block_rep)])).content.decode()
    assert "Members news" not in olga

    client.force_login(member.user)
    client.post(reverse("hub:reset_feed_token"))
    client.logout()
    assert client.get(reverse("hub:member_feed", args=[token])).status_code == 404
    assert client.get(reverse("hub:member_feed", args=[FeedToken.objects.get(member=member).token])).status_code == 200


def test_the_dashboard_panel_lists_the_latest_and_what_waits_for_confirmation(client, executive, member):
    announce(executive, title="Please read", requires_acknowledgement=True)
    client.force_login(member.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Please read" in page and "1 announcement waits for your confirmation." in page


def test_personal_data_export_and_erase(executive, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announcement = announce(executive, requires_acknowledgement=True)
    services.acknowledge(member=member, announcement=announcement)
    services.set_preferences(member=member, modes={"block": "none"})
    services.feed_token_of(member)
    exported = export_personal_data(member.user)["hub"]
    assert exported["email_preferences"] == [{"audience": "block", "mode": "none"}]
    assert len(exported["acknowledged"]) == 1 and exported["private_feed"] is True
    assert exported["emails"][0]["status"] == "sent"
    erase_personal_data(member.user)
    assert not Acknowledgement.objects.filter(member=member).exists()
    assert not Preference.objects.filter(member=member).exists()
    assert not FeedToken.objects.filter(member=member).exists()
    assert not announcement.deliveries.filter(member=member).exists()
