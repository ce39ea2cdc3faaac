import datetime

from ajet.people.models import Member
from ajet.voice import services
from ajet.voice.exports import build_export
from ajet.voice.models import (
    AgendaItem,
    Concern,
    Question,
    Response,
    Section,
    SponsorMeeting,
    Survey,
    SurveyExport,
)
from tests.authz_support import LOGIN, MFA, REDIRECT, Row, everyone, signed_in
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


def _ready_export(world):
    kwargs = _closed(world)
    export = SurveyExport.objects.filter(survey=world.survey, kind="xlsx", status="ready").first()
    if export is None:
        export = SurveyExport.objects.create(survey=world.survey, kind="xlsx", requested_by=world.executive.user)
        assert build_export(export.pk)
    return kwargs | {"export_id": export.pk}


def _only_managers_asked_for_one(world, role):
    asked = SurveyExport.objects.filter(survey=world.survey, kind="pdf").exists()
    assert asked == (role in ("block_rep", "executive", "attacker")), role


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
        level="block", visibility="private")
    return {"concern_id": world.concern.pk}


def _new_concern(world):
    return once_sent({"title": "Housing costs", "text": "Rent rose.", "category": "housing", "level": "national",
                      "visibility": "named"})


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


def _named_concern(world):
    """Alice's public concern (block 3) and Carol's anonymous duplicate of it, both for Bob and Mallory."""
    world.named = Concern.objects.filter(title="Mould in the flat").first() or services.raise_concern(
        member=world.member, title="Mould in the flat", text="Black mould.", category="housing", level="block",
        visibility="named")
    world.duplicate = Concern.objects.filter(title="Mould again").first() or services.raise_concern(
        member=world.chapter_officer, title="Mould again", text="Same flat.", category="housing", level="block",
        visibility="anonymous")
    return {"concern_id": world.named.pk}


def _only_block_3_changed_it(field, changed):
    def verify(world, role):
        world.named.refresh_from_db()
        assert changed(getattr(world.named, field)) == (role in ("block_rep", "attacker")), role
    return verify


def _only_alice_replied(world, role):
    assert world.concern.replies.exists() == (role == "member"), role


def _receipt(world):
    concern = services.raise_concern(member=world.member, title="Harassment", text="By a colleague.",
                                     category="discrimination", level="block", visibility="anonymous")
    world.anonymous = concern
    return {"code": concern.receipt_code}


def _follow_up(world):
    from ajet.organisation.models import Post

    _item(world)
    item = world.meeting.items.get()
    world.follow_up = item.follow_ups.first() or services.add_follow_up(
        by=world.executive.user, item=item, text_en="Send the circular", owner=Post.objects.get(slug="chair"),
        due_on=datetime.date(2026, 7, 1))
    return {"follow_up_id": world.follow_up.pk}


def _new_follow_up(world):
    from ajet.organisation.models import Post

    prefix = f"follow-up-{world.meeting.items.get().pk}"
    return {f"{prefix}-text_en": "Write to the boards", f"{prefix}-owner": Post.objects.get(slug="chair").pk,
            f"{prefix}-due_on": "2026-08-01"}


def _translator(world):
    from ajet.voice.models import Translator

    Translator.objects.get_or_create(member=world.member)
    return {"member_id": world.member.pk}


EXECUTIVE_ONLY = signed_in(403) | {"executive": 200}
DRAFT_MEETING = signed_in(404) | {"executive": 200}

# Alice's concern about block 3: she and the block's representatives (Bob, Mallory) see it; nobody else.
CONCERN_SEEN = signed_in(404) | {"member": 200, "block_rep": 200}
# Alice's public concern: every current member reads it; only Bob and Mallory (block 3) triage it.
PUBLIC_TRIAGE = signed_in(403) | {"pending": 404, "block_rep": REDIRECT}

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
    Row("voice:survey_exports", signed_in(403) | HIDDEN | MANAGERS, kwargs=_closed),
    Row("voice:survey_exports", signed_in(403) | HIDDEN | {"block_rep": REDIRECT, "executive": REDIRECT},
        kwargs=_closed, method="post", data=lambda world: {"kind": "pdf"}, verify=_only_managers_asked_for_one),
    Row("voice:survey_export_download", signed_in(403) | HIDDEN | MANAGERS, kwargs=_ready_export),
    Row("voice:concerns", signed_in(200)),
    Row("voice:concern_create", signed_in(200, pending=403)),
    Row("voice:concern_create", signed_in(REDIRECT, pending=403), method="post", data=_new_concern,
        verify=_only_current_members_raised_one),
    Row("voice:concern", CONCERN_SEEN, kwargs=_concern),
    Row("voice:concern_update", CONCERN_SEEN | {"member": 403, "block_rep": REDIRECT}, kwargs=_concern,
        method="post", data=lambda world: {"status": "in_progress"}, verify=_only_its_officers_updated_it),
    Row("voice:concern", signed_in(200, pending=404), kwargs=_named_concern),
    Row("voice:concern_merge", PUBLIC_TRIAGE, kwargs=_named_concern, method="post",
        data=lambda world: {"into": world.duplicate.pk},
        verify=_only_block_3_changed_it("merged_into_id", lambda value: value is not None)),
    Row("voice:concern_tag", PUBLIC_TRIAGE, kwargs=_named_concern, method="post",
        data=lambda world: {"tags": "mould, housing"}, verify=_only_block_3_changed_it("tags", bool)),
    Row("voice:concern_escalate", PUBLIC_TRIAGE, kwargs=_named_concern, method="post",
        verify=_only_block_3_changed_it("escalated_at", lambda value: value is not None)),
    Row("voice:concern_reply", CONCERN_SEEN | {"member": REDIRECT, "block_rep": 403}, kwargs=_concern,
        method="post", data=lambda world: {"text": "It happened twice."},
        verify=_only_alice_replied),
    # Anyone may support it but Alice herself (and pending members, who cannot see it).
    Row("voice:concern_support", signed_in(REDIRECT, pending=404, member=403), kwargs=_named_concern,
        method="post"),
    # The receipt code is the only credential: the same answer whoever asks, signed in or not.
    Row("voice:concern_receipt", everyone(200)),
    Row("voice:concern_receipt", everyone(200), method="post", data=_receipt),
    Row("voice:concern_receipt_reply", everyone(200), method="post",
        data=lambda world: _receipt(world) | {"text": "Twice this week."},
        verify=lambda world, role: world.anonymous.replies.get()),
    Row("voice:meetings", signed_in(200)),
    Row("voice:meeting_cycle", signed_in(200)),
    Row("voice:meeting_subscription", signed_in(200)),
    Row("voice:meeting_subscription", signed_in(REDIRECT), method="post", data=lambda world: {"subscribe": "1"}),
    Row("voice:follow_up_add", DRAFT_MEETING | {"executive": REDIRECT}, kwargs=_item, method="post",
        data=_new_follow_up,
        verify=_only_executives(lambda world: world.meeting.items.get().follow_ups.exists())),
    Row("voice:follow_up_done", DRAFT_MEETING | {"executive": REDIRECT}, kwargs=_follow_up, method="post",
        verify=_only_executives(lambda world: world.meeting.items.get().follow_ups.get().done_on is not None)),
    Row("voice:meeting_report", DRAFT_MEETING, kwargs=_meeting),
    Row("voice:meeting_report", EXECUTIVE_ONLY, kwargs=lambda world: _meeting(world, published=True)),
    Row("voice:meeting_report_pdf", EXECUTIVE_ONLY, kwargs=lambda world: _meeting(world, published=True)),
    Row("voice:translations", EXECUTIVE_ONLY),
    Row("voice:translation_save", signed_in(403) | {"executive": REDIRECT}, method="post",
        data=lambda world: _meeting(world) and {"kind": "item-title", "pk": world.meeting.items.get().pk,
                                                 "text": "契約"},
        verify=_only_executives(lambda world: world.meeting.items.get().title_ja == "契約")),
    Row("voice:translators", EXECUTIVE_ONLY),
    Row("voice:translators", signed_in(403) | {"executive": REDIRECT}, method="post",
        data=lambda world: {"email": "alice@example.org"},
        verify=_only_executives(lambda world: hasattr(world.member, "translator"))),
    Row("voice:translator_change", signed_in(403) | {"executive": REDIRECT}, kwargs=_translator, method="post",
        verify=_only_executives(lambda world: not hasattr(Member.objects.get(pk=world.member.pk), "translator"))),
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
