from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "ajet.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from ajet.core import audit, personal_data
        from ajet.core.page_cache import register_page_namespaces
        from ajet.core.panels import register_panel
        from ajet.core.sessions import register_user_prefetch
        from ajet.organisation import panels, powers, privacy, queries, signals
        from ajet.organisation.services import end_terms_of_leavers
        from ajet.people.access import register_managed_members_filter
        from ajet.people.services import register_leaving_handler

        signals.connect()
        register_user_prefetch(powers.prefetch_items)
        register_page_namespaces("home", powers.ORGANISATION_DATA)  # the block map and diagram
        register_managed_members_filter(queries.managed_members_filter, namespaces=(powers.ORGANISATION_DATA,))
        register_leaving_handler(end_terms_of_leavers)
        register_panel(order=10, template="organisation/panel_my_place.html", context=panels.my_place,
                       cache=panels.my_place_cache)
        register_panel(order=20, template="organisation/panel_my_offices.html", context=panels.my_offices,
                       cache=panels.my_offices_cache)
        personal_data.register(
            name="organisation", export=privacy.export_organisation, erase=privacy.erase_organisation
        )
        audit.register_actions({
            "chapter.create": _("Chapter created"),
            "chapter.change": _("Chapter changed"),
            "handbook.page_create": _("Handbook page created"),
            "handbook.page_change": _("Handbook page changed"),
            "handbook.file_add": _("Handbook file added"),
            "handbook.file_replace": _("Handbook file replaced"),
            "handbook.file_delete": _("Handbook file deleted"),
            "handover.add": _("Handover item added"),
            "handover.done": _("Handover item done"),
            "initiative.create": _("Initiative created"),
            "initiative.change": _("Initiative changed"),
            "post.create": _("Post created"),
            "post.change": _("Post changed"),
            "post.retire": _("Post retired"),
            "prefecture.move": _("Prefecture moved to another block"),
            "term.cancel": _("Term of office cancelled before it started"),
            "term.create": _("Term of office started"),
            "term.end": _("Term of office ended"),
        })
        audit.register_field_labels({
            "holder": _("holder"), "from": _("from"), "stored_as": _("stored as"), "size": _("size (bytes)"),
        })
