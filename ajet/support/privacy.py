"""A volunteer's own data for the personal data export and erasure: their volunteer record, training and
shifts. Never contact logs: they hold nothing that links them to anyone."""

from ajet.support.models import Volunteer


def export_volunteering(user) -> dict:
    member = getattr(user, "member", None)
    volunteer = Volunteer.objects.filter(member=member).first() if member is not None else None
    if volunteer is None:
        return {}
    return {
        "volunteer": {"active": volunteer.is_active, "volunteer_coordinator": volunteer.is_coordinator,
                      "joined": volunteer.joined, "refresher_due": volunteer.refresher_due},
        "training": [{"course": course.kind, "completed_on": course.completed_on}
                     for course in volunteer.trainings.all()],
        "shifts": [{"night": shift.night, "shift": shift.shift + 1} for shift in volunteer.shifts.all()],
    }


def erase_volunteering(user) -> None:
    """The volunteer record goes, and with it the training and shifts (cascade)."""
    member = getattr(user, "member", None)
    if member is not None:
        Volunteer.objects.filter(member=member).delete()
