"""The briefing report of a sponsor meeting: agenda, evidence with suppressed concern counts, recommendations,
as HTML and PDF, in English, Japanese or side by side; the translators who fill in the Japanese."""

import datetime

import pytest
from django.urls import reverse

from ajet.core.models import AuditEntry
from ajet.voice import report, services
from ajet.voice.models import Concern, Translator
from tests.factories import MemberFactory
from tests.voice.survey_factories import make_survey

pytestmark = pytest.mark.django_db


def _raise(count, category, prefecture="11", visibility="anonymous"):
    return [services.raise_concern(member=MemberFactory(prefecture_id=prefecture), title=f"{category} {index}",
                                   text="…", category=category, level="block", visibility=visibility)
            for index in range(count)]


@pytest.fixture
def meeting(executive):
    meeting = services.create_meeting(by=executive.user, title="Autumn sponsor meeting", sponsors=["CLAIR", "MEXT"],
                                      held_on=datetime.date.today() + datetime.timedelta(days=30))
    item = services.add_agenda_item(by=executive.user, meeting=meeting, title_en="Housing quality",
                                    recommendation_en="Inspect the flats before JETs arrive.",
                                    surveys=[make_survey(executive, state="closed")])
    services.record_sponsor_answer(by=executive.user, item=item, sponsor="CLAIR", answer_en="CLAIR agrees.",
                                   answer_ja="CLAIRは同意します。")
    return meeting


def test_concern_counts_suppress_small_groups_and_their_complement(meeting):
    _raise(6, "workplace")
    _raise(6, "housing", prefecture="23")
    _raise(2, "contracts", prefecture="23")
    _raise(7, "training", visibility="private")  # never beyond the block representative: not counted
    merged = _raise(1, "workplace")[0]
    Concern.objects.filter(pk=merged.pk).update(status=Concern.Status.MERGED)
    counts = report.concern_counts(meeting)
    by_category = {cell.label: cell.count for cell in counts.by_category}
    assert counts.total == 14
    # Contracts (2) is under 5; housing, the next smallest, hides with it so that 14 − 6 gives nothing away.
    assert by_category["Workplace"] == 6 and by_category["Contracts and pay"] is None
    assert by_category["Housing"] is None and by_category["Training"] == 0
    by_block = {cell.label: cell.count for cell in counts.by_block}
    assert by_block == {"Block 3": 6, "Block 5": 8}


def test_fewer_than_five_concerns_show_no_counts_at_all(meeting):
    _raise(4, "housing")
    counts = report.concern_counts(meeting)
    assert counts.total is None and all(cell.count is None for cell in counts.by_category + counts.by_block)


def test_the_report_renders_in_english_japanese_and_side_by_side(client, executive, meeting):
    _raise(6, "housing")
    client.force_login(executive.user)
    english = client.get(reverse("voice:meeting_report", args=[meeting.pk])).content.decode()
    assert "Housing quality" in english and "Inspect the flats" in english and "CLAIR agrees." in english
    assert "CLAIRは同意します。" not in english and "responses." in english
    japanese = client.get(reverse("voice:meeting_report", args=[meeting.pk]) + "?lang=ja").content.decode()
    assert "CLAIRは同意します。" in japanese and "CLAIR agrees." not in japanese
    assert "Housing quality" in japanese  # no Japanese yet: the English, marked
    both = client.get(reverse("voice:meeting_report", args=[meeting.pk]) + "?lang=both").content.decode()
    assert "CLAIR agrees." in both and "CLAIRは同意します。" in both and "side-by-side" in both
    assert client.get(reverse("voice:meeting_report", args=[meeting.pk]) + "?lang=xx").status_code == 200


def test_the_report_as_pdf(client, executive, meeting):
    client.force_login(executive.user)
    for language in ("en", "ja", "both"):
        response = client.get(reverse("voice:meeting_report_pdf", args=[meeting.pk]) + f"?lang={language}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_translators_see_what_needs_translating_and_fill_it_in(client, executive, member, meeting):
    client.force_login(member.user)
    assert client.get(reverse("voice:translations")).status_code == 403
    client.force_login(executive.user)
    assert client.post(reverse("voice:translators"), {"email": "alice@example.org"}).status_code == 302
    assert client.post(reverse("voice:translators"), {"email": "nobody@example.org"}).status_code == 400
    assert Translator.objects.filter(member=member).exists()
    client.force_login(member.user)
    page = client.get(reverse("voice:translations")).content.decode()
    assert "Housing quality" in page and "Inspect the flats" in page and "CLAIR agrees." not in page
    item = meeting.items.get()
    assert client.post(reverse("voice:translation_save"),
                       {"kind": "item-title", "pk": item.pk, "text": "住宅の質"}).status_code == 302
    # Bad input: an unknown kind, a missing text, a bidirectional control; nothing is written.
    for bad in ({"kind": "survey", "pk": item.pk, "text": "x"}, {"kind": "item-title", "pk": item.pk, "text": " "},
                {"kind": "item-recommendation", "pk": "abc", "text": "x"},
                {"kind": "item-recommendation", "pk": item.pk, "text": "abc\u202edef"}):
        assert client.post(reverse("voice:translation_save"), bad).status_code == 400, bad
    item.refresh_from_db()
    assert item.title_ja == "住宅の質" and item.recommendation_ja == ""
    assert "Housing quality" not in client.get(reverse("voice:translations")).content.decode()
    report_page = client.get(reverse("voice:meeting_report", args=[meeting.pk]) + "?lang=ja").content.decode()
    assert "住宅の質" in report_page
    assert AuditEntry.objects.filter(action="meeting.translate").count() == 1
    client.force_login(executive.user)
    assert client.post(reverse("voice:translator_change", args=[member.pk])).status_code == 302
    client.force_login(member.user)
    assert client.get(reverse("voice:translations")).status_code == 403
    assert {"translator.grant", "translator.revoke"} <= set(AuditEntry.objects.values_list("action", flat=True))


def _has_ipaex() -> bool:
    import pathlib

    return any(pathlib.Path("/usr/share/fonts").rglob("ipaexg.ttf"))


@pytest.mark.skipif(not _has_ipaex(), reason="the IPAex Gothic font (.ci/run installs it) is not on this machine")
def test_the_japanese_pdf_is_set_in_ipaex_gothic(meeting):
    import re

    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string
    from django.utils import translation
    from weasyprint import CSS, HTML

    from ajet.voice.views_report import PDF_STYLESHEET

    with translation.override("ja"):
        html = render_to_string("voice/meeting_report_pdf.html", {**report.build_report(meeting), "mode": "ja"})
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(PDF_STYLESHEET))],
                                      uncompressed_pdf=True)
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/]+)", pdf))
    assert b"IPAexGothic" in fonts, fonts


def test_the_report_draws_the_charts_of_its_surveys_with_their_suppression(client, executive, closed_survey):
    meeting = services.create_meeting(by=executive.user, title="Spring sponsor meeting", sponsors=["MIC"],
                                      held_on=datetime.date.today() + datetime.timedelta(days=30))
    services.add_agenda_item(by=executive.user, meeting=meeting, title_en="Workload",
                             recommendation_en="Fewer schools per ALT.", surveys=[closed_survey])
    client.force_login(executive.user)
    page = client.get(reverse("voice:meeting_report", args=[meeting.pk])).content.decode()
    assert page.count("<svg") >= 3  # a chart per choice, Likert and number question
    assert "secret from hokkaido" not in page  # free text never reaches the report
    pdf = client.get(reverse("voice:meeting_report_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
