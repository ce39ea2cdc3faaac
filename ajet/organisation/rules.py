"""Permissions of the organisation app, and of member management.

The member-management permissions (`people.*`) are declared here rather than in people/rules.py
because they are built on powers, and `people` sits below `organisation` in the dependency order.
"""

import rules

from ajet.organisation.powers import powers_of
from ajet.organisation.predicates import (
    grants_no_more_than_held,
    holds_post,
    is_current_member,
    is_executive,
    is_incoming_holder,
    is_member,
    is_officer_of_chapter,
    is_self,
    leads_chapter,
    manages_member,
    manages_members,
    represents_block,
    represents_block_of_chapter,
    represents_every_block_of_chapter,
    supervises_initiative,
)


@rules.predicate
def is_pending(user, member) -> bool:
    return member is not None and member.is_pending


@rules.predicate
def has_verified_email(user, member) -> bool:
    return member is not None and member.has_verified_email


@rules.predicate
def represents_some_block_when_none_named(user, block) -> bool:
    """Asked without a block ("may they add chapters at all?"): a block representative may, in their block."""
    powers = powers_of(user)
    return block is None and powers.is_officer and bool(powers.represented_blocks)


# Geography and council structure: executives only.
rules.add_perm("organisation.change_block", is_executive)
rules.add_perm("organisation.add_post", is_executive)
rules.add_perm("organisation.change_post", is_executive)
# No view asks these two (appointments ask grant_post): they stay declared so that, as officer powers, a staff
# superuser or a Permission row of the same name never grants them (ajet/people/backends.py).
rules.add_perm("organisation.add_term", is_executive)
rules.add_perm("organisation.change_term", is_executive)
rules.add_perm("organisation.add_initiative", is_executive)
rules.add_perm("organisation.change_initiative", is_executive | supervises_initiative)

# Chapters: their block's representative and their own officers manage them.
# A block representative adds chapters only inside their block: forms ask with each block of the chapter.
rules.add_perm("organisation.add_chapter", is_executive | represents_block | represents_some_block_when_none_named)
rules.add_perm("organisation.change_chapter", is_executive | represents_block_of_chapter | is_officer_of_chapter)
# Officer posts of a chapter: its block representative, if the chapter lies wholly in their block(s), and the
# holder of a post that leads the chapter (its President); what they may grant, grant_post says.
rules.add_perm("organisation.manage_chapter_officers",
               is_executive | represents_every_block_of_chapter | leads_chapter)
# Creating, changing or filling a post: never one that gives more power than the officer holds.
rules.add_perm("organisation.grant_post", grants_no_more_than_held)
# Only confirmed (current) members join chapters; anyone with a profile may leave one (alumni included).
rules.add_perm("organisation.join_chapter", is_current_member)
rules.add_perm("organisation.leave_chapter", is_member)

# Handbooks: the holder edits, the incoming holder reads and edits, executives oversee.
rules.add_perm("organisation.view_handbook", is_executive | holds_post | is_incoming_holder)
rules.add_perm("organisation.change_handbook", is_executive | holds_post | is_incoming_holder)

# Members.
rules.add_perm("people.view_pending_members", manages_members)
rules.add_perm("people.confirm_member", manages_member & is_pending & has_verified_email)
rules.add_perm("people.reject_member", manages_member & is_pending)
rules.add_perm("people.view_member", is_self | manages_member)
rules.add_perm("people.view_jet_number", manages_member)
rules.add_perm("people.import_roster", is_executive)
rules.add_perm("people.export_members", manages_members)
rules.add_perm("people.mark_alumni", is_executive)
rules.add_perm("people.take_part", is_current_member)  # vote, answer surveys, RSVP

# The office.
rules.add_perm("core.view_audit_log", is_executive)
rules.add_perm("core.export_audit_log", is_executive)
