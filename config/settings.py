"""Settings for dutdiem. Everything that differs between machines comes from the environment
(see config/env.py); with nothing set, the app runs on an embedded SQLite database."""

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from config.env import env_bool, env_float, env_int, env_list, env_str
from ops.dburl import parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DUTDIEM_DATA_DIR", str(BASE_DIR / "var"))).resolve()
ENVIRONMENT = env_str("DUTDIEM_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
TESTING = "pytest" in sys.modules or env_bool("DUTDIEM_TESTING")


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError(
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set in production"
        )
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks_db",
    "accounts",
    "areas",
    "units",
    "calendars",
    "audit",
    "matters",
    "vault",
    "petitions",
    "registry",
    "plans",
    "cases",
    "alerts",
    "reviews",
    "statements",
    "reports",
    "outbox",
    "national",
    "signing",
    "citizens",
    "notifications",
    "opendata",
    "demo",
    "web",
    "ops",
]

MIDDLEWARE = [
    "ops.middleware.RequestContextMiddleware",
    "ops.middleware.ReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.NotFoundPageMiddleware",
    "common.unicode.NfcFormMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "web.context_processors.navigation",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN
    # so that two writers queue instead of failing with "database is locked" half way.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}


def _database(url: str, default_sqlite: Path) -> dict[str, Any]:
    if url:
        # Also the multi-host form of failover setups (ops.dburl).
        config = parse_database_url(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        if config["ENGINE"] == "django.db.backends.sqlite3":
            config["OPTIONS"] = dict(SQLITE_OPTIONS)
        else:
            config["CONN_HEALTH_CHECKS"] = True
            # A database that does not answer (failover, a vault host that is down) fails fast.
            config.setdefault("OPTIONS", {}).setdefault(
                "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
            )
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite),
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASE_URL = env_str("DATABASE_URL")
if PRODUCTION and not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise RuntimeError("Production needs PostgreSQL: set DATABASE_URL=postgres://...")
DATABASES = {"default": _database(DATABASE_URL, DATA_DIR / "dutdiem.sqlite3")}

# The vault holds sealed identities. It is its own database: a separate SQLite file by default,
# a separate PostgreSQL database (possibly on another host) with VAULT_DATABASE_URL.
_vault_url = env_str("VAULT_DATABASE_URL")
if not _vault_url and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    _vault_url = DATABASE_URL.rsplit("/", 1)[0] + "/" + str(DATABASES["default"]["NAME"]) + "_vault"
DATABASES["vault"] = _database(_vault_url, DATA_DIR / "vault.sqlite3")
if PRODUCTION and DATABASES["vault"]["ENGINE"] == "django.db.backends.sqlite3":
    raise RuntimeError(
        "Production needs PostgreSQL for the vault too: VAULT_DATABASE_URL=postgres://..."
    )
# A streaming replica for read-heavy work (ops.routing.read_from_replica); in tests it stands
# for the primary's test database unless a replica test points it at the real replica.
_replica_url = env_str("DATABASE_REPLICA_URL")
if _replica_url:
    DATABASES["replica"] = _database(_replica_url, DATA_DIR / "replica.sqlite3")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPLICA_MAX_LAG_SECONDS = env_int("DUTDIEM_REPLICA_MAX_LAG_SECONDS", 30)
REPLICA_PIN_SECONDS = env_int("DUTDIEM_REPLICA_PIN_SECONDS", 300)
REPLICA_HEALTH_SECONDS = env_int("DUTDIEM_REPLICA_HEALTH_SECONDS", 2)
DATABASE_ROUTERS = ["config.routers.DatabaseRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The table of request counts behind common.throttle (common imports no app: it is named here).
THROTTLE_MODEL = "registry.PublicThrottle"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# SECURITY.md: 8-128 characters, no composition rules, common passwords refused; and, as
# NIST SP 800-63B asks, not the account's own name (or close to it) and not spaces only.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "accounts.validators.NotBlankValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
REQUIRE_MFA = env_bool("DUTDIEM_REQUIRE_MFA", PRODUCTION)
OTP_TOTP_ISSUER = "dutdiem"
SESSION_IDLE_SECONDS = env_int("DUTDIEM_SESSION_IDLE_SECONDS", 15 * 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Single sign-on with the province's identity provider (OpenID Connect; accounts/sso.py,
# docs/deploy.md "Single sign-on"). Off unless a discovery URL (or issuer) and a client id
# are set. The provider only says who signs in: the official must already have an account
# here (matched by OIDC_USER_CLAIM against OIDC_MATCH_FIELD), which keeps the roles and unit
# given here. A sign-in whose acr is one of OIDC_MFA_ACR, or whose amr holds one of
# OIDC_MFA_AMR, counts as the second factor; any other is asked for the local TOTP code.
OIDC_DISCOVERY_URL = env_str("DUTDIEM_OIDC_DISCOVERY_URL")
OIDC_CLIENT_ID = env_str("DUTDIEM_OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("DUTDIEM_OIDC_CLIENT_SECRET")
OIDC_SCOPES = env_str("DUTDIEM_OIDC_SCOPES", "openid profile email")
OIDC_USER_CLAIM = env_str("DUTDIEM_OIDC_USER_CLAIM", "preferred_username")
OIDC_MATCH_FIELD = env_str("DUTDIEM_OIDC_MATCH_FIELD", "username")
if OIDC_MATCH_FIELD not in {"username", "email"}:
    raise ValueError("DUTDIEM_OIDC_MATCH_FIELD must be username or email")
OIDC_MFA_ACR = env_list("DUTDIEM_OIDC_MFA_ACR")
OIDC_MFA_AMR = env_list("DUTDIEM_OIDC_MFA_AMR")
OIDC_CA_FILE = env_str("DUTDIEM_OIDC_CA_FILE")
OIDC_TIMEOUT = env_float("DUTDIEM_OIDC_TIMEOUT", 10.0)

AXES_ENABLED = env_bool("DUTDIEM_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("DUTDIEM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
# Axes locks one account from one address; password spraying (a few tries at many accounts
# from one address) is counted per address by accounts.throttle. Locking by username alone
# would let anyone lock any official out, and by address alone (with its single limit) would
# lock a whole office behind one NAT after five typos. Behind the reverse proxy the address
# is the client's (the last X-Forwarded-For hop), not the proxy's.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.axes_client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failed sign-ins (web or API token) from one client address in 15 minutes, for all accounts.
LOGIN_FAILURES_PER_ADDRESS = env_int("DUTDIEM_LOGIN_FAILURES_PER_ADDRESS", 30)
# Duplicate checks before filing (registry): ID numbers (or checks without one) an hour, per
# official and per client address; over it, 429 with Retry-After.
DUPLICATE_CHECKS_PER_OFFICIAL = env_int("DUTDIEM_DUPLICATE_CHECKS_PER_OFFICIAL", 120)
DUPLICATE_CHECKS_PER_ADDRESS = env_int("DUTDIEM_DUPLICATE_CHECKS_PER_ADDRESS", 600)

# scrypt is memory-hard and, on this class of machine, five times faster than Django's
# default PBKDF2 (0.4 s against 2 s a login); PBKDF2 stays to read older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Language, time, formats -----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

# --- Static files (vendored from npm, served by whitenoise; no CDN) ---------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
if not PRODUCTION:
    # whitenoise serves from the finders here; an empty root only silences its warning.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "files"
UPLOAD_MAX_BYTES = env_int("DUTDIEM_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# An uploaded .xlsx may unpack to at most this much (common.archive: zip bombs).
UPLOAD_MAX_EXPANDED_BYTES = env_int("DUTDIEM_UPLOAD_MAX_EXPANDED_BYTES", 400 * 1024 * 1024)

# --- Background jobs -------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Cache ------------------------------------------------------------------------------------
# Computed figures (the dashboard's) are shared by every server process through files in the
# data directory: one computation serves all workers, no extra service to run. Tests keep a
# private in-memory cache.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("DUTDIEM_CACHE_DIR", str(DATA_DIR / "cache")),
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": env_int("DUTDIEM_CACHE_MAX_ENTRIES", 3000)},
        }
    )
}
# The public map's whole-province answer (opendata.mapcache): kept until a proposal of the
# province changes through the services, and at most this long. Tests run without it.
PUBLIC_MAP_CACHE_SECONDS = env_int("DUTDIEM_PUBLIC_MAP_CACHE_SECONDS", 0 if TESTING else 300)

# Periodic jobs started by `dutdiem scheduler` (run by `dutdiem serve`): task, period, time.
PERIODIC_JOBS = [
    ("reviews.tasks.deem_consents", "daily", "00:05"),
    ("reports.tasks.run_schedules", "daily", "01:00"),
    ("reports.tasks.refresh_dashboard", "daily", "01:30"),
    ("alerts.tasks.weekly_warn", "weekly", "MON 05:00"),
    ("petitions.tasks.petitions_daily", "daily", "06:00"),
    ("plans.tasks.plans_daily", "daily", "06:10"),
    ("statements.tasks.ensure_periodic_duties", "daily", "06:20"),
    ("registry.tasks.sweep_stale_imports", "daily", "02:00"),
    ("ops.tasks.optimize_database", "daily", "02:10"),
    ("audit.tasks.anchor_chain", "hourly", ":07"),
    ("notifications.tasks.send_digests", "daily", "07:00"),
    ("outbox.tasks.outbox_daily", "daily", "02:20"),
    ("national.tasks.record_missing", "daily", "02:15"),
]

# Early warning: the methods of the weekly check (alerts.services.run_method, scan_findings);
# a week with fewer matters than WARN_MIN_COUNT in a commune and category never alerts.
WARN_METHODS = env_list("DUTDIEM_WARN_METHODS", ["farrington-flexible", "ears-c2", "stp-scan"])
WARN_MIN_COUNT = env_int("DUTDIEM_WARN_MIN_COUNT", 3)
# The space-time scan: weeks of the study window, significance, Monte Carlo replicates. Run
# every week, p <= 0.01 is a false cluster once in about 100 weeks (its recurrence interval)
# per province and category; 0.05 would raise one every 20 weeks in each of them.
WARN_SCAN_WEEKS = env_int("DUTDIEM_WARN_SCAN_WEEKS", 52)
WARN_SCAN_P = env_float("DUTDIEM_WARN_SCAN_P", 0.01)
WARN_SCAN_REPLICATES = env_int("DUTDIEM_WARN_SCAN_REPLICATES", 999)

# A register import not finished this many hours after it started was interrupted.
IMPORT_STALE_HOURS = env_int("DUTDIEM_IMPORT_STALE_HOURS", 6)

# --- Outbox: everything that leaves the system (outbox/, docs/DEVELOPING.md) ---------------------
# Tries before a message goes to the dead letters (about a day with the back-off below), the
# first wait and the longest one, how long a worker holds a claim, messages per round, how
# long one delivery job runs before it hands over to the next, and how long sent messages are
# kept for the administrators' page.
OUTBOX_MAX_ATTEMPTS = env_int("DUTDIEM_OUTBOX_MAX_ATTEMPTS", 30)
OUTBOX_BACKOFF_SECONDS = env_float("DUTDIEM_OUTBOX_BACKOFF_SECONDS", 30.0)
OUTBOX_BACKOFF_MAX_SECONDS = env_float("DUTDIEM_OUTBOX_BACKOFF_MAX_SECONDS", 3600.0)
OUTBOX_LEASE_SECONDS = env_int("DUTDIEM_OUTBOX_LEASE_SECONDS", 300)
OUTBOX_BATCH = env_int("DUTDIEM_OUTBOX_BATCH", 100)
OUTBOX_JOB_SECONDS = env_float("DUTDIEM_OUTBOX_JOB_SECONDS", 60.0)
OUTBOX_KEEP_DAYS = env_int("DUTDIEM_OUTBOX_KEEP_DAYS", 90)
OUTBOX_DIR = DATA_DIR / "outbox"
# A commit that wrote to the outbox asks the worker for a delivery at once. Tests deliver
# explicitly instead.
OUTBOX_DELIVER_ON_COMMIT = env_bool("DUTDIEM_OUTBOX_DELIVER_ON_COMMIT", not TESTING)

# The national complaints database (Decree 55/2022; national/, docs/national-export.md).
# Without a URL, records go to files in OUTBOX_DIR/national outside production, and wait in
# the outbox in production until the endpoint is configured.
NATIONAL_URL = env_str("DUTDIEM_NATIONAL_URL")
NATIONAL_TOKEN = env_str("DUTDIEM_NATIONAL_TOKEN")
NATIONAL_CLIENT_CERT = env_str("DUTDIEM_NATIONAL_CLIENT_CERT")
NATIONAL_CLIENT_KEY = env_str("DUTDIEM_NATIONAL_CLIENT_KEY")
NATIONAL_CA_FILE = env_str("DUTDIEM_NATIONAL_CA_FILE")
NATIONAL_TIMEOUT = env_float("DUTDIEM_NATIONAL_TIMEOUT", 10.0)
# Records sent at once (each of another petition): hides the round trip to a distant endpoint.
NATIONAL_CONCURRENCY = env_int("DUTDIEM_NATIONAL_CONCURRENCY", 4)
# Who sends: the province's code in the national database (defaults to the records' own).
NATIONAL_SOURCE = env_str("DUTDIEM_NATIONAL_SOURCE")

# Messages to citizens (citizens/): the SMS gateway (JSON over HTTPS); without it SMS are
# written to files in OUTBOX_DIR outside production and wait in the outbox in production.
SMS_URL = env_str("DUTDIEM_SMS_URL")
SMS_TOKEN = env_str("DUTDIEM_SMS_TOKEN")
SMS_TIMEOUT = env_float("DUTDIEM_SMS_TIMEOUT", 10.0)

# --- Security headers ------------------------------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

_FORM_ACTION: list[str] = [CSP.SELF]
if OIDC_DISCOVERY_URL:
    # Signing out (a form) ends the provider's session too: the browser follows the redirect
    # to its end-session endpoint only if the form may lead there.
    from urllib.parse import urlsplit  # noqa: E402

    _idp = urlsplit(OIDC_DISCOVERY_URL)
    _FORM_ACTION.append(f"{_idp.scheme}://{_idp.netloc}")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": _FORM_ACTION,
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_SSL_REDIRECT = env_bool("DUTDIEM_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Domain settings -------------------------------------------------------------------------
BOUNCE_LIMIT = env_int("DUTDIEM_BOUNCE_LIMIT", 2)
DUE_SOON_DAYS = env_int("DUTDIEM_DUE_SOON_DAYS", 3)
VAULT_KEY = env_str("DUTDIEM_VAULT_KEY")
VAULT_KEY_PATH = env_str("DUTDIEM_VAULT_KEY_PATH", str(DATA_DIR / "vault.key"))
# The audit chain: its HMAC key (like the vault's: environment or a 0600 file, made on first
# use outside production), the anchor file, and an optional witness that receives the tip
# (audit.anchors). AUDIT_ERASE_ALLOWED lets the test runner's flush empty the log; it is never
# read from the environment and is refused in production.
AUDIT_KEY = env_str("DUTDIEM_AUDIT_KEY")
AUDIT_KEY_PATH = env_str("DUTDIEM_AUDIT_KEY_PATH", str(DATA_DIR / "audit.key"))
AUDIT_ANCHOR_PATH = env_str("DUTDIEM_AUDIT_ANCHOR_PATH", str(DATA_DIR / "audit-anchor.json"))
AUDIT_WITNESS_URL = env_str("DUTDIEM_AUDIT_WITNESS_URL")
AUDIT_WITNESS_TOKEN = env_str("DUTDIEM_AUDIT_WITNESS_TOKEN")
AUDIT_WITNESS_TIMEOUT = env_float("DUTDIEM_AUDIT_WITNESS_TIMEOUT", 5.0)
AUDIT_ERASE_ALLOWED = TESTING and not PRODUCTION
MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "dutdiem@localhost")
# The address of the site as officials reach it (https://dutdiem.example.gov.vn), for the
# links of e-mails sent by jobs (the daily digest); without it those links are paths only.
SITE_URL = env_str("DUTDIEM_SITE_URL", "")

# Open311 GeoReport v2 at /open311/v2/: the jurisdiction this server answers for (when set,
# a request naming another jurisdiction_id is 404), and the API keys a POST must carry (when
# set; comma-separated). GET never needs a key.
OPEN311_JURISDICTION = env_str("DUTDIEM_OPEN311_JURISDICTION", "")
OPEN311_API_KEYS = [k.strip() for k in env_str("DUTDIEM_OPEN311_API_KEYS").split(",") if k.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DUTDIEM_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Operations: logs, metrics, backups, production profile (ops/, docs/deploy.md) -----------
# JSON lines with request ids in production (ops.logging: nothing personal in them).
LOGGING["filters"] = {
    "request_id": {"()": "ops.logging.RequestIdFilter"},
    "no_query_string": {"()": "ops.logging.QueryStringFilter"},
}
LOGGING["formatters"]["json"] = {"()": "ops.logging.JsonFormatter"}  # type: ignore[index]
LOGGING["handlers"]["console"].update(  # type: ignore[index]
    formatter=env_str("DUTDIEM_LOG_FORMAT", "json" if PRODUCTION else "plain"),
    filters=["request_id", "no_query_string"],
)
# The development server's request lines go through the same handler (Django's own handler
# for them would print query strings).
LOGGING["loggers"]["django.server"] = {  # type: ignore[index]
    "handlers": ["console"],
    "level": "INFO",
    "propagate": False,
}
METRICS_TOKEN = env_str("DUTDIEM_METRICS_TOKEN")
BACKUP_KEY = env_str("DUTDIEM_BACKUP_KEY")
BACKUP_KEY_PATH = env_str("DUTDIEM_BACKUP_KEY_PATH", str(DATA_DIR / "backup.key"))
# Signed PDF/A documents (signing/, docs/deploy.md "Signing documents"): one folder per issuing
# unit under SIGNING_DIR/units/<unit code>/ with its signer.json; the trust roots (a PEM
# bundle or a folder of certificates) that sign-check and the upload check verify against;
# an RFC 3161 time-stamping authority. Outside production a demo certificate authority and
# unit certificates are made on first use; production refuses the demo.
SIGNING_DIR = env_str("DUTDIEM_SIGNING_DIR", str(DATA_DIR / "signing"))
SIGNING_TRUST_ROOTS = env_str("DUTDIEM_SIGNING_TRUST_ROOTS")
SIGNING_TSA_URL = env_str("DUTDIEM_SIGNING_TSA_URL")
SIGNING_DEMO = env_bool("DUTDIEM_SIGNING_DEMO", not PRODUCTION)
if PRODUCTION and SIGNING_DEMO:
    raise RuntimeError("DUTDIEM_SIGNING_DEMO makes a demo certificate authority: not in production")
if PRODUCTION:
    # Probes and the metrics scraper talk to gunicorn directly over plain HTTP on loopback.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    if not env_str("DJANGO_EMAIL_BACKEND"):
        MAILERS["default"] = {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("DJANGO_EMAIL_HOST", "localhost"),
                "port": env_int("DJANGO_EMAIL_PORT", 25),
                "username": env_str("DJANGO_EMAIL_USER"),
                "password": env_str("DJANGO_EMAIL_PASSWORD"),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
            },
        }
