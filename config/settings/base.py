"""Settings shared by every environment; everything deployment-specific comes from
the environment (django-environ). See ``.env.example`` for the variables."""

from pathlib import Path

import environ
from celery.schedules import crontab

from core.history import default_trackers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

# --- core -----------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # transactions are explicit in services
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "core.admin_site.CourtAdminConfig",  # django.contrib.admin, its index in Chinese
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "rules",
    "axes",
    # ours (layers: core <- enforcement, custody_funds, dualcheck <- documents, supervision)
    "core",
    "enforcement",
    "custody_funds",
    "dualcheck",
    "supervision",
    "audit",
    "documents",  # 文书自动生成 (322号 §12): reads enforcement and custody_funds
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.HistoryContextMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: sees every write's final answer, also when a view raised.
    "audit.middleware.AuditMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "core.web.notifications.unread_notifications",
                "supervision.context_processors.calendar_banner",
            ],
        },
    },
]

# --- people ---------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:todo"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account+IP after repeated failures (ASVS 2.2.1)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind the reverse proxy (core.net): X-Forwarded-For is read
# only from these peers (addresses or networks; the documented nginx in front of
# gunicorn). Lockout, audit, the spraying guard and the API throttles all use it.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "core.net.axes_client_ip"

# History: inserts recorded once per statement, updates row by row (core/history.py).
PGHISTORY_DEFAULT_TRACKERS = default_trackers()
# Password spraying: this many distinct accounts failing from one address within
# the window block the address for AXES_COOLOFF_HOURS (core.services.login_guard).
LOGIN_SPRAY_ACCOUNTS = env.int("LOGIN_SPRAY_ACCOUNTS", default=10)
LOGIN_SPRAY_WINDOW_MINUTES = env.int("LOGIN_SPRAY_WINDOW_MINUTES", default=15)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- i18n -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end libraries come from the npm registry (package.json); only their built
# files are exposed, under vendor/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- cache & redis --------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- REST -----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ApiTokenAuthentication",
        "core.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="6000/min"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "执行监督平台 API",
    "DESCRIPTION": "REST contract (v1) for court systems integrating with 执行监督平台.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "AUTHENTICATION_WHITELIST": [
        "core.api.authentication.ApiTokenAuthentication",
        "core.api.authentication.SessionAuthentication",
    ],
}
# Largest request body accepted (413 above it).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
IDEMPOTENCY_KEY_TTL_HOURS = env.int("IDEMPOTENCY_KEY_TTL_HOURS", default=24)

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Every task is idempotent (STYLE §11), so each is acknowledged only once it has run
# and goes back to the queue if its worker process dies mid-task (a killed prefork
# child, an OOM): a scan or a digest cut short is run again, not dropped.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis: a message delivered but not acknowledged (its worker was killed outright)
    # goes back to the queue after this many seconds. It must exceed the longest a
    # task may run (CELERY_TASK_TIME_LIMIT, 10 min) — else a slow task is handed to a
    # second worker while the first still runs it — and any countdown/ETA (none is
    # used). One hour in production; the fault tests set a second or two.
    "visibility_timeout": env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=3600),
    # Redis unreachable: fail the publish in seconds (the outbox keeps the task),
    # never hang a request on a TCP timeout.
    "socket_connect_timeout": env.int("CELERY_BROKER_CONNECT_TIMEOUT", default=5),
}
# Publishing retries briefly; past that the outbox row waits for the relay.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# One queue unless told otherwise (the integration tests give worker and beat a
# queue of their own so parallel test runs never take each other's tasks).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
EMBEDDED_SCHEDULER = False  # production and tests: Celery beat (see local.py)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The transactional outbox (core.outbox): a task row not sent this
# long after it was written is published by the relay; one sent but not done after
# OUTBOX_REDELIVER_AFTER_SECONDS (longer than a task may wait in the queue and run)
# is taken as lost by the broker and published again; finished rows, sent e-mails
# and periodic-run claims are deleted after OUTBOX_RETENTION_DAYS.
OUTBOX_RELAY_AFTER_SECONDS = env.int("OUTBOX_RELAY_AFTER_SECONDS", default=30)
OUTBOX_REDELIVER_AFTER_SECONDS = env.int("OUTBOX_REDELIVER_AFTER_SECONDS", default=30 * 60)
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=7)
# Beat sends each entry with its scheduled slot, and a slot runs once however many
# beat processes send it (core.outbox.task.OutboxTask, core.models.PeriodicRun); still,
# one beat per deployment owns this schedule (STYLE §11).
_DIGEST_EVERY = env.int("ALERT_DIGEST_INTERVAL_SECONDS", default=0)  # tests only; 0: daily 08:30
CELERY_BEAT_SCHEDULE = {
    "core-purge-idempotency-keys": {
        "task": "core.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=17),
    },
    "core-relay-outbox": {
        "task": "core.tasks.relay_outbox",
        "schedule": env.int("OUTBOX_RELAY_INTERVAL_SECONDS", default=60),
    },
    "core-purge-outbox": {
        "task": "core.tasks.purge_outbox",
        "schedule": crontab(minute=40, hour=3),
    },
    # The node-event hash chain (audit): sealed every few minutes, verified nightly.
    "audit-seal-node-events": {
        "task": "audit.tasks.seal_node_events",
        "schedule": env.int("AUDIT_SEAL_INTERVAL_SECONDS", default=300),
    },
    "audit-verify-node-event-chain": {
        "task": "audit.tasks.verify_node_event_chain",
        "schedule": crontab(minute=10, hour=3),
    },
    "enforcement-move-overdue-simple-cases": {
        "task": "enforcement.tasks.move_overdue_simple_cases",
        "schedule": crontab(minute=30, hour=2),
    },
    # The deadline scan (DESIGN "Escalation ladder"): fans out one task per court.
    "supervision-scan-deadlines": {
        "task": "supervision.tasks.scan_deadlines",
        "schedule": env.int("SCAN_INTERVAL_SECONDS", default=300),
    },
    "supervision-resolve-stale-alerts": {
        "task": "supervision.tasks.resolve_stale_alerts",
        "schedule": crontab(minute=45, hour=1),
    },
    "supervision-alert-digest": {
        "task": "supervision.tasks.send_alert_digest",
        "schedule": _DIGEST_EVERY or crontab(minute=30, hour=8),
    },
    "supervision-check-calendar-loaded": {
        "task": "supervision.tasks.check_calendar_loaded",
        "schedule": crontab(minute=0, hour=9),
    },
    "core-recompute-pending-thresholds": {
        "task": "core.tasks.recompute_unknown_thresholds",
        "schedule": crontab(minute=5, hour=1),
    },
}

# --- domain configuration -------------------------------------------------------
# How late a person may enter a node and have it take effect at its declared time
# (322号 §12); a node entered later is flagged for data-fraud screening (双查规定 §6:
# 节点超期、数据造假) and, if it stops a clock after its due moment, goes to 待核实
# for a bureau head. Hours; must stay below the shortest hour-unit rule (CLUE_VERIFY urgent, 24 h): a system check refuses more.
# An API client's window is on its token (``ApiToken.backdate_window_hours``).
NODE_BACKDATE_TOLERANCE_HOURS_PERSON = env.int("NODE_BACKDATE_TOLERANCE_HOURS_PERSON", default=2)

# 消极执行 screening (山东 rules §26): a case with no node for this many days.
SUPERVISION_IDLE_DAYS = env.int("SUPERVISION_IDLE_DAYS", default=30)
# 终本 ruling not served on every party this many working days after it was made: listed in
# screening (h/gateproc). The court's setting, not the law's (322号 §24 says only "送达当事人").
ENFORCEMENT_RULING_SERVICE_WORKING_DAYS = env.int("ENFORCEMENT_RULING_SERVICE_WORKING_DAYS", default=10)

# --- email ----------------------------------------------------------------------
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# Who gets the system's own alarms (a broken node-event chain): "名字 <a@b>,…".
ADMINS = [
    (address.split("<")[0].strip() or address, address.split("<")[-1].rstrip(">").strip())
    for address in env.list("DJANGO_ADMINS", default=[])
]
# Absolute address of the site, for links in e-mails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="执行监督平台 <noreply@localhost>")

# --- logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "core.logging.RedactFilter"},
        "client_error": {"()": "core.logging.ClientErrorWithoutTraceback"},
    },
    "formatters": {
        "plain": {"()": "core.logging.PlainFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A 4xx is one line; a 500 keeps its traceback (issue 17).
        "django.request": {"filters": ["client_error"]},
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from a meta tag, not the cookie
CSRF_FAILURE_VIEW = "core.views.errors.csrf_failure"  # the house page, in Chinese (templates/403_csrf.html)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- enforcement ------------------------------------------------------------------
# Over-seizure (322号 §15): value under control may exceed claim + costs by at most
# this fraction before the bureau head must approve.
ENFORCEMENT_OVERSEIZURE_MARGIN = env.float("ENFORCEMENT_OVERSEIZURE_MARGIN", default=0.2)
# 322号 §7: a simple-track case not finished within this many days moves to ordinary.
ENFORCEMENT_SIMPLE_TRACK_DAYS = env.int("ENFORCEMENT_SIMPLE_TRACK_DAYS", default=90)
# Bulk ingest limit (API)
ENFORCEMENT_BULK_MAX = 1000
