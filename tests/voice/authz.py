import datetime

from ajet.voice import services
from ajet.voice.models import AgendaItem, Concern, Question, Response, Section, SponsorMeeting, Survey
from tests.authz_support import LOGIN, MFA, REDIRECT, Row, signed_in
from tests.factories import once_sent
from tests.voice.survey_factories import answers, make_survey

OFFICERS = {"chapter_officer": 200, "other_block_rep": 200, "block_rep": 200, "executive": 200}
# A survey for block 3 (Saitama), built by its representative: Bob, Mallory and the executive manage it;
# the block's members answer it; Olga (block 5) and pending members do not see it.
MANAGERS = {"block_rep": 200, "executive": 200}
HIDDEN = {"pending": 404, "other_block_rep": 404}


def _survey(world, state="open"):
    title = f"Block 3 survey ({state})"
    world.survey = Survey.objects.filter(title_en=title).first() or make_survey(
        world.block_rep, state=state, audience="block", block_id=3, title_en=title)
    return {"survey_id": world.survey.pk}


def _closed(world):
    return _survey(world, "closed")


def _answers(world):
    values = answers(world.survey)
    return {f"q{key}": value for key, value in values.items() if value not in ("", [])} | {"submit": "1"}


def _national_survey(world):
    return once_sent({"title_en": "Everyone's survey", "audience": "national", "opens_at": "2030-01-01 09:00",
                      "closes_at": "2030-02-01 09:00", "is_anonymous": "on"})


def _only_executives_created_it(world, role):
    assert Survey.objects.filter(title_en="Everyone's survey").exists() == (role == "executive"), role


def _only_managers_changed_it(world, role):
    changed = (Section.objects.filter(survey=world.survey).count() > 1
               or Question.objects.filter(survey=world.survey, text_en="Added?").exists())
    assert changed == (role in ("block_rep", "executive", "attacker")), (role, changed)


def _answered_only_by_the_audience(world, role):
    stored = Response.objects.filter(survey=world.survey).exists()
    assert stored == (role not in ("anonymous", "pending", "other_block_rep", "officer_without_mfa",
                                                  "executive")), role


def _new_question(world):
    return {"question-section": world.survey.sections.get().pk, "question-kind": Question.Kind.SINGLE,
            "question-text_en": "Added?", "question-is_required": "on", "question-options": "Yes\nNo"}


def _survey_change(world):
    return {"title_en": "Block 3 survey, reworded", "audience": "block", "block": 3,
            "opens_at": "2026-01-01 09:00", "closes_at": "2030-01-01 09:00", "is_anonymous": "on"}


def _only_managers_reworded_it(world, role):
    reworded = Survey.objects.filter(pk=world.survey.pk, title_en="Block 3 survey, reworded").exists()
    assert reworded == (role in ("block_rep", "executive", "attacker")), role


def _question(world):
    return _survey(world) | {"question_id": world.survey.questions.get(kind=Question.Kind.SHORT_TEXT).pk}


def _only_managers_changed_the_question(world, role):
    changed = Question.objects.filter(survey=world.survey, text_en="One word, reworded").exists()
    assert changed == (role in ("block_rep", "executive", "attacker")), role


def _only_managers_removed_it(world, role):
    removed = not Question.objects.filter(survey=world.survey, kind=Question.Kind.SHORT_TEXT).exists()
    assert removed == (role in ("block_rep", "executive", "attacker")), role


def _concern(world):
    world.concern = Concern.objects.filter(title="Unpaid overtime").first() or services.raise_concern(
        member=world.member, title="Unpaid overtime", text="Asked to stay late.", category="contracts",
        level="block", is_anonymous=False)
    return {"concern_id": world.concern.pk}


def _new_concern(world):
    return once_sent({"title": "Housing costs", "text": "Rent rose.", "category": "housing", "level": "national"})


def _only_current_members_raised_one(world, role):
    raised = Concern.objects.filter(title="Housing costs").exists()
    assert raised == (role not in ("anonymous", "pending", "officer_without_mfa")), role


def _only_its_officers_updated_it(world, role):
    world.concern.refresh_from_db()
    assert (world.concern.status == "in_progress") == (role in ("block_rep", "attacker")), role


def _meeting(world, published=False):
    title = "Spring meeting (published)" if published else "Spring meeting"
    meeting = SponsorMeeting.objects.filter(title=title).first()
    if meeting is None:
        meeting = services.create_meeting(by=world.executive.user, title=title, held_on=datetime.date(2026, 5, 20),
                                          sponsors=["CLAIR", "MEXT"])
        services.add_agenda_item(by=world.executive.user, meeting=meeting, title_en="Contracts",
                                 recommendation_en="Tell JETs by December.")
        if published:
            services.publish_meeting(by=world.executive.user, meeting=meeting, summary_en="Progress.")
    world.meeting = meeting
    return {"meeting_id": meeting.pk}


def _item(world):
    return _meeting(world) | {"item_id": world.meeting.items.get().pk}


def _only_executives(check):
    def verify(world, role):
        assert check(world) == (role == "executive"), role
    return verify


EXECUTIVE_ONLY = signed_in(403) | {"executive": 200}
DRAFT_MEETING = signed_in(404) | {"executive": 200}

# Alice's concern about block 3: she and the block's representatives (Bob, Mallory) see it; nobody else.
CONCERN_SEEN = signed_in(404) | {"member": 200, "block_rep": 200}

ROWS = [
    Row("voice:surveys", signed_in(200)),
    Row("voice:survey_create", signed_in(403) | OFFICERS),
    # Only executives address every member; the other officers get the form back with the reason.
    Row("voice:survey_create", signed_in(403) | OFFICERS | {"executive": REDIRECT}, method="post",
        data=_national_survey, verify=_only_executives_created_it),
    Row("voice:survey", signed_in(200) | HIDDEN, kwargs=_survey),
    # The executive (Tokyo) manages the survey but is not in block 3: refused with the reason (400).
    Row("voice:survey", signed_in(REDIRECT) | HIDDEN | {"executive": 400}, kwargs=_survey, method="post", data=_answers,
        verify=_answered_only_by_the_audience),
    Row("voice:survey_build", signed_in(403) | HIDDEN | MANAGERS, kwargs=_survey),
    Row("voice:section_add", signed_in(403) | HIDDEN | {"block_rep": REDIRECT, "executive": REDIRECT},
        kwargs=_survey, method="post", data=lambda world: {"section-title_en": "More"},
        verify=_only_managers_changed_it),
    Row("voice:question_add", signed_in(403) | HIDDEN | {"block_rep": REDIRECT, "executive": REDIRECT},
        kwargs=_survey, method="post", data=_new_question, verify=_only_managers_changed_it),
    Row("voice:survey_edit", signed_in(403) | HIDDEN | MANAGERS, kwargs=_survey),
    Row("voice:survey_edit", signed_in(403) | HIDDEN | {"block_rep": REDIRECT, "executive": REDIRECT},
        kwargs=_survey, method="post", data=_survey_change, verify=_only_managers_reworded_it),
    Row("voice:question_edit", signed_in(403) | HIDDEN | MANAGERS, kwargs=_question),
    Row("voice:question_edit", signed_in(403) | HIDDEN | {"block_rep": REDIRECT, "executive": REDIRECT},
        kwargs=_question, method="post", verify=_only_managers_changed_the_question,
        data=lambda world: {"kind": "short_text", "text_en": "One word, reworded"}),
    Row("voice:question_remove", signed_in(403) | HIDDEN | {"block_rep": REDIRECT, "executive": REDIRECT},
        kwargs=_question, method="post", verify=_only_managers_removed_it),
    Row("voice:survey_results", signed_in(403) | HIDDEN | MANAGERS, kwargs=_closed),
    Row("voice:survey_results_csv", signed_in(403) | HIDDEN | MANAGERS, kwargs=_closed),
    Row("voice:survey_results_json", signed_in(403) | HIDDEN | MANAGERS, kwargs=_closed),
    Row("voice:survey_results_xlsx", signed_in(403) | HIDDEN | MANAGERS, kwargs=_closed),
    Row("voice:survey_results_pdf", signed_in(403) | HIDDEN | MANAGERS, kwargs=_closed),
    Row("voice:concerns", signed_in(200)),
    Row("voice:concern_create", signed_in(200, pending=403)),
    Row("voice:concern_create", signed_in(REDIRECT, pending=403), method="post", data=_new_concern,
        verify=_only_current_members_raised_one),
    Row("voice:concern", CONCERN_SEEN, kwargs=_concern),
    Row("voice:concern_update", CONCERN_SEEN | {"member": 403, "block_rep": REDIRECT}, kwargs=_concern,
        method="post", data=lambda world: {"status": "in_progress"}, verify=_only_its_officers_updated_it),
    Row("voice:meetings", signed_in(200)),
    Row("voice:meeting_create", EXECUTIVE_ONLY),
    Row("voice:meeting_create", EXECUTIVE_ONLY | {"executive": REDIRECT}, method="post",
        data=lambda world: once_sent({"title": "Autumn meeting", "held_on": "2026-11-10", "sponsors": ["MIC"]}),
        verify=_only_executives(lambda world: SponsorMeeting.objects.filter(title="Autumn meeting").exists())),
    Row("voice:meeting", DRAFT_MEETING, kwargs=_meeting),
    Row("voice:meeting", signed_in(200), kwargs=lambda world: _meeting(world, published=True)),
    Row("voice:agenda_item_add", DRAFT_MEETING | {"executive": REDIRECT}, kwargs=_meeting, method="post",
        data=lambda world: {"item-title_en": "Housing", "item-recommendation_en": "Fix it."},
        verify=_only_executives(lambda world: AgendaItem.objects.filter(title_en="Housing").exists())),
    Row("voice:sponsor_answer_add", DRAFT_MEETING | {"executive": REDIRECT}, kwargs=_item, method="post",
        data=lambda world: {f"answer-{world.meeting.items.get().pk}-sponsor": "MEXT",
                            f"answer-{world.meeting.items.get().pk}-answer_en": "Yes."},
        verify=_only_executives(lambda world: world.meeting.items.get().answers.exists())),
    Row("voice:meeting_publish", DRAFT_MEETING | {"executive": REDIRECT}, kwargs=_meeting, method="post",
        data=lambda world: {"publish-summary_en": "Progress."},
        verify=_only_executives(lambda world: SponsorMeeting.objects.get(pk=world.meeting.pk).published_at
                                is not None)),
]

__all__ = ["LOGIN", "MFA", "ROWS"]
