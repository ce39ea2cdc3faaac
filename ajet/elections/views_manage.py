"""Executives create elections and move their phases."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ajet.core.once import creates_once, protect
from ajet.elections import services, tasks
from ajet.elections.access import access_contest, access_election
from ajet.elections.forms import ElectionForm, ElectorateForm, ReferendumQuestionForm


@require_http_methods(["GET", "POST"])
@creates_once
def election_create(request):
    if not request.user.has_perm("elections.add_election"):
        raise PermissionDenied
    form = protect(ElectionForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "posts"}
        try:
            election = services.create_election(by=request.user, fields=fields, posts=list(form.cleaned_data["posts"]))
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The election has been created as a draft."))
            return redirect(election)
    return render(request, "elections/election_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@creates_once
def question_create(request, slug):
    """Put a referendum question on the election's ballot (until voting opens)."""
    election = access_election(request.user, slug, "elections.manage_election")
    form = protect(ReferendumQuestionForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_referendum_question(by=request.user, election=election, **form.cleaned_data)
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The question is on the ballot."))
            return redirect(election)
    return render(request, "elections/question_form.html", {"form": form, "election": election})


@require_http_methods(["GET", "POST"])
def electorate(request, slug, contest_id):
    """Set who may vote in a contest or question, while the election is a draft."""
    contest = access_contest(request.user, slug, contest_id, "elections.manage_election")
    election = contest.election
    if election.phase != election.Phase.DRAFT:
        messages.info(request, _("The electorate can be changed only while the election is a draft."))
        return redirect(election)
    form = ElectorateForm(request.POST or None, initial={
        "eligibility": contest.eligibility, "block": contest.block_id, "position": contest.position})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_electorate(by=request.user, contest=contest, **form.cleaned_data)
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Who may vote in “%(contest)s” has been changed.") % {"contest": contest.name})
            return redirect(election)
    return render(request, "elections/electorate_form.html", {"form": form, "election": election, "contest": contest})


@require_POST
def advance(request, slug):
    """Move the election to its next phase (the button says which); refused if it moved meanwhile."""
    election = access_election(request.user, slug, "elections.manage_election")
    try:
        election = services.advance_phase(by=request.user, election=election, expected=request.POST.get("phase"))
    except services.ElectionError as error:
        messages.error(request, str(error))
    else:
        tasks.announce_phase(election)
        messages.success(request, _("The election is now in the phase “%(phase)s”.") % {
            "phase": election.get_phase_display()})
    return redirect(election)
