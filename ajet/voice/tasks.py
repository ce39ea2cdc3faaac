"""Background work of the voice app (django-tasks): the e-mails that tell a member an officer asked about
their concern, and tell the subscribers that a sponsor meeting's summary is published; the results files of
large surveys (exports.py), and their deletion a day later.

Periodic, hourly: `purge_survey_exports` (the download view refuses an expired file anyway) and
`count_closed_surveys`."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ajet.voice import exports, results
from ajet.voice.models import Concern, SponsorMeeting, SummarySubscription, Survey, SurveyExport

BATCH_SIZE = 200  # messages per SMTP connection


def _message(member, template: str, context: dict) -> EmailMessage:
    with translation.override(member.preferred_language):
        subject = render_to_string(f"voice/email/{template}_subject.txt", context)
        body = render_to_string(f"voice/email/{template}_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(prefix + " ".join(subject.split()), body, None, [member.user.email])


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task()
def tell_member_of_question(*, concern_id: int) -> int:
    """E-mail the member who raised a (named or private) concern that an officer asked them something.
    The e-mail holds only the link: the question is read on the concern's page, behind the sign-in."""
    concern = Concern.objects.select_related("member__user").filter(pk=concern_id).first()
    if concern is None or concern.member is None or not concern.member.user.is_active:
        return 0
    context = {"member": concern.member, "concern": concern, "link": _link(concern.get_absolute_url())}
    _message(concern.member, "question", context).send()
    return 1


@task()
def tell_subscribers_of_summary(*, meeting_id: int) -> int:
    """E-mail every subscribed member with an active account that the meeting's summary is published,
    in batches over one SMTP connection each. Returns how many were sent."""
    meeting = SponsorMeeting.objects.get(pk=meeting_id)
    link = _link(reverse("voice:meeting", args=[meeting.pk]))
    subscriptions = (SummarySubscription.objects.filter(member__user__is_active=True)
                     .select_related("member__user").order_by("pk"))
    sent, last_pk = 0, 0
    while True:
        batch = list(subscriptions.filter(pk__gt=last_pk)[:BATCH_SIZE])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        messages = [_message(subscription.member, "summary",
                             {"member": subscription.member, "meeting": meeting, "link": link,
                              "unsubscribe": _link(reverse("voice:meeting_subscription"))})
                    for subscription in batch]
        sent += get_connection().send_messages(messages) or 0


@task()
def build_survey_export(*, export_id: int, language: str = settings.LANGUAGE_CODE) -> bool:
    """Build and store the results file an officer asked for (exports.build_export), in their language.
    False when it was replaced or deleted meanwhile."""
    with translation.override(language):
        return exports.build_export(export_id)


@task()
def purge_survey_exports() -> int:
    """Delete the results files asked for more than exports.EXPORT_KEPT ago (and exports a stopped worker left
    being prepared). Returns how many."""
    return exports.delete_exports(SurveyExport.objects.filter(requested_at__lte=timezone.now() - exports.EXPORT_KEPT))


@task()
def count_closed_surveys() -> int:
    """Count the results of the large surveys that closed within the last day into the cache (results._Cached),
    so that the first officer to open them does not wait for the count (seconds at 100,000 responses). An
    anonymous survey's results appear only once it closes, so this is most readings' first. Returns how many
    surveys it read (those already counted cost a cache read)."""
    now = timezone.now()
    counted = 0
    for survey in Survey.objects.filter(closes_at__gt=now - datetime.timedelta(days=1), closes_at__lte=now):
        if exports.built_in_background(survey):
            results.survey_results(survey, text_limit=results.PAGE_TEXT_LIMIT)
            counted += 1
    return counted
