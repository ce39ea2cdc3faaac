"""The briefing report for a sponsor meeting: its agenda items with their evidence and recommendations.

Evidence is of two kinds. Survey results: the same suppressed cells as the results page (ajet/voice/results.py)
for every survey an item rests on, once it may be shown (closed, or attributed). Concern counts: the concerns
raised in the meeting's cycle (after the previous meeting, up to this one), by category and by block, each
breakdown suppressed like a survey breakdown (cells under 5, and the next smallest while the suppressed ones
together hold under 5), with no cross table: a cross table's cells would be the intersections of two
breakdowns, and its margins would give back what a cell hides. Private concerns (kept with the block
representative) and merged duplicates are never counted.

Every text block has an English and a Japanese version; the report renders in English, Japanese (the English
shown, marked, where the Japanese is missing) or both side by side.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from ajet.voice import queries, results
from ajet.voice.models import Concern, SponsorMeeting

LANGUAGES = ("en", "ja", "both")


@dataclass
class CountCell:
    label: str
    count: int | None  # None: suppressed


@dataclass
class ConcernCounts:
    since: datetime.date | None
    until: datetime.date
    total: int | None
    by_category: list[CountCell]
    by_block: list[CountCell]


def _breakdown(counts: Counter, labels: dict, total_suppressed: bool) -> list[CountCell]:
    present = {key: size for key, size in counts.items() if size}
    hidden = set(labels) if total_suppressed else results.suppressed_keys(present)
    return [CountCell(label=label, count=None if key in hidden else counts.get(key, 0))
            for key, label in labels.items()]


def concern_counts(meeting: SponsorMeeting) -> ConcernCounts:
    previous = queries.previous_meeting(meeting)
    concerns = Concern.objects.exclude(visibility=Concern.Visibility.PRIVATE).exclude(
        status=Concern.Status.MERGED).filter(created_at__date__lte=meeting.held_on)
    if previous is not None:
        concerns = concerns.filter(created_at__date__gt=previous.held_on)
    rows = list(concerns.values_list("category", "block_id"))
    total = len(rows)
    total_suppressed = total < results.SUPPRESSION_THRESHOLD
    by_category = Counter(category for category, _block in rows)
    by_block = Counter(block if block is not None else 0 for _category, block in rows)
    block_labels = {block: _("Block %(number)s") % {"number": block}
                    for block in sorted(key for key in by_block if key)}
    if 0 in by_block:
        block_labels[0] = _("CIR and national matters")
    return ConcernCounts(
        since=previous.held_on if previous else None, until=meeting.held_on,
        total=None if total_suppressed else total,
        by_category=_breakdown(by_category, dict(Concern.Category.choices), total_suppressed),
        by_block=_breakdown(by_block, block_labels, total_suppressed))


@dataclass
class SurveyEvidence:
    survey: object
    respondents: int
    results: list | None  # None: not shown yet (an anonymous survey still open)
    charted: list | None = None  # (result, chart or None) for each result shown


def build_report(meeting: SponsorMeeting) -> dict:
    """Everything the report template shows, computed once (render it in any language afterwards; the charts'
    labels are in the language of the request that built it)."""
    from ajet.voice import charts
    from ajet.voice.exports import PDF_FONTS
    items = list(meeting.items.prefetch_related("surveys", "concerns", "answers", "follow_ups__owner")
                 .annotate(support_count=Count("concerns__supports")))
    evidence: dict[int, SurveyEvidence] = {}
    for item in items:
        for survey in item.surveys.all():
            if survey.pk not in evidence:
                found = results.survey_results(survey) if survey.results_visible() else None
                evidence[survey.pk] = SurveyEvidence(
                    survey=survey, respondents=results.respondent_count(survey), results=found,
                    charted=[(result, charts.chart_for(result, font_family=PDF_FONTS)) for result in found]
                    if found is not None else None)
    return {
        "meeting": meeting,
        "items": [(item, [evidence[survey.pk] for survey in item.surveys.all()],
                   sum(1 for concern in item.concerns.all() if concern.visibility != Concern.Visibility.PRIVATE),
                   item.support_count) for item in items],
        "concerns": concern_counts(meeting),
        "threshold": results.SUPPRESSION_THRESHOLD,
        "suppressed_label": results.SUPPRESSED_LABEL,
    }
