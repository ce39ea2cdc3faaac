"""Fixtures of the voice tests."""

import pytest

from ajet.organisation.geography import block_map_on
from ajet.voice import services
from tests.factories import MemberFactory
from tests.voice.survey_factories import answers, close, make_survey


@pytest.fixture
def closed_survey(executive):
    assert block_map_on()["11"] == 3 and block_map_on()["23"] == 5 and block_map_on()["01"] == 1
    survey = make_survey(executive)
    people = ([("11", "ALT", "saitama words")] * 8 + [("11", "CIR", "saitama too")]
              + [("23", "ALT", "aichi words")] * 2
              + [("23", "CIR", "cir words")] * 5 + [("01", "ALT", "secret from hokkaido")] * 2)
    for index, (prefecture, position, text) in enumerate(people):
        member = MemberFactory(prefecture_id=prefecture, position=position)
        services.submit_response(member=member, survey=survey, values=answers(
            survey, choice=index % 3, likert=1 + index % 5, number=index, text=text, helpers=(index % 3,)))
    close(survey)
    return survey
