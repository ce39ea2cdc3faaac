from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ajet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from ajet.core.cache import remember_versions_during_requests
        from ajet.core.panels import register_panel

        remember_versions_during_requests()

        # Filled in by the elections, voice and hub apps as they arrive.
        register_panel(order=90, template="core/panel_coming_up.html", context=lambda request: {})

        from ajet.core import personal_data

        personal_data.register(name="audit_log", export=personal_data.export_audit_entries)
