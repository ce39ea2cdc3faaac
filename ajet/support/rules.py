"""Permissions of the PSG line. Independence: the PSG is funded by National AJET but does not report to it,
so no executive, block or chapter power appears here — only the PSG coordinator (the post supervising the
Peer Support Group initiative) and the line's own volunteers and volunteer coordinators."""

import rules

from ajet.organisation.powers import SESSION_MFA_ATTRIBUTE, has_mfa
from ajet.organisation.predicates import is_current_member, supervises_initiative

PSG_INITIATIVE = "peer-support-group"
_VOLUNTEER_ATTRIBUTE = "_ajet_psg_volunteer"


def volunteer_of(user):
    """The user's Volunteer record (with trainings), or None; kept on the user for the request."""
    from ajet.support.models import Volunteer

    if not user.is_authenticated or not hasattr(user, "member"):
        return None
    if not hasattr(user, _VOLUNTEER_ATTRIBUTE):
        volunteer = Volunteer.objects.filter(member=user.member).prefetch_related("trainings").first()
        setattr(user, _VOLUNTEER_ATTRIBUTE, volunteer)
    return getattr(user, _VOLUNTEER_ATTRIBUTE)


@rules.predicate
def is_psg_coordinator(user) -> bool:
    from ajet.organisation.models import Initiative

    return supervises_initiative(user, Initiative.objects.filter(slug=PSG_INITIATIVE).first())


@rules.predicate
def is_volunteer(user) -> bool:
    return is_current_member(user) and volunteer_of(user) is not None


@rules.predicate
def is_serving_volunteer(user) -> bool:
    """Trained and active: may be rostered and take contacts."""
    return is_volunteer(user) and volunteer_of(user).may_serve()


@rules.predicate
def is_volunteer_coordinator(user) -> bool:
    """A role on the Volunteer record; like every power over other people's data, it needs the second factor."""
    volunteer = volunteer_of(user) if is_current_member(user) else None
    return (volunteer is not None and volunteer.is_active and volunteer.is_coordinator
            and getattr(user, SESSION_MFA_ATTRIBUTE, True) and has_mfa(user))


coordinates = is_psg_coordinator | is_volunteer_coordinator

rules.add_perm("support.manage_hours", is_psg_coordinator)
rules.add_perm("support.manage_volunteers", coordinates)
rules.add_perm("support.manage_roster", coordinates)
rules.add_perm("support.manage_resources", coordinates)
rules.add_perm("support.view_roster", is_volunteer | coordinates)
rules.add_perm("support.view_contact_statistics", coordinates)
rules.add_perm("support.take_shift", is_serving_volunteer)
rules.add_perm("support.log_contact", is_serving_volunteer)
