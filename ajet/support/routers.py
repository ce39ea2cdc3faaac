"""The PSG's confidential records live in a database of their own (settings.DATABASES["support"]).

Contact logs, live conversations and urgent flags are read and written there only; every other model of
the project (the support app's volunteers, training, shifts and referral directory included) stays in the
default database. The two share no key: nothing in the support database points into the member register,
and a volunteer appears there only under a pseudonym (ajet.support.pseudonyms). Migrations create the
confidential tables in the support database only, and the other tables never there.
"""

SUPPORT_DB = "support"
# model_name (lower case) of the support app's models that belong to the confidential database.
CONFIDENTIAL_MODELS = frozenset({"contactlog", "conversation", "urgentflag"})


def is_confidential(app_label: str, model_name: str | None) -> bool:
    return app_label == "support" and model_name in CONFIDENTIAL_MODELS


class SupportRouter:
    def _route(self, model_or_instance):
        meta = model_or_instance._meta
        return SUPPORT_DB if is_confidential(meta.app_label, meta.model_name) else None

    def db_for_read(self, model, **hints):
        return self._route(model)

    def db_for_write(self, model, **hints):
        return self._route(model)

    def allow_relation(self, obj1, obj2, **hints):
        # No relation ever crosses the two databases; within one, the default rules apply.
        if self._route(obj1) != self._route(obj2):
            return False
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == SUPPORT_DB:
            return is_confidential(app_label, model_name)
        if is_confidential(app_label, model_name):
            return False
        return None
