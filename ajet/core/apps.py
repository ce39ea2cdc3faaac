from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ajet.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from ajet.core import page_cache, personal_data
        from ajet.core.cache import remember_versions_during_requests
        from ajet.core.sessions import register_session_prefetch

        remember_versions_during_requests()
        register_session_prefetch(page_cache.reads_of_last_visit)  # a cached page read with the session

        personal_data.register(name="audit_log", export=personal_data.export_audit_entries)
