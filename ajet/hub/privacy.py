"""A member's hub data for the personal data export, and its erasure: e-mail choices, confirmations of
reading, answers to events, the private feed address and the announcement e-mails sent to them."""

from ajet.hub.models import Acknowledgement, Delivery, FeedToken, Preference, Rsvp


def export_hub(user) -> dict:
    member = getattr(user, "member", None)
    if member is None:
        return {}
    return {
        "email_preferences": [{"audience": row.scope_kind, "mode": row.mode}
                              for row in Preference.objects.filter(member=member).order_by("scope_kind")],
        "acknowledged": [{"announcement": row.announcement.title, "at": row.at}
                         for row in Acknowledgement.objects.filter(member=member).select_related("announcement")],
        "emails": [{"announcement": row.announcement.title, "kind": row.kind, "status": row.status,
                    "sent_at": row.sent_at}
                   for row in Delivery.objects.filter(member=member).select_related("announcement")],
        "event_answers": [{"event": row.event.title, "date": row.occurrence, "attending": row.attending,
                           "waitlisted": row.waitlisted, "answered_at": row.answered_at}
                          for row in Rsvp.objects.filter(member=member).select_related("event")],
        "private_feed": FeedToken.objects.filter(member=member).exists(),
    }


def erase_hub(user) -> None:
    member = getattr(user, "member", None)
    if member is None:
        return
    for model in (Preference, Acknowledgement, Delivery, FeedToken, Rsvp):
        model.objects.filter(member=member).delete()
