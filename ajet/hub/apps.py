from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "ajet.hub"
    label = "hub"
    verbose_name = _("Communication hub")

    def ready(self):
        from ajet.core import audit, personal_data
        from ajet.core.cache import bump_on_member_writes, bump_on_writes
        from ajet.core.demo import register_demo
        from ajet.core.panels import register_panel
        from ajet.hub import demo, panels, privacy
        from ajet.hub.models import HUB_DATA, Acknowledgement, Announcement, Event, Rsvp

        register_demo(order=60, build=demo.build_hub_demo)
        register_demo(order=61, build=demo.build_guides_demo)
        register_panel(order=8, template="hub/panel_announcements.html", context=panels.announcements,
                       cache=panels.announcements_cache)
        register_panel(order=9, template="hub/panel_events.html", context=panels.events, cache=panels.events_cache)
        register_panel(order=9, template="hub/chapter_events.html", context=panels.chapter_events, place="chapter",
                       cache=panels.chapter_events_cache)
        # What the panels read: cached panels are dropped when it changes (ajet/core/panels.py).
        bump_on_writes(HUB_DATA, Announcement, Event)
        bump_on_member_writes("hub", Acknowledgement, Rsvp)
        personal_data.register(name="hub", export=privacy.export_hub, erase=privacy.erase_hub)

        audit.register_actions({
            "announcement.create": _("Announcement written"),
            "event.create": _("Event published"),
            "event.message": _("Message to an event's attendees"),
            "announcement.remind": _("Reminder to confirm an announcement"),
            "announcement.forward": _("National announcement forwarded to a block"),
            "guide.create": _("Guide published"),
            "guide.update": _("Guide edited"),
            "guide.review": _("Guide marked as reviewed"),
            "guide.file_add": _("File attached to a guide"),
        })

