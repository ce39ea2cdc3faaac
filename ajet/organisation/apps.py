from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "ajet.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from ajet.core.panels import register_panel
        from ajet.organisation import panels

        register_panel(order=10, template="organisation/panel_my_place.html", context=panels.my_place)
        register_panel(order=20, template="organisation/panel_my_offices.html", context=panels.my_offices)

        from ajet.core import personal_data
        from ajet.organisation import privacy

        personal_data.register(
            name="organisation", export=privacy.export_organisation, erase=privacy.erase_organisation
        )
