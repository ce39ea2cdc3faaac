"""A member's survey data for the personal data export and erasure: the days they responded, their drafts and
their attributed answers, their concerns (named and private), supports, subscription and translator role.
Never their anonymous responses or anonymous concerns: nothing links those to the member."""

from ajet.voice.models import (
    Answer,
    Attribution,
    Concern,
    ConcernSupport,
    Draft,
    HasResponded,
    SummarySubscription,
    Translator,
)


def export_voice(user) -> dict:
    member = getattr(user, "member", None)
    if member is None:
        return {}
    attributed = Attribution.objects.filter(member=member).values_list("response_id", flat=True)
    return {
        "surveys_answered": [{"survey": row.survey.title_en, "day": row.day}
                             for row in HasResponded.objects.filter(member=member).select_related("survey")],
        "drafts": [{"survey": row.survey.title_en, "saved_at": row.saved_at, "answers": row.values}
                   for row in Draft.objects.filter(member=member).select_related("survey")],
        "attributed_answers": [
            {"survey": answer.question.survey.title_en, "question": answer.question.text_en,
             "option": answer.option.text_en if answer.option else None, "number": answer.number, "text": answer.text}
            for answer in Answer.objects.filter(response_id__in=attributed).select_related(
                "question__survey", "option")],
        "concerns": [
            {"title": concern.title, "text": concern.text, "category": concern.category, "level": concern.level,
             "visibility": concern.visibility, "status": concern.status, "raised_at": concern.created_at,
             "updates": [{"at": update.at, "status": update.status, "note": update.note}
                         for update in concern.updates.all()],
             "replies": [{"day": reply.day, "text": reply.text} for reply in concern.replies.all()]}
            for concern in Concern.objects.filter(member=member).prefetch_related("updates", "replies")],
        "concerns_supported": [support.concern.title for support in
                               ConcernSupport.objects.filter(member=member).select_related("concern")],
        "meeting_summaries_by_email": SummarySubscription.objects.filter(member=member).exists(),
        "translator": Translator.objects.filter(member=member).exists(),
    }


def erase_voice(user) -> None:
    """Delete the member's drafts, their attributed responses (answers included, taken out of the surveys'
    running totals and their cached results), their named and private concerns, their supports, their
    subscription and their translator role."""
    member = getattr(user, "member", None)
    if member is None:
        return
    Draft.objects.filter(member=member).delete()
    Concern.objects.filter(member=member).delete()
    ConcernSupport.objects.filter(member=member).delete()
    SummarySubscription.objects.filter(member=member).delete()
    Translator.objects.filter(member=member).delete()
    from ajet.voice.models import Response
    from ajet.voice.results import forget_results_on_commit
    from ajet.voice.totals import remove_responses

    attributed = Response.objects.filter(attribution__member=member)
    forget_results_on_commit(set(attributed.values_list("survey_id", flat=True)))
    remove_responses(attributed)  # the totals the results are read from, in this transaction
    attributed.delete()
