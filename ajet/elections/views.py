"""Election pages for members: the list, an election with the member's roll status, candidate pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ajet.core.once import creates_once, protect
from ajet.elections import queries, services, tasks
from ajet.elections.access import access_candidate, access_election
from ajet.elections.forms import RollCorrectionForm


@login_not_required
@require_safe
def election_list(request):
    return render(request, "elections/election_list.html", {
        "elections": queries.get_elections_for(request.user),
        "can_add": request.user.has_perm("elections.add_election"),
    })


@require_safe
def election_detail(request, slug):
    election = access_election(request.user, slug)
    member = getattr(request.user, "member", None)
    contests = list(queries.get_contests(election))
    return render(request, "elections/election_detail.html", {
        "election": election,
        "contests": [(contest, queries.turnout(contest, election)) for contest in contests],
        "roll": queries.roll_status(member, election),
        "to_vote": queries.contests_to_vote_in(member, election)
        if election.phase == election.Phase.VOTING_OPEN else [],
        "can_manage": request.user.has_perm("elections.manage_election", election),
        "can_add_question": election.phase in services.QUESTION_PHASES,
        "can_review": request.user.has_perm("elections.review_nomination", election),
        "can_nominate": election.phase == election.Phase.NOMINATIONS_OPEN
        and request.user.has_perm("elections.nominate") and queries.contests_to_stand_in(member, election).exists(),
        "candidacies": queries.candidacies_of(member, election),
    })


@require_http_methods(["GET", "POST"])
@creates_once
def roll_correction(request, slug):
    """A member asks the election committee to correct the electoral roll (before voting closes)."""
    election = access_election(request.user, slug, "elections.vote")
    member = request.user.member
    if election.ballots_closed:
        messages.info(request, _("Voting has closed: the roll can no longer be corrected."))
        return redirect(election)
    form = protect(RollCorrectionForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        tasks.send_roll_correction.enqueue(slug=election.slug, member_id=member.pk,
                                           message=form.cleaned_data["message"])
        messages.success(request, _("Your request has been sent to the election committee; they will write to "
                                    "you."))
        return redirect(election)
    return render(request, "elections/roll_correction.html", {
        "form": form, "election": election, "roll": queries.roll_status(member, election)})


@require_safe
def candidate_detail(request, slug, candidate_id):
    candidate = access_candidate(request.user, slug, candidate_id)
    election = candidate.contest.election
    return render(request, "elections/candidate_detail.html", {
        "candidate": candidate, "election": election,
        "can_withdraw": request.user.has_perm("elections.withdraw", candidate)
        and candidate.status in (candidate.Status.NOMINATED, candidate.Status.APPROVED)
        and election.phase in (election.Phase.DRAFT, election.Phase.NOMINATIONS_OPEN,
                               election.Phase.NOMINATIONS_CLOSED)})
