"""Background work of the elections app (django-tasks): the phase schedule and the notification e-mails.

`advance_phases` is meant to run every few minutes (a cron line or the worker's scheduler calling
`advance_phases.enqueue()`); it moves every election whose dates have passed and then e-mails whoever the
new phase concerns. E-mails are never sent in a request.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from ajet.elections import electorate, services
from ajet.elections.models import Election, Participation, ResultPackage, RollEntry
from ajet.organisation.scopes import Scope, members_in_scope
from ajet.people.models import Member

REMINDER_BEFORE_CLOSE = datetime.timedelta(hours=24)
NOTIFIED_PHASES = (Election.Phase.NOMINATIONS_OPEN, Election.Phase.VOTING_OPEN, Election.Phase.CERTIFIED)


def announce_phase(election: Election) -> bool:
    """The one place that sends a phase's e-mails, whoever moved the election (an executive's action or the
    schedule): enqueue `notify_phase` if the election's current phase is one members are told about."""
    if election.phase not in NOTIFIED_PHASES:
        return False
    notify_phase.enqueue(slug=election.slug, phase=election.phase)
    return True


@task()
def advance_phases() -> list[tuple[str, str]]:
    """Move the elections whose dates have passed; announce the phase each one ends in (a phase it passed
    through in the same run, e.g. nominations that opened and closed while the worker was down, is over
    and is not announced)."""
    moves = services.advance_due_phases()
    reached = dict(moves)  # slug → the phase of its last move
    for election in Election.objects.filter(slug__in=reached):
        announce_phase(election)
    return moves


@task()
def notify_phase(*, slug: str, phase: str) -> int:
    """E-mail the members concerned that `phase` began (or, for certified, that results are out):
    nominations open, to the members who may stand or vote in a contest by its rule today; voting open, to
    the frozen roll; certified results, to every current member."""
    election = Election.objects.get(slug=slug)
    if phase == Election.Phase.VOTING_OPEN:
        recipients = Member.objects.filter(roll_entries__contest__election=election).distinct()
    elif phase == Election.Phase.NOMINATIONS_OPEN:
        eligible: set[int] = set()
        for contest in election.contests.all():
            eligible.update(electorate.eligible_members(contest).values_list("pk", flat=True))
        recipients = Member.objects.filter(pk__in=eligible)
    else:
        recipients = members_in_scope(Scope(Scope.NATIONAL))
    return _send(election, recipients.select_related("user"), phase)


@task()
def remind_non_voters(*, slug: str) -> int:
    """24 hours before voting closes: e-mail the members on a roll who have not voted in every contest."""
    election = Election.objects.get(slug=slug)
    if election.phase != Election.Phase.VOTING_OPEN:
        return 0
    on_roll = RollEntry.objects.filter(contest__election=election)
    pending = set(on_roll.values_list("member_id", "contest_id")) - set(
        Participation.objects.filter(contest__election=election).values_list("member_id", "contest_id"))
    members = Member.objects.filter(pk__in={member_id for member_id, _contest in pending}).select_related("user")
    return _send(election, members, "reminder")


@task()
def send_due_reminders() -> list[str]:
    """Run with the schedule: remind once for each election closing within 24 hours (marked in the cache)."""
    from django.core.cache import cache

    now = timezone.now()
    sent = []
    for election in Election.objects.filter(phase=Election.Phase.VOTING_OPEN,
                                            voting_close_at__lte=now + REMINDER_BEFORE_CLOSE):
        if cache.add(f"elections:reminded:{election.pk}", True, timeout=int(REMINDER_BEFORE_CLOSE.total_seconds())):
            remind_non_voters.enqueue(slug=election.slug)
            sent.append(election.slug)
    return sent


def _send(election: Election, members, kind: str) -> int:
    site = settings.SITE_URL.rstrip("/")
    link = site + reverse("elections:election", args=[election.slug])
    certified = {}
    if kind == Election.Phase.CERTIFIED:  # where the result package is, and its hash to check a download
        package = ResultPackage.objects.filter(election=election).only("sha256").first()
        certified = {"results_link": site + reverse("elections:results", args=[election.slug]),
                     "package_link": site + reverse("elections:result_package", args=[election.slug]),
                     "package_sha256": package.sha256 if package else ""}
    messages = []
    for member in members:
        if not member.user.is_active:
            continue
        context = {"election": election, "member": member, "link": link, "kind": kind,
                   "closes": timezone.localtime(election.voting_close_at)} | certified
        with translation.override(member.preferred_language):
            subject = render_to_string("elections/email/subject.txt", context)
            body = render_to_string("elections/email/message.txt", context)
        prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
        messages.append(EmailMessage(prefix + " ".join(subject.split()), body, None, [member.user.email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


@task()
def send_roll_correction(*, slug: str, member_id: int, message: str) -> int:
    """E-mail a member's request to correct the roll to the election committee (or the executives), with
    the member's roll as the platform sees it; replies go to the member."""
    from ajet.elections.queries import roll_status

    election = Election.objects.get(slug=slug)
    member = Member.objects.select_related("user", "prefecture").get(pk=member_id)
    readers = services.roll_correction_recipients(election).select_related("user")
    addresses = [reader.user.email for reader in readers if reader.user.is_active]
    if not addresses:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("elections:election", args=[election.slug])
    context = {"election": election, "member": member, "message": message, "link": link,
               "roll": roll_status(member, election)}
    subject = render_to_string("elections/email/roll_correction_subject.txt", context)
    body = render_to_string("elections/email/roll_correction_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    EmailMessage(prefix + " ".join(subject.split()), body, None, addresses, reply_to=[member.user.email]).send()
    return len(addresses)


@task()
def notify_nominee(*, candidate_id: int) -> int:
    """Tell a nominee the committee's decision (approved, or rejected with its reason)."""
    from ajet.elections.models import Candidate

    candidate = Candidate.objects.select_related("contest__election", "contest__post", "member__user").get(
        pk=candidate_id)
    member = candidate.member
    if member is None or not member.user.is_active:
        return 0
    election = candidate.contest.election
    link = settings.SITE_URL.rstrip("/") + reverse("elections:candidate", args=[election.slug, candidate.pk])
    context = {"election": election, "candidate": candidate, "member": member, "link": link}
    with translation.override(member.preferred_language):
        subject = render_to_string("elections/email/review_subject.txt", context)
        body = render_to_string("elections/email/review_message.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    EmailMessage(prefix + " ".join(subject.split()), body, None, [member.user.email]).send()
    return 1
