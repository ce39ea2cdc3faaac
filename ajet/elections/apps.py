from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "ajet.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self):
        from ajet.core import audit, personal_data
        from ajet.core.demo import register_demo
        from ajet.core.panels import register_panel
        from ajet.elections import demo, panels, privacy, signals

        signals.connect()
        register_demo(order=50, build=demo.build_elections_demo)
        register_panel(order=5, template="elections/panel_vote_now.html", context=panels.vote_now,
                       cache=panels.vote_now_cache)
        personal_data.register(name="elections", export=privacy.export_elections)

        audit.register_actions({
            "election.create": _("Election created"),
            "election.phase": _("Election phase changed"),
            "election.certify": _("Election result certified"),
            "candidate.add": _("Candidate added"),
            "referendum.add": _("Referendum question added"),
            "contest.electorate": _("Contest electorate changed"),
            "candidate.review": _("Nomination reviewed"),
            "election.package": _("Election result package archived"),
        })

