from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ajet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from ajet.core import personal_data
        from ajet.core.cache import remember_versions_during_requests

        remember_versions_during_requests()

        personal_data.register(name="audit_log", export=personal_data.export_audit_entries)
