from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "ajet.support"
    label = "support"
    verbose_name = _("Peer Support Group")

    def ready(self):
        from ajet.core import audit, personal_data
        from ajet.core.demo import register_demo
        from ajet.support import demo, privacy

        register_demo(order=60, build=demo.build_support_demo)
        personal_data.register(name="support", export=privacy.export_volunteering, erase=privacy.erase_volunteering)

        # Never anything about a contact: contact logs are not audited (an entry would name the volunteer).
        audit.register_actions({
            "support.night_exception": _("Line hours changed for a night"),
            "support.night_exception_remove": _("Line hours exception removed"),
            "support.volunteer_add": _("PSG volunteer enrolled"),
            "support.volunteer_change": _("PSG volunteer changed"),
            "support.training_add": _("PSG training recorded"),
            "support.shift_assign": _("PSG volunteer put on a shift"),
            "support.shift_unassign": _("PSG volunteer taken off a shift"),
            "support.resource_save": _("Referral resource saved"),
            "support.resource_delete": _("Referral resource deleted"),
            "support.on_call": _("PSG coordinator on call set"),
            "support.statistics_view": _("PSG contact figures read"),
            "support.statistics_csv": _("PSG contact figures downloaded"),
        })
