"""Announcements written through the service, as an officer would."""

from ajet.hub import services
from ajet.organisation.scopes import Scope


def announce(by, scope: Scope | None = None, **fields):
    fields = {"title": "Hello", "body": "Some *news*."} | fields
    return services.create_announcement(by=by.user, scope=scope or Scope(Scope.NATIONAL), fields=fields)


def block3(**fields):
    return Scope(Scope.BLOCK, block=3, **fields)
