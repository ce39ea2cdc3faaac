"""What changes surveys: building them (officers, audit-logged), saving drafts and submitting responses.

Every function is atomic and raises SurveyError with a translated message when the input or the state
refuses it; then nothing is written.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ajet.core import audit
from ajet.organisation.geography import block_map_on
from ajet.organisation.powers import powers_of
from ajet.organisation.scopes import members_in_scope
from ajet.voice import totals
from ajet.voice.models import (
    AgendaItem,
    Answer,
    Attribution,
    Concern,
    ConcernReply,
    ConcernSupport,
    ConcernUpdate,
    Draft,
    FollowUp,
    HasResponded,
    Option,
    Question,
    Response,
    Section,
    SponsorAnswer,
    SponsorMeeting,
    SummarySubscription,
    Survey,
    Translator,
)
from ajet.voice.rules import audience_within_powers

LIKERT_POINTS = (1, 2, 3, 4, 5)
NUMBER_LIMIT = 10**9  # any number answer stays within this (the database's integer column holds ±2·10⁹)


class SurveyError(Exception):
    """A refused survey action; the message is for the person who tried."""


class ConcernError(Exception):
    """A refused concern action; the message is for the person who tried."""


# --- Building ----------------------------------------------------------------------------------

def _check_editable(survey: Survey) -> None:
    """Questions may change only until the first response arrives: later answers would not match earlier ones."""
    if survey.responses.exists():
        raise SurveyError(_("This survey has responses already: its questions can no longer be changed."))


@transaction.atomic
def create_survey(*, by, fields: dict) -> Survey:
    """Create a survey from the form's fields (audience included). Refused if the audience reaches beyond
    the members the officer serves. Audit-logged."""
    survey = Survey(**fields, created_by=getattr(by, "member", None))
    if not audience_within_powers(powers_of(by), survey.scope):
        raise SurveyError(_("You may only address the members you serve: choose an audience within your "
                            "block, chapter or constituency."))
    survey.save()
    audit.record(actor=by, action="survey.create", target=survey,
                 after=audit.snapshot(survey, ["audience", "block_id", "prefecture_id", "chapter_id", "positions",
                                               "opens_at", "closes_at", "is_anonymous"]))
    return survey


@transaction.atomic
def add_section(*, by, survey: Survey, title_en: str, title_ja: str = "") -> Section:
    """Add a section at the end of the survey. Audit-logged."""
    _check_editable(survey)
    order = survey.sections.count() + 1
    section = Section.objects.create(survey=survey, title_en=title_en, title_ja=title_ja, order=order)
    audit.record(actor=by, action="survey.edit", target=survey, after={"section": title_en})
    return section


@transaction.atomic
def add_question(*, by, survey: Survey, section: Section, kind: str, text_en: str, text_ja: str = "",
                 is_required: bool = True, min_value: int | None = None, max_value: int | None = None,
                 options: list[tuple[str, str]] = ()) -> Question:
    """Add a question (with its options, for choice questions) at the end of `section`. Audit-logged."""
    _check_editable(survey)
    if section.survey_id != survey.pk:
        raise SurveyError(_("That section belongs to another survey."))
    if kind in Question.CHOICE_KINDS and len(options) < 2:
        raise SurveyError(_("A choice question needs at least two options."))
    if kind not in Question.CHOICE_KINDS and options:
        raise SurveyError(_("Only choice questions have options."))
    if kind != Question.Kind.NUMBER and (min_value is not None or max_value is not None):
        raise SurveyError(_("Only number questions have a smallest and largest number."))
    if min_value is not None and max_value is not None and min_value > max_value:
        raise SurveyError(_("The smallest number must not be larger than the largest."))
    question = Question.objects.create(
        survey=survey, section=section, kind=kind, text_en=text_en, text_ja=text_ja, is_required=is_required,
        min_value=min_value, max_value=max_value, order=section.questions.count() + 1)
    Option.objects.bulk_create([Option(question=question, text_en=english, text_ja=japanese, order=index)
                                for index, (english, japanese) in enumerate(options, start=1)])
    audit.record(actor=by, action="survey.edit", target=survey, after={"question": text_en, "kind": kind})
    return question


SURVEY_FIELDS = ["title_en", "title_ja", "intro_en", "intro_ja", "audience", "block_id", "prefecture_id", "chapter_id",
                 "positions", "opens_at", "closes_at", "is_anonymous"]
# What may change once answers have arrived: wording, and the closing date. The audience, the opening date
# and anonymity decide who answered and how the answers were stored; changing them would misdescribe
# the answers already given.
CHANGEABLE_AFTER_RESPONSES = {"title_en", "title_ja", "intro_en", "intro_ja", "closes_at"}


@transaction.atomic
def change_survey(*, by, survey: Survey, fields: dict) -> Survey:
    """Change a survey's details (the survey form's fields). Once it has responses, only the titles, the
    introductions and the closing date may change, and an anonymous survey that has closed (its results
    shown) cannot reopen: comparing its results from two moments would single out the answers given in
    between. Refused if the audience reaches beyond the officer's members. Audit-logged."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    before = audit.snapshot(survey, SURVEY_FIELDS)
    for name, value in fields.items():
        current = getattr(survey, name)
        if name.endswith("_at") and value is not None and current.replace(microsecond=0) == value:
            continue  # the form shows times to the second: an unchanged time comes back without its fraction
        setattr(survey, name, value)
    after = audit.snapshot(survey, SURVEY_FIELDS)
    changed = {name for name in SURVEY_FIELDS if before[name] != after[name]}
    if not changed:
        raise SurveyError(_("Nothing changed."))
    if survey.responses.exists():
        if changed - CHANGEABLE_AFTER_RESPONSES:
            raise SurveyError(_("This survey has responses already: only its titles, introductions and closing "
                                "date can change. Its audience, opening date and anonymity stay as the members "
                                "answered them."))
        if "closes_at" in changed:
            now = timezone.now()
            original = Survey.objects.values_list("closes_at", flat=True).get(pk=survey.pk)
            if survey.is_anonymous and original <= now < survey.closes_at:
                raise SurveyError(_("This anonymous survey has closed and its results can be read: it cannot "
                                    "reopen, or comparing its results from two moments would single out the "
                                    "answers given in between."))
            if survey.closes_at <= now < original:
                raise SurveyError(_("The new closing time has passed: choose a later one."))
    if not audience_within_powers(powers_of(by), survey.scope):
        raise SurveyError(_("You may only address the members you serve: choose an audience within your "
                            "block, chapter or constituency."))
    _full_clean(survey)
    survey.save(update_fields=sorted(name.removesuffix("_id") if name.endswith("_id") else name
                                     for name in changed))
    audit.record(actor=by, action="survey.change", target=survey,
                 before={name: before[name] for name in sorted(changed)},
                 after={name: after[name] for name in sorted(changed)})
    return survey


def _full_clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise SurveyError(" ".join(error.messages)) from None


@transaction.atomic
def change_question(*, by, question: Question, text_en: str, text_ja: str = "", **changes) -> Question:
    """Reword a question; before the first response, also change its type, whether it is required, its
    range and its options (`options`: [(English, Japanese)], replacing them). After it, only the wording:
    the answers given were to this question as it was. Audit-logged."""
    question = Question.objects.select_for_update().select_related("survey").get(pk=question.pk)
    survey = question.survey
    options = changes.pop("options", None)
    current = [(option.text_en, option.text_ja) for option in question.options.all()]
    substance = {name for name, value in changes.items() if getattr(question, name) != value}
    if options is not None and list(options) != current:
        substance.add("options")
    if substance and survey.responses.exists():
        raise SurveyError(_("This survey has responses already: a question's wording can be corrected, but not "
                            "its type, its options, its range or whether it is required."))
    kind = changes.get("kind", question.kind)
    if options is None:
        options = current
    if kind in Question.CHOICE_KINDS and len(options) < 2:
        raise SurveyError(_("A choice question needs at least two options."))
    if kind not in Question.CHOICE_KINDS and options:
        raise SurveyError(_("Only choice questions have options."))
    if kind != Question.Kind.NUMBER and (changes.get("min_value", question.min_value) is not None
                                         or changes.get("max_value", question.max_value) is not None):
        raise SurveyError(_("Only number questions have a smallest and largest number."))
    for name, value in changes.items():
        setattr(question, name, value)
    question.text_en, question.text_ja = text_en, text_ja
    _full_clean(question)
    question.save()
    if "options" in substance:
        question.options.all().delete()
        Option.objects.bulk_create([Option(question=question, text_en=english, text_ja=japanese, order=index)
                                    for index, (english, japanese) in enumerate(options, start=1)])
    audit.record(actor=by, action="survey.edit", target=survey, after={"question": text_en,
                                                                        "changed": sorted(substance)})
    return question


@transaction.atomic
def remove_question(*, by, question: Question) -> None:
    """Remove a question (and its options), only while the survey has no responses. Audit-logged."""
    _check_editable(question.survey)
    survey, text = question.survey, question.text_en
    question.delete()
    audit.record(actor=by, action="survey.edit", target=survey, after={"removed_question": text})


# --- Answering ---------------------------------------------------------------------------------

def check_can_respond(member, survey: Survey) -> None:
    """Raise SurveyError unless `member` may answer `survey` now."""
    if member is None or not member.is_current:
        raise SurveyError(_("Only current members can answer surveys."))
    if not survey.is_open():
        raise SurveyError(_("This survey is not open for answers."))
    if not members_in_scope(survey.scope).filter(pk=member.pk).exists():
        raise SurveyError(_("This survey is not addressed to you."))
    if HasResponded.objects.filter(member=member, survey=survey).exists():
        raise SurveyError(_("You have already answered this survey."))


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def validate_answers(survey: Survey, values: dict, *, complete: bool) -> dict[int, str]:
    """Problems with `values` (question id → option id, list of option ids, number or text), by question id.
    With `complete`, every required question must be answered (a draft may be partial)."""
    questions = list(survey.questions.prefetch_related("options"))
    known = {str(question.pk) for question in questions}
    problems: dict[int, str] = {}
    if set(map(str, values)) - known:
        problems[0] = _("Some answers belong to questions that are not in this survey.")
    for question in questions:
        value = values.get(str(question.pk), values.get(question.pk))
        if _empty(value):
            if complete and question.is_required:
                problems[question.pk] = _("This question needs an answer.")
            continue
        problem = _problem_with(question, value)
        if problem:
            problems[question.pk] = problem
    return problems


def _problem_with(question: Question, value) -> str | None:
    option_ids = {option.pk for option in question.options.all()}
    if question.kind == Question.Kind.SINGLE:
        if not isinstance(value, int) or value not in option_ids:
            return _("Choose one of this question's options.")
    elif question.kind == Question.Kind.MULTIPLE:
        if (not isinstance(value, list) or not all(isinstance(item, int) for item in value)
                or not set(value) <= option_ids or len(set(value)) != len(value)):
            return _("Choose among this question's options, each at most once.")
    elif question.kind == Question.Kind.LIKERT:
        if value not in LIKERT_POINTS or isinstance(value, bool):
            return _("Choose a point from 1 to 5.")
    elif question.kind == Question.Kind.NUMBER:
        if not isinstance(value, int) or isinstance(value, bool):
            return _("Enter a whole number.")
        if abs(value) > NUMBER_LIMIT:
            return _("Enter a number between -1,000,000,000 and 1,000,000,000.")
        if question.min_value is not None and value < question.min_value:
            return _("Enter a number of at least %(min)s.") % {"min": question.min_value}
        if question.max_value is not None and value > question.max_value:
            return _("Enter a number of at most %(max)s.") % {"max": question.max_value}
    elif not isinstance(value, str) or len(value) > (500 if question.kind == Question.Kind.SHORT_TEXT else 4000):
        return _("This answer is too long.")
    return None


@transaction.atomic
def save_draft(*, member, survey: Survey, values: dict) -> Draft:
    """Keep the member's unfinished answers to come back to (one draft per member and survey)."""
    check_can_respond(member, survey)
    problems = validate_answers(survey, values, complete=False)
    if problems:
        raise SurveyError(next(iter(problems.values())))
    draft, _created = Draft.objects.update_or_create(
        member=member, survey=survey, defaults={"values": {str(key): value for key, value in values.items()},
                                                "saved_at": timezone.now()})
    return draft


@transaction.atomic
def submit_response(*, member, survey: Survey, values: dict) -> Response:
    """Store the member's answers once: the HasResponded row (unique per member and survey: a second
    submission, even a simultaneous one, is refused), the response with the member's block and position and
    no link to the member, its answers, added to the survey's running totals (totals.py), an Attribution only
    if the survey is attributed; the draft is deleted."""
    check_can_respond(member, survey)
    problems = validate_answers(survey, values, complete=True)
    if problems:
        raise SurveyError(next(iter(problems.values())))
    try:
        with transaction.atomic():
            HasResponded.objects.create(member=member, survey=survey)
    except IntegrityError:
        raise SurveyError(_("You have already answered this survey.")) from None
    response = Response.objects.create(survey=survey, block=block_map_on().get(member.prefecture_id),
                                       position=member.position)
    kinds = dict(survey.questions.values_list("pk", "kind"))
    answers = []
    for key, value in values.items():
        if _empty(value):
            continue
        question_id = int(key)
        if isinstance(value, list):
            answers.extend(Answer(response=response, question_id=question_id, option_id=item) for item in value)
        elif isinstance(value, str):
            answers.append(Answer(response=response, question_id=question_id, text=value))
        elif kinds[question_id] == Question.Kind.SINGLE:
            answers.append(Answer(response=response, question_id=question_id, option_id=value))
        else:
            answers.append(Answer(response=response, question_id=question_id, number=value))
    Answer.objects.bulk_create(answers)
    totals.add_response(response, answers, multiple={
        question_id for question_id, kind in kinds.items() if kind == Question.Kind.MULTIPLE})
    if not survey.is_anonymous:
        Attribution.objects.create(response=response, member=member)
    Draft.objects.filter(member=member, survey=survey).delete()
    return response


# --- Concerns ----------------------------------------------------------------------------------

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
RECEIPT_LENGTH = 20  # 100 random bits: guessing one is hopeless, so a plain SHA-256 is enough to store it
MAX_TAGS, MAX_TAG_LENGTH = 8, 30


def receipt_hash(code: str) -> str:
    """The stored form of a receipt code (spaces, dashes and case ignored)."""
    normalised = "".join(character for character in code.upper() if character.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_receipt_code() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _position in range(RECEIPT_LENGTH))
    return "-".join(code[start:start + 5] for start in range(0, RECEIPT_LENGTH, 5))


def _start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def raise_concern(*, member, title: str, text: str, category: str, level: str,
                  visibility: str = Concern.Visibility.ANONYMOUS) -> Concern:
    """Record a member's concern, routed by `level`: a block concern goes to the block of the member's
    prefecture today (and to the CIR Representative when the member is a CIR, unless private); a CIR matter
    to the CIR Representative; a national matter to the executives.

    An anonymous concern is stored without the member and with the day only; its receipt code is returned
    once, as `concern.receipt_code`, and only its hash is kept (see Concern)."""
    if member is None or not member.is_current:
        raise ConcernError(_("Only current members can raise concerns."))
    if level == Concern.Level.CIR and member.position != "CIR":
        raise ConcernError(_("CIR matters are raised by CIRs; choose your block or a national matter."))
    if visibility not in Concern.Visibility.values:
        raise ConcernError(_("Choose who may see your concern."))
    if visibility == Concern.Visibility.PRIVATE and level != Concern.Level.BLOCK:
        raise ConcernError(_("Only a concern for your block can stay with your block representative."))
    block = block_map_on().get(member.prefecture_id) if level == Concern.Level.BLOCK else None
    if level == Concern.Level.BLOCK and block is None:
        raise ConcernError(_("Your prefecture has no block: choose a national matter."))
    concern = Concern(title=title, text=text, category=category, level=level, block_id=block, visibility=visibility,
                      raised_by_cir=member.position == "CIR")
    code = None
    if visibility == Concern.Visibility.ANONYMOUS:
        code = _new_receipt_code()
        concern.receipt_hash, concern.created_at = receipt_hash(code), _start_of_today()
    else:
        concern.member = member
    concern.save()
    concern.receipt_code = code
    return concern


def concern_by_receipt(code: str) -> Concern | None:
    """The anonymous concern whose receipt code is `code`, if any."""
    if not code or len(code) > 64:
        return None
    return Concern.objects.filter(receipt_hash=receipt_hash(code), visibility=Concern.Visibility.ANONYMOUS).first()


def _log(by, concern: Concern, action: str, before: dict | None = None, after: dict | None = None) -> None:
    audit.record(actor=by, action=action, target=concern, target_label=f"concern #{concern.pk}",
                 before=before, after=after)


@transaction.atomic
def update_concern(*, by, concern: Concern, status: str, note: str = "") -> ConcernUpdate:
    """The responsible officer sets the concern's status, with a note the member reads. Audit-logged.
    Asking for more information goes through `ask_for_information` (it tells the member)."""
    if status not in Concern.Status.values or status == Concern.Status.MERGED:
        raise ConcernError(_("Choose one of the statuses."))
    if status == Concern.Status.NEEDS_INFO:
        return ask_for_information(by=by, concern=concern, question=note)
    if status == concern.status and not note:
        raise ConcernError(_("Nothing changed: choose another status or write a note."))
    return _set_status(by, concern, status, note)


def _set_status(by, concern: Concern, status: str, note: str, action: str = "concern.update") -> ConcernUpdate:
    before = concern.status
    concern.status = status
    concern.save(update_fields=["status"])
    update = ConcernUpdate.objects.create(concern=concern, status=status, note=note, by=getattr(by, "member", None))
    _log(by, concern, action, before={"status": before}, after={"status": status})
    return update


@transaction.atomic
def acknowledge_concern(*, by, concern: Concern, note: str = "") -> ConcernUpdate:
    """Tell the member their concern was read. Audit-logged."""
    if concern.status != Concern.Status.NEW:
        raise ConcernError(_("This concern was acknowledged already."))
    return _set_status(by, concern, Concern.Status.ACKNOWLEDGED, note)


@transaction.atomic
def ask_for_information(*, by, concern: Concern, question: str) -> ConcernUpdate:
    """Ask the member a question. A member who raised the concern under their name is e-mailed (a background
    task after the commit); an anonymous one sees it with their receipt code. Audit-logged."""
    if not question.strip():
        raise ConcernError(_("Write the question the member should answer."))
    if concern.status == Concern.Status.MERGED:
        raise ConcernError(_("This concern is merged into another: ask there."))
    update = _set_status(by, concern, Concern.Status.NEEDS_INFO, question.strip())
    if concern.member_id is not None:
        from ajet.voice import tasks

        transaction.on_commit(lambda: tasks.tell_member_of_question.enqueue(concern_id=concern.pk))
    return update


@transaction.atomic
def reply_to_concern(*, concern: Concern, text: str) -> ConcernReply:
    """The member's answer (signed in as its raiser, or through the receipt code): kept without an author;
    a concern waiting for information goes back to "in progress"."""
    text = text.strip()
    if not text:
        raise ConcernError(_("Write your answer."))
    if len(text) > 5000:
        raise ConcernError(_("Keep your answer under 5,000 characters."))
    if concern.status in (Concern.Status.MERGED, Concern.Status.CLOSED):
        raise ConcernError(_("This concern is closed: raise a new one if the matter goes on."))
    reply = ConcernReply.objects.create(concern=concern, text=text)
    if concern.status == Concern.Status.NEEDS_INFO:
        concern.status = Concern.Status.IN_PROGRESS
        concern.save(update_fields=["status"])
    return reply


@transaction.atomic
def merge_concern(*, by, concern: Concern, into: Concern) -> Concern:
    """Merge a duplicate into another concern the same officer handles: the duplicate is marked merged and
    its supports move to the other one. Neither may be private (a private concern stays alone with its block
    representative). Audit-logged."""
    if concern.pk == into.pk:
        raise ConcernError(_("A concern cannot be merged into itself."))
    if not by.has_perm("voice.triage_concern", into):
        raise ConcernError(_("Choose a concern you handle."))
    if Concern.Visibility.PRIVATE in (concern.visibility, into.visibility):
        raise ConcernError(_("A concern kept with the block representative cannot be merged."))
    if concern.status == Concern.Status.MERGED or into.status == Concern.Status.MERGED:
        raise ConcernError(_("One of these concerns is already merged into another."))
    supporters = set(into.supports.values_list("member_id", flat=True))
    ConcernSupport.objects.bulk_create([ConcernSupport(concern=into, member_id=member_id) for member_id in
                                        concern.supports.exclude(member_id__in=supporters)
                                        .values_list("member_id", flat=True)])
    concern.supports.all().delete()
    concern.merged_into = into
    concern.save(update_fields=["merged_into"])
    _set_status(by, concern, Concern.Status.MERGED, "", action="concern.merge")
    return into


def clean_tags(text: str) -> list[str]:
    """Comma-separated tags, lower case, each at most MAX_TAG_LENGTH characters, at most MAX_TAGS."""
    tags = []
    for raw in text.split(","):
        tag = " ".join(raw.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in tags):
        raise ConcernError(_("Use at most %(count)s tags of at most %(length)s characters each.")
                           % {"count": MAX_TAGS, "length": MAX_TAG_LENGTH})
    return tags


@transaction.atomic
def tag_concern(*, by, concern: Concern, tags: list[str]) -> Concern:
    """Replace the concern's tags (officers group concerns by them). Audit-logged."""
    before = concern.tags
    concern.tags = tags
    concern.save(update_fields=["tags"])
    _log(by, concern, "concern.tag", before={"tags": before}, after={"tags": tags})
    return concern


@transaction.atomic
def escalate_concern(*, by, concern: Concern) -> Concern:
    """Put the concern on the national agenda: the executives see it and can link it to a sponsor meeting's
    agenda item. Refused for a private concern. Audit-logged."""
    if concern.visibility == Concern.Visibility.PRIVATE:
        raise ConcernError(_("The member asked to keep this concern with the block representative: it cannot "
                             "be escalated. Ask them to raise it again if they agree."))
    if concern.escalated_at is not None:
        raise ConcernError(_("This concern is on the national agenda already."))
    if concern.status == Concern.Status.MERGED:
        raise ConcernError(_("This concern is merged into another: escalate that one."))
    concern.escalated_at = timezone.now()
    concern.save(update_fields=["escalated_at"])
    _log(by, concern, "concern.escalate")
    return concern


@transaction.atomic
def support_concern(*, member, concern: Concern) -> ConcernSupport:
    """A current member's "this affects me too" on a public concern (once: a database constraint)."""
    if member is None or not member.is_current:
        raise ConcernError(_("Only current members can support concerns."))
    if not concern.is_public:
        raise ConcernError(_("Only concerns shown with their member's name can be supported."))
    if concern.member_id == member.pk:
        raise ConcernError(_("This is your own concern."))
    try:
        with transaction.atomic():
            return ConcernSupport.objects.create(concern=concern, member=member)
    except IntegrityError:
        raise ConcernError(_("You support this concern already.")) from None


# --- Sponsor meetings --------------------------------------------------------------------------

class MeetingError(Exception):
    """A refused meeting action; the message is for the executive who tried."""


def _check_unpublished(meeting: SponsorMeeting) -> None:
    if meeting.published_at is not None:
        raise MeetingError(_("This meeting's summary is published: its agenda and answers can no longer change."))


@transaction.atomic
def create_meeting(*, by, title: str, held_on, sponsors: list[str]) -> SponsorMeeting:
    """Record a sponsor meeting (not yet visible to members). Audit-logged."""
    if not sponsors or set(sponsors) - set(SponsorMeeting.Sponsor.values):
        raise MeetingError(_("Choose the sponsors who attend."))
    meeting = SponsorMeeting.objects.create(title=title, held_on=held_on, sponsors=sorted(sponsors))
    audit.record(actor=by, action="meeting.create", target=meeting, after={"held_on": str(held_on),
                                                                          "sponsors": meeting.sponsors})
    return meeting


@transaction.atomic
def add_agenda_item(*, by, meeting: SponsorMeeting, title_en: str, recommendation_en: str, title_ja: str = "",
                    recommendation_ja: str = "", concerns=(), surveys=()) -> AgendaItem:
    """Add an item to the agenda, linked to the concerns and surveys it rests on. Audit-logged."""
    _check_unpublished(meeting)
    item = AgendaItem.objects.create(meeting=meeting, title_en=title_en, title_ja=title_ja,
                                     recommendation_en=recommendation_en, recommendation_ja=recommendation_ja,
                                     order=meeting.items.count() + 1)
    item.concerns.set(concerns)
    item.surveys.set(surveys)
    audit.record(actor=by, action="meeting.edit", target=meeting, after={"agenda_item": title_en})
    return item


@transaction.atomic
def record_sponsor_answer(*, by, item: AgendaItem, sponsor: str, answer_en: str, answer_ja: str = "") -> SponsorAnswer:
    """Record (or correct) what a sponsor answered to an agenda item. Audit-logged."""
    _check_unpublished(item.meeting)
    if sponsor not in item.meeting.sponsors:
        raise MeetingError(_("That sponsor did not attend this meeting."))
    answer, _created = SponsorAnswer.objects.update_or_create(
        item=item, sponsor=sponsor, defaults={"answer_en": answer_en, "answer_ja": answer_ja})
    audit.record(actor=by, action="meeting.edit", target=item.meeting, after={"answer": sponsor,
                                                                               "agenda_item": item.title_en})
    return answer


@transaction.atomic
def publish_meeting(*, by, meeting: SponsorMeeting, summary_en: str, summary_ja: str = "") -> SponsorMeeting:
    """Publish the meeting to members with its summary; the record is then final. Audit-logged."""
    _check_unpublished(meeting)
    if not meeting.items.exists():
        raise MeetingError(_("Add the agenda items before publishing."))
    meeting.summary_en, meeting.summary_ja, meeting.published_at = summary_en, summary_ja, timezone.now()
    meeting.save(update_fields=["summary_en", "summary_ja", "published_at"])
    audit.record(actor=by, action="meeting.publish", target=meeting)
    from ajet.voice import tasks

    transaction.on_commit(lambda: tasks.tell_subscribers_of_summary.enqueue(meeting_id=meeting.pk))
    return meeting


@transaction.atomic
def add_follow_up(*, by, item: AgendaItem, text_en: str, owner, due_on, text_ja: str = "") -> FollowUp:
    """Record an action agreed on an agenda item, owned by a post, due on a day. Audit-logged."""
    _check_unpublished(item.meeting)
    if due_on < item.meeting.held_on:
        raise MeetingError(_("A follow-up is due after the meeting that agreed it."))
    follow_up = FollowUp.objects.create(item=item, text_en=text_en, text_ja=text_ja, owner=owner, due_on=due_on)
    audit.record(actor=by, action="meeting.edit", target=item.meeting,
                 after={"follow_up": text_en, "owner": owner.name_en, "due_on": str(due_on)})
    return follow_up


@transaction.atomic
def complete_follow_up(*, by, follow_up: FollowUp) -> FollowUp:
    """Mark a follow-up done today (also after the summary is published). Audit-logged."""
    if follow_up.done_on is not None:
        raise MeetingError(_("This follow-up is done already."))
    follow_up.done_on = timezone.localdate()
    follow_up.save(update_fields=["done_on"])
    audit.record(actor=by, action="meeting.follow_up_done", target=follow_up.item.meeting,
                 after={"follow_up": follow_up.text_en, "done_on": str(follow_up.done_on)})
    return follow_up


def set_summary_subscription(*, member, subscribed: bool) -> None:
    """Subscribe the member to (or unsubscribe them from) the e-mail sent when a meeting summary is published."""
    if member is None:
        raise MeetingError(_("Only members can subscribe."))
    if subscribed:
        SummarySubscription.objects.get_or_create(member=member)
    else:
        SummarySubscription.objects.filter(member=member).delete()


# --- Translators -------------------------------------------------------------------------------

@transaction.atomic
def grant_translator(*, by, member) -> Translator:
    """An executive makes a current member a volunteer translator. Audit-logged."""
    if member is None or not member.is_current:
        raise MeetingError(_("Only current members can translate."))
    translator, created = Translator.objects.get_or_create(member=member,
                                                          defaults={"granted_by": getattr(by, "member", None)})
    if not created:
        raise MeetingError(_("This member is a translator already."))
    audit.record(actor=by, action="translator.grant", target=member)
    return translator


@transaction.atomic
def revoke_translator(*, by, translator: Translator) -> None:
    """An executive ends a member's translator role. Audit-logged."""
    member = translator.member
    translator.delete()
    audit.record(actor=by, action="translator.revoke", target=member)


# The bilingual texts translators fill in: (kind, model, field).
TRANSLATABLE = {
    "item-title": (AgendaItem, "title"),
    "item-recommendation": (AgendaItem, "recommendation"),
    "answer": (SponsorAnswer, "answer"),
    "follow-up": (FollowUp, "text"),
    "summary": (SponsorMeeting, "summary"),
}


@transaction.atomic
def save_translation(*, by, kind: str, pk: int, text: str) -> None:
    """Fill in the Japanese version of one text block (a translator or an executive). Audit-logged."""
    if kind not in TRANSLATABLE:
        raise MeetingError(_("That text cannot be translated here."))
    model, name = TRANSLATABLE[kind]
    instance = model.objects.filter(pk=pk).first()
    if instance is None:
        raise MeetingError(_("That text no longer exists."))
    text = text.strip()
    field = model._meta.get_field(f"{name}_ja")
    if not text:
        raise MeetingError(_("Write the Japanese version."))
    try:
        field.clean(text, instance)
    except ValidationError as error:
        raise MeetingError(" ".join(error.messages)) from None
    before = getattr(instance, f"{name}_ja")
    setattr(instance, f"{name}_ja", text)
    instance.save(update_fields=[f"{name}_ja"])
    meeting = instance if isinstance(instance, SponsorMeeting) else (
        instance.meeting if isinstance(instance, AgendaItem) else instance.item.meeting)
    audit.record(actor=by, action="meeting.translate", target=meeting,
                 before={kind: before}, after={kind: text, "id": pk})
