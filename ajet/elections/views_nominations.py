"""Nominations: members stand, the election committee reviews, candidates withdraw, photos are served."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ajet.core.once import creates_once, protect
from ajet.elections import queries, services
from ajet.elections.access import access_candidate, access_election
from ajet.elections.forms import NominationForm, ReviewForm
from ajet.elections.photos import photo_content_type


@require_http_methods(["GET", "POST"])
@creates_once
def nominate(request, slug):
    election = access_election(request.user, slug, "elections.nominate")
    member = request.user.member
    contests = queries.contests_to_stand_in(member, election)
    if election.phase != election.Phase.NOMINATIONS_OPEN or not contests.exists():
        messages.info(request, _("There is no post you can stand for in this election now."))
        return redirect(election)
    form = protect(NominationForm(request.POST or None, request.FILES or None, contests=contests))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.nominate(member=member, contest=data["contest"], platform_en=data["platform_en"],
                                          platform_ja=data["platform_ja"], photo=data["photo"])
        except services.ElectionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your nomination has been sent to the election committee."))
            return redirect("elections:candidate", slug=election.slug, candidate_id=candidate.pk)
    return render(request, "elections/nomination_form.html", {"form": form, "election": election})


@require_safe
def nominations(request, slug):
    """The committee's list of nominations, the pending ones with a review form each."""
    election = access_election(request.user, slug, "elections.review_nomination")
    return render(request, "elections/nominations.html", {
        "election": election, "candidates": queries.get_nominations(election), "form": ReviewForm()})


@require_POST
def review(request, slug, candidate_id):
    candidate = access_candidate(request.user, slug, candidate_id)
    election = candidate.contest.election
    if not request.user.has_perm("elections.review_nomination", election):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("elections:nominations", slug=election.slug)
    try:
        services.review_nomination(by=request.user, candidate=candidate,
                                   approve=form.cleaned_data["decision"] == "approve",
                                   reason=form.cleaned_data["reason"])
    except services.ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The nomination has been reviewed; the nominee will be told by e-mail."))
    return redirect("elections:nominations", slug=election.slug)


@require_POST
def withdraw(request, slug, candidate_id):
    candidate = access_candidate(request.user, slug, candidate_id, "elections.withdraw")
    try:
        services.withdraw(by=request.user, candidate=candidate)
    except services.ElectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have withdrawn your nomination."))
    return redirect("elections:candidate", slug=slug, candidate_id=candidate.pk)


@require_safe
def photo(request, slug, candidate_id):
    """The candidate's photo, for whoever may see the candidate; always with its checked type."""
    candidate = access_candidate(request.user, slug, candidate_id)
    if not candidate.photo:
        raise Http404
    try:
        stream = candidate.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(stream, content_type=photo_content_type(candidate.photo.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
