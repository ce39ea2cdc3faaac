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
from ajet.elections.access import access_election
from ajet.elections.forms import BallotForm


def _ballot_form(request, election, data=None):
    if not request.user.has_perm("elections.vote"):
        raise PermissionDenied
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
    election = access_election(request.user, slug)
    form = _ballot_form(request, election, request.POST)
    if not form.is_valid():
        return render(request, "elections/ballot.html", {"election": election, "form": form}, status=400)
    try:
        codes = services.cast_ballots(voter=request.user.member, rankings=form.rankings)
    except services.ElectionError as error:
        messages.error(request, str(error))
        return redirect(election)
    return render(request, "elections/receipt.html", {"election": election, "codes": sorted(
        codes.items(), key=lambda item: item[0].order)})
