from tests.authz_support import MFA, ROLES, Row, everyone, officers_only, signed_in

SIGNED_IN_ROLES = [role for role in ROLES if role != "anonymous"]

ROWS = [
    Row("core:home", everyone(200)),
    Row("core:healthz", everyone(200)),
    Row("core:favicon", everyone(302)),
    Row("core:dashboard", signed_in(200)),
    Row("core:audit_log", officers_only(("executive",))),
    Row("core:audit_log_export", officers_only(("executive",))),
    # Third-party screens, one representative row each.
    Row("admin:index", everyone(302)),
    Row("account_login", everyone(200) | dict.fromkeys(SIGNED_IN_ROLES, 302)),
    Row("account_signup", everyone(200) | dict.fromkeys(SIGNED_IN_ROLES, 302)),
    # allauth asks for the password again before MFA can be switched on.
    Row("mfa_activate_totp", signed_in(302, officer_without_mfa=302)),
    Row("account_email", signed_in(200, officer_without_mfa=MFA)),
]
