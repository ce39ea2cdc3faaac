"""Results files of large surveys built in the background: the task builds the file (suppressed as the
direct exports), the page shows it being prepared and then its link, only the survey's managers download it,
the next request or a day replaces it, and every export is audit-logged."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ajet.core.models import AuditEntry
from ajet.voice import exports, tasks
from ajet.voice.models import SurveyExport
from tests.voice.survey_factories import make_survey
from tests.voice.test_results import SUPPRESSED

pytestmark = pytest.mark.django_db
LEAKS = ("secret from hokkaido", "aichi words", "cir words")


@pytest.fixture
def large(monkeypatch):
    """Every survey counts as large: its XLSX and PDF go to the background."""
    monkeypatch.setattr(exports, "DIRECT_EXPORT_LIMIT", 0)


def _request(client, survey, kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs the task on commit
        response = client.post(reverse("voice:survey_exports", args=[survey.pk]), {"kind": kind})
    assert response.status_code == 302
    return SurveyExport.objects.get(survey=survey, kind=kind)


def _download(client, export):
    return client.get(reverse("voice:survey_export_download", args=[export.survey_id, export.pk]))


def test_a_large_surveys_xlsx_is_built_by_the_task_and_stays_suppressed(
        client, executive, closed_survey, large, django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    direct = client.get(reverse("voice:survey_results_xlsx", args=[closed_survey.pk]))
    assert direct.status_code == 302 and direct.url == reverse("voice:survey_exports", args=[closed_survey.pk])
    page = client.get(direct.url)
    assert "Not prepared" in page.content.decode()

    export = _request(client, closed_survey, "xlsx", django_capture_on_commit_callbacks)
    assert export.status == SurveyExport.Status.READY and default_storage.exists(export.file.name)
    assert reverse("voice:survey_export_download", args=[closed_survey.pk, export.pk]) in client.get(
        direct.url).content.decode()
    response = _download(client, export)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    results = [list(row) for row in book["Results"].iter_rows(min_row=2, values_only=True)]
    by_block = {row[2]: row[3] for row in results if row[1] == "By block"}
    assert by_block["Block 1"] == SUPPRESSED and by_block["Block 5"] == SUPPRESSED
    raw = [list(row) for row in book["Answers"].iter_rows(min_row=2, values_only=True)]
    assert len(raw) == 18 and [row[-1] for row in raw].count(SUPPRESSED) == 9
    assert not any(leak in json.dumps(results + raw) for leak in LEAKS)
    assert AuditEntry.objects.filter(action="survey.export", target_id=str(closed_survey.pk),
                                     after={"format": "xlsx"}).count() == 1


def test_the_pdf_is_built_by_the_task_too(client, executive, closed_survey, large,
                                          django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    assert client.get(reverse("voice:survey_results_pdf", args=[closed_survey.pk])).status_code == 302
    export = _request(client, closed_survey, "pdf", django_capture_on_commit_callbacks)
    response = _download(client, export)
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Block 5" in text and not any(leak in text for leak in LEAKS)


def test_small_surveys_are_exported_directly_and_audit_logged(client, executive, closed_survey):
    client.force_login(executive.user)
    response = client.get(reverse("voice:survey_results_xlsx", args=[closed_survey.pk]))
    assert response.status_code == 200
    assert not SurveyExport.objects.exists()
    assert AuditEntry.objects.filter(action="survey.export", after={"format": "xlsx"}).count() == 1


def test_the_next_request_replaces_the_file(client, executive, closed_survey, large,
                                            django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    first = _request(client, closed_survey, "xlsx", django_capture_on_commit_callbacks)
    second = _request(client, closed_survey, "xlsx", django_capture_on_commit_callbacks)
    assert second.pk != first.pk and not SurveyExport.objects.filter(pk=first.pk).exists()
    assert not default_storage.exists(first.file.name) and default_storage.exists(second.file.name)
    assert _download(client, first).status_code == 404
    assert _download(client, second).status_code == 200


def test_a_file_is_kept_one_day(client, executive, closed_survey, large, django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    export = _request(client, closed_survey, "xlsx", django_capture_on_commit_callbacks)
    SurveyExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - exports.EXPORT_KEPT - datetime.timedelta(minutes=1))
    assert _download(client, export).status_code == 404  # expired, even before the purge ran
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_survey_exports.call() == 1
    assert not SurveyExport.objects.exists() and not default_storage.exists(export.file.name)


def test_a_replaced_export_is_not_stored(executive, closed_survey):
    export = SurveyExport.objects.create(survey=closed_survey, kind="xlsx", requested_by=executive.user)
    SurveyExport.objects.filter(pk=export.pk).delete()
    assert exports.build_export(export.pk) is False
    assert not default_storage.exists("survey-exports") or not default_storage.listdir("survey-exports")[1]


def test_only_the_surveys_managers_download_it(client, executive, block_rep, member, closed_survey, large,
                                               django_capture_on_commit_callbacks):
    client.force_login(executive.user)
    export = _request(client, closed_survey, "xlsx", django_capture_on_commit_callbacks)
    for persona, status in ((block_rep, 403), (member, 403)):  # they see the national survey, not its results
        client.force_login(persona.user)
        assert _download(client, export).status_code == status
    client.force_login(executive.user)
    other = make_survey(executive, state="closed", title_en="Another survey")  # its address never serves this file
    assert client.get(reverse("voice:survey_export_download", args=[other.pk, export.pk])).status_code == 404


def test_an_unknown_kind_is_refused(client, executive, closed_survey):
    client.force_login(executive.user)
    response = client.post(reverse("voice:survey_exports", args=[closed_survey.pk]), {"kind": "docx"})
    assert response.status_code == 404 and not SurveyExport.objects.exists()


def test_large_surveys_are_counted_as_they_close(client, executive, closed_survey, large):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ajet.voice.results import counts_key

    cache.delete(counts_key(closed_survey))
    assert tasks.count_closed_surveys.call() == 1
    client.force_login(executive.user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("voice:survey_results", args=[closed_survey.pk])).content.decode()
    assert 'data-group="all"' in page and "saitama words" in page
    assert not [query for query in queries.captured_queries if 'FROM "voice_answer"' in query["sql"]]


def test_the_results_page_says_which_files_are_prepared_in_the_background(client, executive, closed_survey,
                                                                          monkeypatch):
    client.force_login(executive.user)
    url = reverse("voice:survey_results", args=[closed_survey.pk])
    monkeypatch.setattr(exports, "DIRECT_EXPORT_LIMIT", closed_survey.responses.count())
    assert "prepared in the background" not in client.get(url).content.decode()
    monkeypatch.setattr(exports, "DIRECT_EXPORT_LIMIT", closed_survey.responses.count() - 1)
    assert "prepared in the background" in client.get(url).content.decode()
