from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "ajet.voice"
    label = "voice"
    verbose_name = _("Members' voice")

    def ready(self):
        from ajet.core import audit, personal_data
        from ajet.core.cache import bump_on_member_writes, bump_on_writes
        from ajet.core.demo import register_demo
        from ajet.core.panels import register_panel
        from ajet.voice import demo, panels, privacy
        from ajet.voice.models import Draft, HasResponded, Question, Survey

        register_demo(order=60, build=demo.build_voice_demo)
        register_panel(order=6, template="voice/panel_surveys.html", context=panels.open_surveys,
                       cache=panels.open_surveys_cache)
        # What the panel reads: its cached HTML is dropped when it changes (ajet/core/panels.py).
        bump_on_writes(panels.VOICE_DATA, Survey, Question)
        bump_on_member_writes("voice", Draft, HasResponded)
        personal_data.register(name="voice", export=privacy.export_voice, erase=privacy.erase_voice)

        audit.register_actions({
            "survey.create": _("Survey created"),
            "survey.edit": _("Survey questions changed"),
            "survey.change": _("Survey details changed"),
            "survey.export": _("Survey results exported"),
            "concern.update": _("Concern status changed"),
            "concern.merge": _("Concern merged into another"),
            "concern.tag": _("Concern tags changed"),
            "concern.escalate": _("Concern escalated to the national agenda"),
            "meeting.create": _("Sponsor meeting created"),
            "meeting.edit": _("Sponsor meeting agenda or answers changed"),
            "meeting.publish": _("Sponsor meeting summary published"),
            "meeting.follow_up_done": _("Sponsor meeting follow-up done"),
            "meeting.translate": _("Sponsor meeting text translated"),
            "translator.grant": _("Translator role given"),
            "translator.revoke": _("Translator role ended"),
        })

