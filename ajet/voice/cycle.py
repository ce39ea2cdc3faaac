"""The rhythm of sponsor meetings: when the next one is and the deadlines that lead to it.

The schedule is the setting VOICE_MEETING_SCHEDULE: "twice-yearly" (a spring and an autumn meeting, as
AJET met the sponsors for years) or "yearly" (autumn only, as more recently). A meeting already recorded
for a future day is the next one; otherwise the next one is projected on the schedule's day. The
deadlines count back from the meeting's day.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ajet.voice.models import SponsorMeeting, Survey

SCHEDULE_DAYS = {  # (month, day) of the meetings in a year
    "twice-yearly": [(5, 20), (11, 20)],
    "yearly": [(11, 20)],
}
SCHEDULE_LABELS = {"twice-yearly": _("twice a year (spring and autumn)"), "yearly": _("once a year (autumn)")}
SURVEY_OPENS_BEFORE = datetime.timedelta(weeks=12)
SURVEY_CLOSES_BEFORE = datetime.timedelta(weeks=6)
CONCERN_CUT_OFF_BEFORE = datetime.timedelta(weeks=5)
REPORT_DUE_BEFORE = datetime.timedelta(weeks=2)


@dataclass
class Cycle:
    held_on: datetime.date
    meeting: SponsorMeeting | None  # None: projected from the schedule, not recorded yet
    survey_opens: datetime.date
    survey_closes: datetime.date
    concern_cut_off: datetime.date
    report_due: datetime.date
    surveys: list

    @property
    def deadlines(self) -> list[tuple[str, datetime.date]]:
        return [(_("The survey opens"), self.survey_opens), (_("The survey closes"), self.survey_closes),
                (_("Concerns for this meeting by"), self.concern_cut_off),
                (_("The briefing report is due"), self.report_due), (_("The meeting"), self.held_on)]


def scheduled_day_after(today: datetime.date, schedule: str) -> datetime.date:
    """The first scheduled meeting day on or after `today`."""
    for year in (today.year, today.year + 1):
        for month, day in SCHEDULE_DAYS[schedule]:
            candidate = datetime.date(year, month, day)
            if candidate >= today:
                return candidate
    raise AssertionError("unreachable: every schedule has a day each year")


def next_cycle(today: datetime.date | None = None) -> Cycle:
    """The next meeting (recorded, or projected on the schedule) with its deadlines and the national surveys
    that close in its cycle."""
    today = today or timezone.localdate()
    meeting = SponsorMeeting.objects.filter(held_on__gte=today, published_at__isnull=True).order_by("held_on").first()
    held_on = meeting.held_on if meeting else scheduled_day_after(today, settings.VOICE_MEETING_SCHEDULE)
    previous = SponsorMeeting.objects.filter(held_on__lt=held_on).order_by("-held_on").first()
    since = previous.held_on if previous else held_on - datetime.timedelta(days=365)
    surveys = list(Survey.objects.filter(audience=Survey.Audience.NATIONAL, closes_at__date__gt=since,
                                         closes_at__date__lte=held_on).order_by("closes_at"))
    return Cycle(held_on=held_on, meeting=meeting, survey_opens=held_on - SURVEY_OPENS_BEFORE,
                 survey_closes=held_on - SURVEY_CLOSES_BEFORE, concern_cut_off=held_on - CONCERN_CUT_OFF_BEFORE,
                 report_due=held_on - REPORT_DUE_BEFORE, surveys=surveys)
