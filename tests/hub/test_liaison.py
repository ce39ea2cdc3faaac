"""The liaison desk of a block representative: their block's chapters and officers, what needs attention
(no officer, quiet for 60 days, sign-ups waiting), recent events and announcements, forwarding national news."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.core import once
from ajet.core.models import AuditEntry
from ajet.hub import services
from ajet.hub.models import Announcement, Event
from ajet.organisation.scopes import Scope
from tests.factories import ChapterFactory, MemberFactory
from tests.hub.hub_factories import announce

pytestmark = pytest.mark.django_db


@pytest.fixture
def block3_world(home_chapter, chapter_officer, other_chapter, executive):
    """Saitama AJET (Carol its officer), a quiet chapter in Gunma, a chapter in Nagano with no officer,
    sign-ups waiting in Saitama and in Aichi (block 5)."""
    quiet = ChapterFactory(name="Gunma AJET", slug="gunma", prefecture_codes=["10"])
    leaderless = ChapterFactory(name="Nagano AJET", slug="nagano", prefecture_codes=["20"])
    from tests.factories import chapter_post, give_term

    give_term(MemberFactory(full_name="Quinn Quiet", prefecture_id="10"), chapter_post(quiet))
    start = timezone.now() + datetime.timedelta(days=5)
    services.create_event(by=chapter_officer.user, scope=Scope(Scope.CHAPTER, chapter=home_chapter.pk), fields={
        "title": "Saitama games night", "start": start, "end": start + datetime.timedelta(hours=2)})
    old = announce(executive, Scope(Scope.CHAPTER, chapter=quiet.pk), title="Gunma news of long ago")
    Announcement.objects.filter(pk=old.pk).update(queued_at=timezone.now() - datetime.timedelta(days=90))
    waiting = MemberFactory(full_name="Sam Signup", status="pending")
    elsewhere = MemberFactory(full_name="Ellie Aichi", status="pending", prefecture_id="23")
    return {"quiet": quiet, "leaderless": leaderless, "waiting": waiting, "elsewhere": elsewhere}


def test_the_desk_shows_the_block_at_a_glance(client, block_rep, block3_world, home_chapter, chapter_officer,
                                              other_chapter):
    client.force_login(block_rep.user)
    assert client.get(reverse("hub:liaison"))["Location"] == reverse("hub:liaison_desk", args=[3])
    response = client.get(reverse("hub:liaison_desk", args=[3]))
    context = response.context
    names = [row.chapter.name for row in context["chapters"]]
    assert names == ["Gunma AJET", "Nagano AJET", "Saitama AJET"]  # not Aichi (block 5)
    saitama = next(row for row in context["chapters"] if row.chapter == home_chapter)
    assert [term.member for term in saitama.officers] == [chapter_officer] and saitama.has_upcoming_event
    assert [row.chapter.name for row in context["without_officer"]] == ["Nagano AJET"]
    assert [row.chapter.name for row in context["quiet"]] == ["Gunma AJET", "Nagano AJET"]
    assert [member.full_name for member in context["pending"]] == ["Sam Signup"]  # not Ellie in Aichi
    assert [event.title for event in context["events"]] == ["Saitama games night"]
    assert "Gunma news of long ago" not in [announcement.title for announcement in context["announcements"]]
    html = response.content.decode()
    assert "Carol Chapter" in html and "Sam Signup" in html


def test_the_desk_costs_the_same_queries_with_more_chapters(client, block_rep, block3_world,
                                                            django_assert_max_num_queries):
    client.force_login(block_rep.user)
    client.get(reverse("hub:liaison_desk", args=[3]))
    with django_assert_max_num_queries(60) as before:
        client.get(reverse("hub:liaison_desk", args=[3]))
    count = len(before.captured_queries)  # now: the query log is a bounded deque that later writes shift
    for code in ("08", "09", "10", "20"):
        chapter = ChapterFactory(prefecture_codes=[code])
        announce(block_rep, Scope(Scope.CHAPTER, chapter=chapter.pk))
    client.get(reverse("hub:liaison_desk", args=[3]))  # new chapters: powers are computed again once
    with django_assert_max_num_queries(count):
        client.get(reverse("hub:liaison_desk", args=[3]))


def test_a_representative_forwards_a_national_announcement_with_a_note(
        client, block_rep, executive, member, other_block_rep, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.core.files.uploadedfile import SimpleUploadedFile

    national = services.create_announcement(by=executive.user, scope=Scope(Scope.NATIONAL), fields={
        "title": "Recontracting deadline", "body": "Tell your school by **February**."},
        attachments=[SimpleUploadedFile("form.pdf", b"%PDF-1.4 form")])
    mail.outbox.clear()
    client.force_login(block_rep.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("hub:liaison_forward", args=[3]), {
            "announcement": national.pk, "note": "Block 3: ask me if in doubt.", once.FIELD: once.issue()})
    forward = Announcement.objects.get(forwarded_from=national)
    assert response["Location"] == reverse("hub:announcement_status", args=[forward.pk])
    assert forward.scope == Scope(Scope.BLOCK, block=3) and forward.created_by == block_rep.user
    assert forward.body.startswith("Block 3: ask me if in doubt.") and "February" in forward.body
    assert national.attachments.get().get_absolute_url() in forward.body  # the files, through the original
    assert AuditEntry.objects.filter(action="announcement.forward", target_id=str(forward.pk)).exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert member.user.email in recipients and other_block_rep.user.email not in recipients
    desk = client.get(reverse("hub:liaison_desk", args=[3])).context
    assert desk["national"] == [(national, True)]


def test_only_national_announcements_are_forwarded_and_only_to_ones_own_block(client, block_rep, other_block_rep,
                                                                             executive):
    block_news = announce(block_rep, Scope(Scope.BLOCK, block=3), title="Block news")
    with pytest.raises(services.HubError):
        services.forward_announcement(by=block_rep.user, announcement=block_news, block=3, note="")
    national = announce(executive, Scope(Scope.NATIONAL), title="National")
    with pytest.raises(services.HubError):
        services.forward_announcement(by=other_block_rep.user, announcement=national, block=3, note="")
    # A forged choice in the form (an announcement that is not national) is refused by the form.
    client.force_login(block_rep.user)
    response = client.post(reverse("hub:liaison_forward", args=[3]), {
        "announcement": block_news.pk, "note": "", once.FIELD: once.issue()})
    assert response.status_code == 200 and response.context["form"].errors["announcement"]
    assert not Announcement.objects.filter(forwarded_from__isnull=False).exists()
    assert not Event.objects.exists()


def test_the_desk_is_for_the_blocks_own_representatives_and_executives(client, other_block_rep, chapter_officer,
                                                                       executive):
    client.force_login(other_block_rep.user)
    assert client.get(reverse("hub:liaison_desk", args=[3])).status_code == 403
    assert client.get(reverse("hub:liaison_desk", args=[5])).status_code == 200
    client.force_login(chapter_officer.user)
    assert client.get(reverse("hub:liaison")).status_code == 403
    client.force_login(executive.user)
    assert client.get(reverse("hub:liaison_desk", args=[99])).status_code == 404
    assert client.get(reverse("hub:liaison_desk", args=[3])).status_code == 200
