"""The one settings module of AJET Nexus, driven by environment variables.

The defaults are safe for `make run` on a laptop (SQLite, in-process cache, e-mail to the console).
Production (`AJET_ENV=production`) refuses to start without a real SECRET_KEY and ALLOWED_HOSTS.
"""

from pathlib import Path
from urllib.parse import urlparse, urlsplit, urlunsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ajet.core.env import env_bool, env_int, env_list, env_str, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AJET_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("AJET_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"AJET_ENV must be development, production or test, not {ENVIRONMENT!r}")
PRODUCTION = ENVIRONMENT == "production"

_DEV_SECRET = "dev-only-secret-key-not-for-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("Production needs SECRET_KEY set to a random value of at least 50 characters.")

DEBUG = env_bool("DEBUG", default=not PRODUCTION and ENVIRONMENT != "test")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("Production refuses DEBUG=true: it shows settings and tracebacks to anyone.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")
if PRODUCTION and any("*" in host for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("Production refuses '*' in ALLOWED_HOSTS: name the hosts (.example.org for subdomains).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address, used in links sent by e-mail (invitations), where there is no request.
SITE_URL = env_str("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and (urlparse(SITE_URL).scheme != "https" or not urlparse(SITE_URL).hostname):
    raise ImproperlyConfigured("Production needs SITE_URL, the site's https:// address (e.g. https://nexus.ajet.net).")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ajet.core",
    "ajet.people",
    "ajet.organisation",
    "ajet.elections",
    "ajet.hub",
    "ajet.support",
    "ajet.voice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ajet.core.middleware.PrivatePagesMiddleware",
    "ajet.people.middleware.MemberLanguageMiddleware",
    "ajet.core.request_limits.RequestBodyLimitMiddleware",  # before anything reads the body (CSRF, forms)
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ajet.core.middleware.CSPMiddleware",  # django-csp's, with the policy built once: see there
    "django_htmx.middleware.HtmxMiddleware",
    "ajet.organisation.middleware.OfficerMFAMiddleware",
]

ROOT_URLCONF = "ajet.urls"
WSGI_APPLICATION = "ajet.wsgi.application"
ASGI_APPLICATION = "ajet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ajet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ajet.core.context_processors.csrf",  # the forms' token: see there
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ajet.sqlite3'}"),
        # WSGI workers (manage.py serve) keep their connection between requests: opening SQLite and
        # running its PRAGMAs cost more than a page's queries.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", default=True):
    # Under ASGI every request runs in a thread of its own, so persistent connections are never reused:
    # a pool per worker process keeps PostgreSQL connections open between requests instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
    }
# The Peer Support Group's confidential records (contact logs, live conversations, urgent flags) live in a
# database of their own, with no key into the member register (ajet/support/routers.py): by default an
# SQLite file beside the main one, or on PostgreSQL a database named after the main one with `_psg`;
# SUPPORT_DATABASE_URL names it (production: its own database, ideally its own role).
_main_url = urlsplit(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ajet.sqlite3'}"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _default_support_url = urlunsplit(_main_url._replace(path=f"/{DATABASES['default']['NAME']}_psg"))
else:
    _default_support_url = f"sqlite:///{VAR_DIR / 'support.sqlite3'}"
DATABASES["support"] = dj_database_url.parse(env_str("SUPPORT_DATABASE_URL", _default_support_url),
                                             conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600))
for _alias in ("default", "support"):
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES[_alias].setdefault("OPTIONS", {}).update(
            {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"}
        )
DATABASE_ROUTERS = ["ajet.support.routers.SupportRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    # Cached sessions, powers and rate limits must be shared by every worker (DESIGN.md: nothing may
    # assume a single process), so production needs the shared cache.
    raise ImproperlyConfigured("Production needs REDIS_URL (redis://host:6379/0) for the shared cache.")
if REDIS_URL:
    # Cached pages and powers belong to one database: a second site or a fresh database on the same Redis
    # must not read them (the key prefix names the database).
    _database = DATABASES["default"]
    CACHES = {"default": {"BACKEND": "ajet.core.redis_cache.RedisCache", "LOCATION": REDIS_URL,  # see there
                          "KEY_PREFIX": f"{_database.get('HOST') or 'local'}:{_database['NAME']}"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The PSG chat's channel layer (ajet/support/consumers.py): in memory for the one ASGI process of `make run`,
# Redis with REDIS_URL so that several ASGI workers share conversations.
if REDIS_URL:
    # Redis pub/sub rather than channels_redis' list layer: a relayed message is one PUBLISH to the process
    # that holds the peer's consumer, where the list layer makes four round trips to send and has each process
    # take its consumers' messages one at a time from one sorted set (bench/chat.py: about twice the rate).
    # Delivery is at most once, to consumers connected now: a chat message only ever goes to a live peer, and
    # the list layer's 60 s of keeping a message for a consumer that is gone bought the chat nothing. Ours
    # publishes in batches (ajet/core/channel_layers.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "ajet.core.channel_layers.RedisPubSubChannelLayer", "CONFIG": {
        "hosts": [REDIS_URL]}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "ajet.core.channel_layers.InMemoryChannelLayer"}}
# The port the chat's pages connect to on their own host for /ws/: 0 (production) is the page's own origin,
# where the reverse proxy routes /ws/ to the ASGI server; `make run` sets it to its ASGI server's port.
CHAT_WS_PORT = env_int("CHAT_WS_PORT", 0)
# The PSG line (ajet/support): how long a person waits for a listener before being offered other resources,
# how long before a shift a volunteer must drop it (later they offer it for a swap), when the reminder goes
# out, and the most night shifts a volunteer may take in a month (volunteers' wellbeing).
SUPPORT_CHAT_WAIT_SECONDS = env_int("SUPPORT_CHAT_WAIT_SECONDS", 300)
SUPPORT_DROP_NOTICE_HOURS = env_int("SUPPORT_DROP_NOTICE_HOURS", 48)
SUPPORT_REMINDER_HOURS = env_int("SUPPORT_REMINDER_HOURS", 24)
SUPPORT_MAX_SHIFTS_PER_MONTH = env_int("SUPPORT_MAX_SHIFTS_PER_MONTH", 8)
# Per process, for template parts that depend only on the code and the language (the site's navigation):
# never shared data, so nothing to keep consistent between workers; saves a Redis round trip per part.
CACHES["process"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ajet-process"}

TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "ajet.people.backends.ModelBackend",  # never grants officer powers, see ajet/people/backends.py
    "ajet.people.backends.AuthenticationBackend",  # allauth e-mail sign-in, same rule
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: e-mail is the login; sign-ups verify their address; failed logins are rate limited.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "ajet.people.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "ajet.people.signup.AtomicSignupForm", "login": "ajet.people.signup.SignInForm",
                 "reset_password": "ajet.people.signup.ForgotPasswordForm"}
ACCOUNT_ADAPTER = "ajet.people.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key", "signup": "20/m/ip",
    "profile_change": "20/h/user",  # ours (ajet.people.views.profile), counted by allauth's rate limiter
}
# The client address of a rate limit is REMOTE_ADDR unless proxies we run sit in front: then allauth takes
# the address that the outermost trusted proxy appended to X-Forwarded-For (a client's own entries are ignored).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("AJET_TRUSTED_PROXIES", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("AJET_TRUSTED_PROXIES must be 0 or more")
SITE_NAME = "AJET Nexus"  # how e-mails and pages name the site (allauth would say the host and port)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AJET Nexus"
MFA_TOTP_TOLERANCE = 1  # accept the previous and next 30-second code: phone clocks drift

# Sessions are read from the cache (Redis with REDIS_URL, shared by all workers) and kept in the database.
SESSION_ENGINE = "ajet.core.sessions"  # cached_db, read with the account in one round trip: see there
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads: anything larger is refused with a clear message before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
AJET_MAX_UPLOAD_BYTES = env_int("AJET_MAX_UPLOAD_BYTES", 2 * 1024 * 1024)

# The council year starts in this month (AJET has used June, late May and April).
AJET_COUNCIL_YEAR_START_MONTH = env_int("AJET_COUNCIL_YEAR_START_MONTH", 4)

EMAIL_CONFIG = parse_email_url(env_str("EMAIL_URL", "console://" if not PRODUCTION else ""))
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST", "localhost")
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_CONFIG.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = EMAIL_CONFIG.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AJET Nexus <no-reply@ajet.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The hub's announcement e-mails: messages sent per SMTP connection, and tries per recipient before "failed".
HUB_EMAIL_BATCH_SIZE = env_int("HUB_EMAIL_BATCH_SIZE", 200)
HUB_EMAIL_MAX_ATTEMPTS = env_int("HUB_EMAIL_MAX_ATTEMPTS", 3)
# How often AJET meets the sponsors: "twice-yearly" (spring and autumn) or "yearly" (autumn); see ajet/voice/cycle.py.
VOICE_MEETING_SCHEDULE = env_str("VOICE_MEETING_SCHEDULE", "twice-yearly")
if VOICE_MEETING_SCHEDULE not in ("twice-yearly", "yearly"):
    raise ImproperlyConfigured("VOICE_MEETING_SCHEDULE must be twice-yearly or yearly.")

# A strict Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if EMAIL_BACKEND.endswith("console.EmailBackend"):
        raise ImproperlyConfigured("Production needs EMAIL_URL (smtp://user:password@host:port).")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "filters": {"expected_denials": {"()": "ajet.core.log_filters.ExpectedDenialFilter"}},
    "loggers": {"django.request": {"filters": ["expected_denials"]}},  # a 403 is one line, not a traceback
}
