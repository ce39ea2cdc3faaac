"""The ballot: rank, review the summary, cast, and see the receipt with the tracking codes.

The receipt is the answer to the cast request itself (not a redirect): the tracking codes are never
stored anywhere that knows the voter, not even in the session.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ajet.elections import queries, services
from ajet.elections.access import access_contest, access_election
from ajet.elections.forms import BallotForm, RevoteForm


def _check_may_vote(request) -> None:
    if not request.user.has_perm("elections.vote"):
        raise PermissionDenied


def _ballot_form(request, election, data=None):
    _check_may_vote(request)
    contests = queries.contests_to_vote_in(request.user.member, election)
    return BallotForm(data, contests=contests)


@require_http_methods(["GET", "POST"])
def ballot(request, slug):
    """GET: the empty ballot. POST: check it and show the summary to confirm (nothing is cast yet)."""
    election = access_election(request.user, slug)
    form = _ballot_form(request, election, request.POST if request.method == "POST" else None)
    if election.phase != election.Phase.VOTING_OPEN or not form.contests:
        messages.info(request, _("There is nothing for you to vote on in this election now."))
        return redirect(election)
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        return render(request, "elections/ballot_confirm.html", {
            "election": election, "form": form, "summary": form.summary()})
    return render(request, "elections/ballot.html", {"election": election, "form": form})


@require_POST
def cast(request, slug):
    """Cast the confirmed ballot and answer with the receipt. The form covers every contest of the election:
    the service checks the roll and earlier votes for the contests ranked, in its transaction (so the cast
    does not read them twice); a form with errors is shown again with the member's own contests."""
    election = access_election(request.user, slug)
    _check_may_vote(request)
    form = BallotForm(request.POST, contests=queries.ballot_contests(election))
    if not form.is_valid():
        form = _ballot_form(request, election, request.POST)
        return render(request, "elections/ballot.html", {"election": election, "form": form}, status=400)
    # Re-vote secrets are made here and shown once on the receipt; the service keeps only their hashes.
    revote_secrets = ({contest: services.new_revote_secret() for contest in form.rankings}
                      if election.allow_revote else {})
    try:
        codes = services.cast_ballots(voter=request.user.member, rankings=form.rankings,
                                      revote_secrets=revote_secrets)
    except services.ElectionError as error:
        messages.error(request, str(error))
        return redirect(election)
    return render(request, "elections/receipt.html", {"election": election, "codes": [
        (contest, code, revote_secrets.get(contest)) for contest, code in sorted(
            codes.items(), key=lambda item: item[0].order)]})


@require_http_methods(["GET", "POST"])
def revote(request, slug, contest_id):
    """Replace one's ballot in a contest with the re-vote secret from the receipt (elections that allow it)."""
    contest = access_contest(request.user, slug, contest_id, "elections.vote")
    election = contest.election
    member = request.user.member
    if not (election.allow_revote and election.phase == election.Phase.VOTING_OPEN
            and queries.has_voted(member, contest)):
        messages.info(request, _("You cannot change a vote in this contest."))
        return redirect(election)
    contest = next(c for c in queries.get_contests(election) if c.pk == contest.pk)
    form = RevoteForm(request.POST or None, contests=[contest])
    if request.method == "POST" and form.is_valid():
        try:
            code = services.revote(voter=member, contest=contest, secret=form.cleaned_data["secret"],
                                   ranking=form.rankings.get(contest, []))
        except services.ElectionError as error:
            form.add_error("secret", str(error))
        else:
            return render(request, "elections/receipt.html", {
                "election": election, "codes": [(contest, code, form.cleaned_data["secret"])], "revoted": True})
    return render(request, "elections/revote.html", {"election": election, "contest": contest, "form": form})
