"""Permissions of the hub, built on the shared predicates and on `powers_of` (through queries.may_address)."""

import rules

from ajet.hub import queries
from ajet.organisation.predicates import holds_post, is_current_member, is_executive, is_member, represents_block
from ajet.organisation.scopes import Scope


@rules.predicate
def may_address_scope(user, scope: Scope) -> bool:
    return scope is not None and queries.may_address(user, scope)


@rules.predicate
def writes_announcements(user) -> bool:
    return bool(queries.audience_choices(user))


@rules.predicate
def follows_announcement(user, announcement) -> bool:
    """The officer may address the announcement's audience: they see its delivery and read counts."""
    return announcement is not None and queries.may_address(user, announcement.scope)


@rules.predicate
def is_public_announcement(user, announcement) -> bool:
    return announcement is not None and announcement.is_sent and announcement.is_public


@rules.predicate
def is_addressed_to(user, announcement) -> bool:
    return (announcement is not None and announcement.is_sent and is_member(user)
            and queries.reaches(announcement, user.member))


@rules.predicate
def asks_acknowledgement(user, announcement) -> bool:
    return announcement is not None and announcement.requires_acknowledgement


rules.add_perm("hub.view_announcement", is_public_announcement | is_addressed_to | follows_announcement)
rules.add_perm("hub.add_announcement", writes_announcements)
rules.add_perm("hub.address_scope", may_address_scope)
rules.add_perm("hub.follow_announcement", follows_announcement)
rules.add_perm("hub.acknowledge_announcement", is_current_member & is_addressed_to & asks_acknowledgement)
rules.add_perm("hub.read_announcements", is_member)


@rules.predicate
def is_public_event(user, event) -> bool:
    return event is not None and event.is_public


@rules.predicate
def event_addressed_to(user, event) -> bool:
    return event is not None and is_member(user) and queries.event_reaches(event, user.member)


@rules.predicate
def organises_event(user, event) -> bool:
    return event is not None and queries.may_address(user, event.scope)


rules.add_perm("hub.view_event", is_public_event | event_addressed_to | organises_event)
rules.add_perm("hub.add_event", writes_announcements)
rules.add_perm("hub.rsvp_event", is_current_member & (is_public_event | event_addressed_to))
rules.add_perm("hub.manage_event", organises_event)  # attendee list, CSV export, message to attendees

# The liaison desk of a block (a Block): its representatives, and the executives.
rules.add_perm("hub.view_liaison_desk", is_executive | represents_block)


# --- Guides: public or members-only; the owner post's holders and the executives edit them ---------------

@rules.predicate
def is_public_guide(user, guide) -> bool:
    return guide is not None and guide.is_public


@rules.predicate
def holds_owner_post(user, guide) -> bool:
    return guide is not None and holds_post(user, guide.owner_post)


rules.add_perm("hub.read_guides", is_member)
rules.add_perm("hub.view_guide", is_public_guide | is_member)
rules.add_perm("hub.add_guide", is_executive)
rules.add_perm("hub.change_guide", is_executive | holds_owner_post)
