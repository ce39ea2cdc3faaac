from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ajet.organisation import queries


@login_not_required
@require_GET
def block_list(request):
    return render(request, "organisation/block_list.html", {"blocks": queries.get_blocks_overview()})


@login_not_required
@require_GET
def block_detail(request, number):
    overview = queries.get_block_overview(number)
    if overview is None:
        raise Http404
    return render(request, "organisation/block_detail.html", {"overview": overview})


@login_not_required
@require_GET
def chapter_list(request):
    return render(request, "organisation/chapter_list.html", {"blocks": queries.get_blocks_overview()})


@login_not_required
@require_GET
def chapter_detail(request, slug):
    chapter = get_object_or_404(queries.get_active_chapters(), slug=slug)
    member = getattr(request.user, "member", None)
    return render(request, "organisation/chapter_detail.html", {
        "chapter": chapter,
        "officers": queries.get_chapter_officers(chapter),
        "membership": queries.get_open_chapter_membership(member, chapter) if member else None,
        "can_change": request.user.has_perm("organisation.change_chapter", chapter),
    })


@login_not_required
@require_GET
def council(request):
    return render(request, "organisation/council.html", {"council": queries.get_council()})


