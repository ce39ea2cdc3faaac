"""Anonymous answers (DESIGN.md invariant 4): nothing stored with a response leads back to its member."""

import pytest
from django.db import connection, models

from ajet.voice import services
from ajet.voice.models import Answer, Attribution, Draft, HasResponded, Response
from tests.voice.survey_factories import answers, make_survey

pytestmark = pytest.mark.django_db


def _columns(model) -> tuple[list[str], dict]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    foreign = {tuple(c["columns"]): c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}
    return sorted(column.name for column in description), foreign


def test_no_response_or_answer_column_could_link_to_a_member():
    assert _columns(Response) == (["block", "id", "position", "survey_id"], {("survey_id",): "voice_survey"})
    columns, foreign = _columns(Answer)
    assert columns == ["id", "number", "option_id", "question_id", "response_id", "text"]
    assert set(foreign.values()) == {"voice_response", "voice_question", "voice_option"}
    for model in (Response, Answer):
        assert isinstance(model._meta.pk, models.UUIDField), model
        for field in model._meta.concrete_fields:
            assert not isinstance(field, (models.DateTimeField, models.DateField, models.TimeField)), field


def test_has_responded_records_only_the_day():
    assert {field.name for field in HasResponded._meta.concrete_fields} == {"id", "member", "survey", "day"}
    assert type(HasResponded._meta.get_field("day")) is models.DateField


def test_an_anonymous_response_leaves_no_link_and_no_draft(executive, member):
    survey = make_survey(executive)
    services.save_draft(member=member, survey=survey, values=answers(survey, text="draft words"))
    assert Draft.objects.filter(member=member).exists()
    services.submit_response(member=member, survey=survey, values=answers(survey, text="my words"))
    assert not Draft.objects.filter(member=member).exists()  # the draft is gone in the same transaction
    assert not Attribution.objects.exists()
    response = Response.objects.get(survey=survey)
    assert (response.block, response.position) == (3, "ALT")
    assert HasResponded.objects.filter(member=member, survey=survey).count() == 1


def test_an_attributed_response_names_its_member(executive, member):
    survey = make_survey(executive, anonymous=False)
    response = services.submit_response(member=member, survey=survey, values=answers(survey))
    assert Attribution.objects.get(response=response).member == member
