"""This app's panel on the member dashboard: the open surveys addressed to the member, drafts first."""

from ajet.voice import queries


def open_surveys(request) -> dict | None:
    surveys = queries.open_surveys_for(getattr(request.user, "member", None))
    return {"open_surveys": sorted(surveys, key=lambda item: not item[1])} if surveys else None
