"""After the close, for anyone: the bulletin board, finding a ballot by its code, downloads, results."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ajet.elections import queries, services
from ajet.elections.access import access_contest, access_election
from ajet.elections.forms import BoardCheckForm
from ajet.elections.models import ResultPackage


def _closed_election(request, slug):
    election = access_election(request.user, slug)
    if not election.ballots_closed:
        raise Http404
    return election


@login_not_required
@require_safe
def board(request, slug):
    election = _closed_election(request, slug)
    contests = [(contest, services.published_ballots(contest))
                for contest in election.contests.select_related("post")]
    return render(request, "elections/board.html", {
        "election": election, "contests": contests, "form": BoardCheckForm()})


@login_not_required
@require_safe
def board_check(request, slug):
    election = _closed_election(request, slug)
    form = BoardCheckForm(request.GET or None)
    found = None
    if form.is_valid():
        found = queries.find_ballot(election, form.cleaned_data["code"])
    return render(request, "elections/board_check.html", {"election": election, "form": form, "found": found})


@login_not_required
@require_safe
def board_file(request, slug):
    election = _closed_election(request, slug)
    response = HttpResponse(services.board_text(election), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-board.txt"'
    return response


@login_not_required
@require_safe
def contest_file(request, slug, contest_id, kind):
    contest = access_contest(request.user, slug, contest_id)
    election = contest.election
    if not election.ballots_closed or kind not in ("blt", "csv", "json"):
        raise Http404
    if kind == "json":
        if not election.is_counted:
            raise Http404
        body, content_type = json.dumps(contest.result, ensure_ascii=False, indent=2), "application/json"
    else:
        if not election.publish_full_ballots:
            raise Http404
        body, content_type = services.ballot_file(contest, kind), "text/plain; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-{contest.key}.{kind}"'
    return response


@login_not_required
@require_safe
def results(request, slug):
    election = access_election(request.user, slug)
    if not election.is_counted:
        raise Http404
    contests = []
    for contest in election.contests.select_related("post"):
        rounds, rows, exhausted = queries.result_table(contest)
        contests.append({"contest": contest, "rounds": rounds, "rows": rows, "exhausted": exhausted,
                         "turnout": queries.turnout(contest, election),
                         "winners": (contest.result or {}).get("winners", []),
                         "referendum": queries.referendum_result(contest) if contest.is_referendum else None})
    return render(request, "elections/results.html", {
        "election": election, "contests": contests, "ron": services.REOPEN_NOMINATIONS,
        "package": ResultPackage.objects.filter(election=election).exists()})


@require_safe
def result_package(request, slug):
    """The certified election's archive (a zip), for signed-in members."""
    election = access_election(request.user, slug)
    package = ResultPackage.objects.filter(election=election).first()
    if election.phase != election.Phase.CERTIFIED or package is None:
        raise Http404
    response = HttpResponse(bytes(package.archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-result-package.zip"'
    return response
