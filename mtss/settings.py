"""Settings for the MTSS coordination app: one file, read top to bottom.

With no environment variables set this gives the embedded set-up used by `make run`:
SQLite and a filesystem Celery broker under var/, and email written to files under var/.
Production sets DATABASE_URL, CELERY_BROKER_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and
DEBUG=false; the same file then passes `manage.py check --deploy`.
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mtss.env import (
    database_from_url,
    email_from_url,
    env_bool,
    env_group,
    env_int,
    env_list,
    env_microsoft_tenant,
    env_str,
    origin_of_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MTSS_VAR_DIR", str(BASE_DIR / "var")))
# The embedded set-up keeps its database, broker queue and mail files here.
VAR_DIR.mkdir(parents=True, exist_ok=True)
# The slide decks' chart library keeps its font cache here, not in a home folder a server may not have.
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))

# --- Core -------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-secret-key-not-for-production-use-0123456789abcdefghijklmnop"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false.")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "mtss.audit",
    "mtss.notifications",
    "coordinators",
    # Order matters for seed_demo: each app's demo data may use the apps above it.
    "implementation_plans",
    "meetings",
    "data_reviews",
    "mtss.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mtss.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "mtss.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mtss.middleware.SessionLifetimeMiddleware",
    "mtss.middleware.KeepTextOnExpiredSessionMiddleware",
    "coordinators.middleware.CurrentDistrictMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the header middleware so its 413 page gets their headers; before anything reads a body.
    "mtss.uploads.RequestBodyLimitMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mtss.urls"
WSGI_APPLICATION = "mtss.wsgi.application"
ASGI_APPLICATION = "mtss.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mtss.navigation.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mtss.sqlite3'}"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server, worker and beat share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, for the test database: the live server used by browser tests then gives
    # each request thread its own connection instead of sharing one across threads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ----------------------------------------------------------------
AUTH_USER_MODEL = "coordinators.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The client's address: REMOTE_ADDR, or with N trusted proxies in front (the README's TLS proxy is
# one) the Nth entry from the right of X-Forwarded-For. Never set it higher than the real count:
# entries further left are whatever the client sent.
MTSS_TRUSTED_PROXY_COUNT = env_int("MTSS_TRUSTED_PROXY_COUNT", 0, minimum=0)

# Failed-login lockout: a person at one address is locked after AXES_FAILURE_LIMIT failures, and an
# address after SIGN_IN_ADDRESS_FAILURE_LIMIT failures on any usernames (one address trying many
# accounts), each for the cool-off. Emails count in lower case: Alice@x and alice@x are one person.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "coordinators.sign_in.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "mtss.clients.client_address"
AXES_USERNAME_CALLABLE = "coordinators.sign_in.sign_in_username"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Single sign-on (README "Single sign-on"): each provider is on when all of its variables are set.
# django-allauth runs the OAuth and OpenID Connect exchange; who may come in, and each district's
# sign-in policy, are decided by coordinators.single_sign_on, which never creates an account.
_oidc = env_group("OIDC_PROVIDER_NAME", "OIDC_ISSUER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
_google = env_group("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET")
_microsoft = env_group("MICROSOFT_CLIENT_ID", "MICROSOFT_CLIENT_SECRET", "MICROSOFT_TENANT")
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
if _google:
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [{"client_id": _google["GOOGLE_CLIENT_ID"], "secret": _google["GOOGLE_CLIENT_SECRET"]}],
        "SCOPE": ["openid", "email", "profile"],
        "OAUTH_PKCE_ENABLED": True,
    }
if _microsoft:
    SOCIALACCOUNT_PROVIDERS["microsoft"] = {
        "APPS": [
            {
                "client_id": _microsoft["MICROSOFT_CLIENT_ID"],
                "secret": _microsoft["MICROSOFT_CLIENT_SECRET"],
                "settings": {
                    "tenant": env_microsoft_tenant("MICROSOFT_TENANT", _microsoft["MICROSOFT_TENANT"])
                },
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
if _oidc:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                # The sign-in URLs are /accounts/oidc/sso/login/ and /accounts/oidc/sso/login/callback/.
                "provider_id": "sso",
                "name": _oidc["OIDC_PROVIDER_NAME"],
                "client_id": _oidc["OIDC_CLIENT_ID"],
                "secret": _oidc["OIDC_CLIENT_SECRET"],
                "settings": {"server_url": _oidc["OIDC_ISSUER_URL"]},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
# The sign-in page's "Sign in with ..." forms post here and are redirected to the provider; browsers
# hold that redirect to the policy's form-action, so each provider's sign-in origin is listed there.
SINGLE_SIGN_ON_ORIGINS = [
    *(["https://accounts.google.com"] if _google else []),
    *(["https://login.microsoftonline.com"] if _microsoft else []),
    *([origin_of_url("OIDC_ISSUER_URL", _oidc["OIDC_ISSUER_URL"])] if _oidc else []),
]
SOCIALACCOUNT_ADAPTER = "coordinators.single_sign_on.SingleSignOnAdapter"
# Tokens are used once, to learn the verified address, and never kept.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_AUTO_SIGNUP = False
# The sign-in page posts to a provider's login URL; a GET there only shows a Continue button.
SOCIALACCOUNT_LOGIN_ON_GET = False
# allauth's own password pages are not used (mtss.urls keeps Django's); these describe the User model.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"

# Password-reset links: at most this many an hour for one email address, and from one client address.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env_int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", 5, minimum=1)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 20, minimum=1)

# Sessions: an idle timeout and an absolute lifetime; Django issues a new key at login.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 60, minimum=1))
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env_int("SESSION_LIFETIME_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # Plotly's strict bundle needs no eval; chart data arrives through json_script.
    "script-src": [CSP.SELF],
    # Plotly and Bootstrap set inline style attributes; scripts stay strict.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF, *SINGLE_SIGN_ON_ORIGINS],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Uploads ----------------------------------------------------------------------------
# Screener files can be large; the import code checks its own limit before parsing.
MTSS_MAX_UPLOAD_BYTES = env_int("MTSS_MAX_UPLOAD_MB", 25, minimum=1) * 1024 * 1024
# A whole request: the most files one form takes (an NWEA export and its roster) at the file
# limit, plus room for the form's fields. A longer declared body is answered 413 unread.
MTSS_MAX_FILES_PER_FORM = 2
MTSS_MAX_REQUEST_BYTES = MTSS_MAX_UPLOAD_BYTES * MTSS_MAX_FILES_PER_FORM + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The bounded handler first: no file puts more than MTSS_MAX_UPLOAD_BYTES on disk.
FILE_UPLOAD_HANDLERS = [
    "mtss.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise without a view.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email ------------------------------------------------------------------------------
_email = email_from_url(env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}"))
if _email.host:
    _mail_options = {
        "host": _email.host,
        "port": _email.port,
        "username": _email.user,
        "password": _email.password,
        "use_tls": _email.use_tls,
        "use_ssl": _email.use_ssl,
        "timeout": 10,
    }
elif _email.file_path:
    _mail_options = {"file_path": _email.file_path}
else:
    _mail_options = {}
MAILERS = {"default": {"BACKEND": _email.backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MTSS Coordination <mtss@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who the people of a suspended district are told to contact (an email address or a name).
OPERATOR_CONTACT = env_str("OPERATOR_CONTACT", "")

# --- Celery -----------------------------------------------------------------------------
# A dead broker must never hang a web request: connect and read fail within about 2 s in all,
# without kombu's default 2 s pause before its one reconnect attempt.
BROKER_NETWORK_OPTIONS: dict[str, object] = {
    "socket_timeout": 2,
    "socket_connect_timeout": 1.5,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
_BROKER_DIR = VAR_DIR / "celery-broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # One folder for both directions lets a worker and beat on this machine share queues.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in CELERY_BROKER_TRANSPORT_OPTIONS.values():
        if isinstance(_folder, str):
            Path(_folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = BROKER_NETWORK_OPTIONS
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Time and language ------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True
# US formats ("Mar 9, 2026, 8:44 PM") wherever a template writes a date without its own format.
FORMAT_MODULE_PATH = ["mtss.formats"]

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Axes logs every successful sign-in at INFO; its warnings (failures, lockouts) are what matter.
    "loggers": {"axes": {"level": "WARNING"}},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
