"""Tsunagu settings: one file, driven by the environment (docs/configuration.md).

SQLite under var/ by default; PostgreSQL when DATABASE_URL says so. A bad value stops
start-up with a message that names the variable.
"""

import datetime as dt
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG: bool = env_bool("DEBUG", False)
# Under pytest the test settings below apply without any environment to set.
TESTING: bool = env_bool("TSUNAGU_TESTING", False) or "pytest" in sys.modules

SECRET_KEY: str = os.environ.get("SECRET_KEY", "")
_LOCAL_KEY = BASE_DIR / "var" / "secret_key"
if not SECRET_KEY and _LOCAL_KEY.exists():
    # A checkout's own key, written by the Makefile, so manage.py works there as is.
    SECRET_KEY = _LOCAL_KEY.read_text().strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. `make run` creates one in var/secret_key; in production set it in the environment."
        )

ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS: list[str] = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS: list[str] = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Sign-in protection (docs/security.md): lockout after repeated failures, and the
    # second factor's devices (TOTP, recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tsunagu.accounts",
    "tsunagu.audit",
    "tsunagu.people",
    "tsunagu.cases",
    "tsunagu.sheets",
    "tsunagu.consents",
    "tsunagu.referrals",
    "tsunagu.community",
    "tsunagu.meetings",
    "tsunagu.resources",
    "tsunagu.statistics",
    "tsunagu.employment",
    "tsunagu.programmes",
    "tsunagu.search",
    "tsunagu.demo",
]

MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "tsunagu.lib.middleware.NoStoreMiddleware",
    # A signed-in account that owes its second factor reaches only the sign-in pages.
    "tsunagu.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"
WSGI_APPLICATION = "tsunagu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["tsunagu.lib.templatetags.tsunagu"],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
    if _db["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (or SQLite).")
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: PostgreSQL compiles a query to machine code when its
        # estimated cost is high, which took 100-400 ms per query on the larger pages (a
        # caseload's counts, the statistics' look-ups per row) against a few ms of running
        # them (docs/benchmarks.md). Short queries are this application's whole work.
        options = _db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    DATABASES = {"default": _db}
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "tsunagu.sqlite3")),
            # IMMEDIATE transactions take the write lock up front, so two requests that
            # both append to the audit chain queue instead of failing with "locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("TEST", {"NAME": ""})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.Staff"
LOGIN_URL = "accounts:login"
# "home" sends each role to its first page (supporters to their report form).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes' backend comes first: it refuses a locked account or address before the
# password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Passphrases over composition rules (docs/security.md): at least 12 characters, no rule
# about character classes, and refused when common, all digits, or like the account's
# own names.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "first_name", "last_name", "email")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout (django-axes): this many failed sign-ins for one account, or from one address,
# lock it for this many minutes; each lock and each unlock is in the audit trail.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 6)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
_LOCKOUT_BY = env_list("LOGIN_LOCKOUT_BY", "username,ip_address")
if not _LOCKOUT_BY or set(_LOCKOUT_BY) - {"username", "ip_address"}:
    raise ImproperlyConfigured("LOGIN_LOCKOUT_BY must list username, ip_address or both.")
# Each item counts on its own: six failures for one account lock that account, six from
# one address (whatever the accounts) lock that address.
AXES_LOCKOUT_PARAMETERS: list[str] = _LOCKOUT_BY
AXES_LOCKOUT_CALLABLE = "tsunagu.accounts.lockout.lockout_response"
# A success does not clear the count: django-axes would clear every count of the address
# too, so an insider could wipe the guesses at a colleague's account by signing in to
# their own from the same desk. Counts run out LOGIN_LOCKOUT_MINUTES after the last failure.
AXES_RESET_ON_SUCCESS = False
# Sign-ins are in the audit trail already (tsunagu.accounts.signals).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Masked in django-axes' records and logs (the password always is): the second factor's code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Behind the TLS proxy, the client's address is the one the proxy appended.
AXES_CLIENT_IP_CALLABLE = "tsunagu.accounts.lockout.client_ip"

# The second factor (django-otp): "required" makes every role that can read personal
# records or whereabouts (centre staff, the municipal officer) and `admin` enrol and use
# it at each sign-in; "optional" (the demo) asks it only of accounts that enrolled.
TSUNAGU_MFA = os.environ.get("TSUNAGU_MFA", "required")
if TSUNAGU_MFA not in {"required", "optional"}:
    raise ImproperlyConfigured(f"TSUNAGU_MFA must be required or optional, not {TSUNAGU_MFA!r}")
OTP_TOTP_ISSUER = "つなぐ"

# A session ends after an hour without a request: every request renews the expiry.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over HTTPS only (docs/deployment.md): plain HTTP is redirected, and browsers are
# told by HSTS to use HTTPS for a year. The proxy's health check (/healthz, plain HTTP
# from the proxy itself) is not redirected.
HTTPS_ONLY = SECURE_COOKIES or BEHIND_TLS_PROXY
SECURE_SSL_REDIRECT: bool = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
SECURE_REDIRECT_EXEMPT: list[str] = [r"^healthz$"]
SECURE_HSTS_SECONDS: int = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is decided for a whole registrable domain (e.g. the municipality's) by its
# owner, not by one application on one host under it (docs/deployment.md): off unless
# set, and its deploy-check warning silenced while it is off.
SECURE_HSTS_PRELOAD: bool = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS: list[str] = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict CSP: no inline script or style anywhere (STYLE.md principle 11).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# In development and tests, whitenoise finds files in place instead of in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


# 定着支援 (docs/employment.md): a placement's follow-ups, in months after its start.
def _months(name: str, default: str) -> list[int]:
    try:
        months = sorted({int(item) for item in env_list(name, default)})
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be whole numbers separated by commas, e.g. 1,3,6") from None
    if not months or months[0] < 1 or months[-1] > 36:
        raise ImproperlyConfigured(f"{name} must list months between 1 and 36, e.g. 1,3,6")
    return months


TSUNAGU_RETENTION_FOLLOW_UP_MONTHS: list[int] = _months("TSUNAGU_RETENTION_FOLLOW_UP_MONTHS", "1,3,6")

# The audit trail's checkpoints (docs/audit.md): signed files outside the database that
# let verify_audit notice rows removed at the end. Keep copies off the server.
AUDIT_CHECKPOINT_DIR: str = os.environ.get("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "audit-checkpoints"))
# The HMAC key that signs them; empty: a key derived from SECRET_KEY.
AUDIT_CHECKPOINT_KEY: str = os.environ.get("AUDIT_CHECKPOINT_KEY", "")

# Domain settings (docs/configuration.md).
TSUNAGU = {
    # A case with no progress note for this many days shows on the worker's /my/ page.
    "STALE_NOTE_DAYS": env_int("TSUNAGU_STALE_NOTE_DAYS", 30),
    # How long a whereabouts-confidentiality order runs, and when to remind of renewal.
    "CONFIDENTIALITY_DAYS": env_int("TSUNAGU_CONFIDENTIALITY_DAYS", 365),
    "CONFIDENTIALITY_REMIND_DAYS": env_int("TSUNAGU_CONFIDENTIALITY_REMIND_DAYS", 30),
    # Days a handed-off person is followed until the receiving agency confirms contact.
    "HANDOFF_FOLLOW_UP_DAYS": env_int("TSUNAGU_HANDOFF_FOLLOW_UP_DAYS", 14),
    "CASES_PER_PAGE": env_int("TSUNAGU_CASES_PER_PAGE", 25),
    # Days a receiving agency has to accept or decline a referral before the referrer's
    # task becomes overdue.
    "REFERRAL_ANSWER_DAYS": env_int("TSUNAGU_REFERRAL_ANSWER_DAYS", 7),
    # ケース検討会: a case held by its worker alone (no other team member, no meeting)
    # for this many days, or whose state has not changed for as long, is proposed.
    "CASE_REVIEW_ALONE_DAYS": env_int("TSUNAGU_CASE_REVIEW_ALONE_DAYS", 90),
    "CASE_REVIEW_STALE_DAYS": env_int("TSUNAGU_CASE_REVIEW_STALE_DAYS", 90),
}

# The national 目安値 per 100,000 population a month, as (lower, upper), where they
# differ from tsunagu/statistics/definitions.py's DEFAULT_GUIDELINES (DOMAIN.md §8), e.g.
# {"new_consultations": (16.0, 20.0)}.
TSUNAGU_STATISTICS_GUIDELINES: dict[str, tuple[float, float]] = {}

# Programme periods differing from tsunagu/sheets/rules.py's defaults, e.g.
# {"work_preparation": {"months": 12, "max_extensions": 2, "extension_months": 6}}.
TSUNAGU_PROGRAMME_RULES: dict[str, dict[str, int]] = {}
# 住居確保給付金: the recipient's duties during payment (docs/programmes.md), per month
# unless the key ends in _per_week. Centres with other practice change them here.
TSUNAGU_HOUSING_DUTIES: dict[str, int] = {"consultation": 4, "hello_work": 2, "job_application_per_week": 1}
# 住居確保給付金's limits per household size when the admin has set none for the
# municipality (programmes.HousingLimit): [基準額, 家賃上限, 金融資産の上限] in yen
# (example values of a 3級地 town; larger households use the largest size given).
TSUNAGU_HOUSING_LIMITS: dict[int, list[int]] = {
    1: [78000, 37000, 468000],
    2: [115000, 44000, 690000],
    3: [140000, 48000, 840000],
    4: [175000, 48000, 1000000],
    5: [215000, 52000, 1000000],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs seven progress lines per PDF at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO; the audit trail has them already.
        "axes": {"level": "WARNING"},
    },
}
