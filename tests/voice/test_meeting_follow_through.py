"""Sponsor meetings after the agenda: follow-ups with owners and due dates, the next meeting's preparation,
the bilingual published summary, e-mails to subscribers over real SMTP, and the meeting cycle."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.core.models import AuditEntry
from ajet.organisation.models import Post
from ajet.voice import cycle, services
from ajet.voice.models import FollowUp, SummarySubscription
from ajet.voice.services import MeetingError
from tests.factories import MemberFactory
from tests.people.test_invitation_smtp import Mailbox
from tests.smtp import smtp_server_for

pytestmark = pytest.mark.django_db


def _meeting(executive, title, held_on, published=False, follow_ups=()):
    meeting = services.create_meeting(by=executive.user, title=title, held_on=held_on, sponsors=["CLAIR", "MEXT"])
    item = services.add_agenda_item(by=executive.user, meeting=meeting, title_en="Contract renewal dates",
                                    title_ja="契約更新の時期", recommendation_en="Confirm renewals by December.",
                                    recommendation_ja="12月までに更新を確定すること。")
    services.record_sponsor_answer(by=executive.user, item=item, sponsor="CLAIR", answer_en="CLAIR will remind them.",
                                   answer_ja="CLAIRから通知します。")
    services.record_sponsor_answer(by=executive.user, item=item, sponsor="MEXT", answer_en="MEXT will ask the boards.")
    for text, due_on in follow_ups:
        services.add_follow_up(by=executive.user, item=item, text_en=text, owner=Post.objects.get(slug="chair"),
                               due_on=due_on)
    if published:
        services.publish_meeting(by=executive.user, meeting=meeting, summary_en="Good progress.",
                                 summary_ja="前進しました。")
    return meeting


def test_follow_ups_are_overdue_when_past_due_until_done(client, executive):
    today = timezone.localdate()
    meeting = _meeting(executive, "Spring", today - datetime.timedelta(days=60),
                       follow_ups=[("Send the circular", today - datetime.timedelta(days=1)),
                                   ("Write to the boards", today + datetime.timedelta(days=30))])
    late, on_time = FollowUp.objects.order_by("due_on")
    assert late.is_overdue() and not on_time.is_overdue()
    client.force_login(executive.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count("Overdue") == 1
    assert client.post(reverse("voice:follow_up_done", args=[late.pk])).status_code == 302
    late.refresh_from_db()
    assert late.done_on == today and not late.is_overdue()
    assert "Overdue" not in client.get(meeting.get_absolute_url()).content.decode()
    with pytest.raises(MeetingError, match="done already"):
        services.complete_follow_up(by=executive.user, follow_up=late)
    assert AuditEntry.objects.filter(action="meeting.follow_up_done").count() == 1


def test_bad_follow_ups_change_nothing(client, executive):
    meeting = _meeting(executive, "Spring", datetime.date(2026, 5, 20))
    item = meeting.items.get()
    client.force_login(executive.user)
    url = reverse("voice:follow_up_add", args=[meeting.pk, item.pk])
    prefix = f"follow-up-{item.pk}"
    early = client.post(url, {f"{prefix}-text_en": "Ask", f"{prefix}-owner": Post.objects.get(slug="chair").pk,
                              f"{prefix}-due_on": "2026-05-01"})
    assert early.status_code == 400 and "due after the meeting" in early.content.decode()
    no_owner = client.post(url, {f"{prefix}-text_en": "Ask", f"{prefix}-owner": "99999999999999999999",
                                 f"{prefix}-due_on": "2026-06-01"})
    assert no_owner.status_code == 400
    assert not FollowUp.objects.exists()


def test_the_next_meeting_is_prepared_from_the_open_follow_ups_of_the_last(client, executive, member):
    today = timezone.localdate()
    last = _meeting(executive, "Autumn", today - datetime.timedelta(days=100), published=True,
                    follow_ups=[])
    item = last.items.get()
    # Follow-ups can be added only before publishing; these were agreed at the meeting and recorded then.
    open_one = FollowUp.objects.create(item=item, text_en="Survey the housing costs", owner=Post.objects.get(
        slug="chair"), due_on=today - datetime.timedelta(days=5))
    FollowUp.objects.create(item=item, text_en="Thank the sponsors", owner=Post.objects.get(slug="chair"),
                            due_on=today - datetime.timedelta(days=90), done_on=today - datetime.timedelta(days=95))
    older = _meeting(executive, "Spring", today - datetime.timedelta(days=300), published=True)
    FollowUp.objects.create(item=older.items.get(), text_en="Old business", owner=Post.objects.get(slug="chair"),
                            due_on=today)
    upcoming = services.create_meeting(by=executive.user, title="Next spring", sponsors=["MIC"],
                                       held_on=today + datetime.timedelta(days=60))
    client.force_login(executive.user)
    page = client.get(upcoming.get_absolute_url()).content.decode()
    start = page.index("Open follow-ups of the last meeting")
    assert start < page.index("No agenda items yet.")
    assert open_one.text_en in page and "Overdue" in page
    assert "Thank the sponsors" not in page and "Old business" not in page
    client.force_login(member.user)
    assert "Open follow-ups" not in client.get(last.get_absolute_url()).content.decode()


def test_the_published_summary_lists_each_question_then_each_answer_in_both_languages(client, executive, member):
    meeting = _meeting(executive, "Autumn", datetime.date(2026, 11, 20),
                       follow_ups=[("Send the circular", datetime.date(2027, 1, 15))])
    services.publish_meeting(by=executive.user, meeting=meeting, summary_en="Good progress.",
                             summary_ja="前進しました。")
    client.force_login(member.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    order = ["Good progress.", "前進しました。", "Contract renewal dates", "契約更新の時期",
             "Confirm renewals by December.", "12月までに更新を確定すること。", "CLAIR will remind them.",
             "CLAIRから通知します。", "MEXT will ask the boards.", "Send the circular", "2027-01-15"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'lang="ja"' in page


def test_subscribers_are_e_mailed_over_smtp_when_a_summary_is_published(client, settings, executive, member,
                                                                        django_capture_on_commit_callbacks):
    client.force_login(member.user)
    assert client.post(reverse("voice:meeting_subscription"), {"subscribe": "1"}).status_code == 302
    assert "You are e-mailed" in client.get(reverse("voice:meeting_subscription")).content.decode()
    gone = MemberFactory(user__email="gone@example.org")
    SummarySubscription.objects.create(member=gone)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    quitter = MemberFactory(user__email="quitter@example.org")
    services.set_summary_subscription(member=quitter, subscribed=True)
    services.set_summary_subscription(member=quitter, subscribed=False)
    meeting = _meeting(executive, "Autumn", datetime.date(2026, 11, 20))
    with smtp_server_for(settings, Mailbox()) as mailbox, django_capture_on_commit_callbacks(execute=True):
        services.publish_meeting(by=executive.user, meeting=meeting, summary_en="Good progress.")
    assert [envelope.rcpt_tos for envelope in mailbox.envelopes] == [["alice@example.org"]]
    body = mailbox.envelopes[0].content.decode()
    assert "Autumn" in body and reverse("voice:meeting", args=[meeting.pk]) in body


def test_the_cycle_follows_the_schedule_setting(client, settings, executive, member):
    settings.VOICE_MEETING_SCHEDULE = "twice-yearly"
    spring = cycle.next_cycle(datetime.date(2026, 3, 1))
    assert spring.held_on == datetime.date(2026, 5, 20) and spring.meeting is None
    assert spring.survey_closes < spring.concern_cut_off < spring.report_due < spring.held_on
    assert spring.survey_opens == datetime.date(2026, 2, 25)
    assert cycle.next_cycle(datetime.date(2026, 12, 1)).held_on == datetime.date(2027, 5, 20)
    settings.VOICE_MEETING_SCHEDULE = "yearly"
    assert cycle.next_cycle(datetime.date(2026, 3, 1)).held_on == datetime.date(2026, 11, 20)
    # A meeting recorded for a future day is the next one, whatever the schedule says.
    recorded = services.create_meeting(by=executive.user, title="Extra meeting", sponsors=["MIC"],
                                       held_on=timezone.localdate() + datetime.timedelta(days=10))
    assert cycle.next_cycle().meeting == recorded
    client.force_login(member.user)
    page = client.get(reverse("voice:meeting_cycle")).content.decode()
    assert "once a year" in page and "Extra meeting" not in page  # not published: its title stays hidden
    client.force_login(executive.user)
    assert "Extra meeting" in client.get(reverse("voice:meeting_cycle")).content.decode()


def test_the_meeting_page_and_report_do_not_grow_queries_with_items(client, executive, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(items: int, url_name: str) -> int:
        meeting = services.create_meeting(by=executive.user, title=f"{items} items", sponsors=["MIC"],
                                          held_on=datetime.date(2026, 5, 20))
        for index in range(items):
            item = services.add_agenda_item(by=executive.user, meeting=meeting, title_en=f"Item {index}",
                                            recommendation_en="Act.")
            services.record_sponsor_answer(by=executive.user, item=item, sponsor="MIC", answer_en="Yes.")
            services.add_follow_up(by=executive.user, item=item, text_en="Do it", owner=Post.objects.get(slug="chair"),
                                   due_on=datetime.date(2026, 6, 1))
        client.force_login(executive.user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name, args=[meeting.pk])).status_code == 200
        return len(captured)

    for url_name in ("voice:meeting", "voice:meeting_report"):
        count(1, url_name)  # the first request of a test warms the caches
        assert count(1, url_name) == count(3, url_name), url_name
