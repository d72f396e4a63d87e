"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def _local_secret_key():
    """A key made once for this checkout, so that one machine needs no configuration."""
    path = BASE_DIR / "var" / "secret_key"
    if not path.exists():
        from django.utils.crypto import get_random_string

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_string(64))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default="") or _local_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "peninsula.core",
    "peninsula.content",
    "peninsula.engagement",
    "peninsula.search",
    "peninsula.syndication",
    "peninsula.ingestion",
    "peninsula.collection",
    "peninsula.pagecache",
    "peninsula.api",
    "peninsula.newsroom",  # preview links, views charts, word count; before wagtail.admin
    "peninsula.sharing",  # the article page's share block (copy link, WeChat QR code)
    "peninsula.embeds",  # video embeds from the providers the site allows (docs/security.md)
    "peninsula.comments",  # reader comments and their moderation queue
    "peninsula.curation",  # 推荐位 slots and 专题 topics (docs/curation.md)
    "peninsula.furniture",  # static pages, 友情链接 and 广告位 (docs/curation.md)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from static files instead of a CDN
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "peninsula.accounts",
    "peninsula.screening",  # sensitive words, honeypot, rate limits, captcha (docs/screening.md)
    "captcha",  # django-simple-captcha, drawn on the server; switched on in 设置
    "peninsula.submissions",  # reader submissions (投稿), reviewed as draft articles
    "peninsula.readers",  # reader accounts for comments, when 设置 → 评论设置 takes them
]

MIDDLEWARE = [
    "peninsula.pagecache.middleware.PageCacheMiddleware",
    "peninsula.core.guards.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "peninsula.core.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "peninsula.accounts.middleware.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "peninsula.embeds.middleware.EmbedFramesMiddleware",  # frame-src: the allowed providers
    "axes.middleware.AxesMiddleware",
    "peninsula.ingestion.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The reader's pages are Jinja2 (`jinja2/` folders; docs/decisions.md, "Jinja2 for the reader
# pages"); the admin, form widgets and sitemaps are Django templates (`templates/` folders).
# Django's engine is asked first: it remembers the names it lacks, Jinja2's loader would look for
# a Django template's name in every folder on each request.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "peninsula.content.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "peninsula.core.jinja2.environment",
            "extensions": [
                "wagtail.jinja2tags.core",
                "wagtail.images.jinja2tags.images",
                "peninsula.content.jinja2tags.ContentExtension",
                "peninsula.syndication.jinja2tags.SyndicationExtension",
                "peninsula.engagement.jinja2tags.EngagementExtension",
                "peninsula.curation.jinja2tags.CurationExtension",
                "peninsula.furniture.jinja2tags.FurnitureExtension",
                "peninsula.sharing.jinja2tags.SharingExtension",
                "peninsula.comments.jinja2tags.CommentsExtension",
                "peninsula.search.jinja2tags.SearchExtension",
            ],
            # No `i18n`: the pages ask `get_current_language()` where they need the language.
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peninsula.content.context_processors.site",
                "peninsula.core.jinja2.translations",
            ],
        },
    },
]

# The default database is a file inside the project folder, so that `peninsula` commands and
# `make run` see the same data.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Django's SQLite backend with a cheaper placeholder rewrite (peninsula/core/sqlite).
SQLITE_ENGINE = "peninsula.core.sqlite"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
    # WAL lets readers and one writer work at once; IMMEDIATE transactions take the write lock up
    # front so that concurrent writers wait (busy timeout) instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA mmap_size=134217728;"
            "PRAGMA cache_size=-65536;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's JIT compiles statements whose estimated cost is high; at a million articles
    # it spent about a second compiling statements that run in 20 ms (docs/search.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
SILENCED_SYSTEM_CHECKS = ["models.W047"]  # SQLite skips a nulls-distinct constraint; PG keeps it.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # The default cache reads as empty while Redis is down, so pages still render; sessions
    # fail loudly (503) instead (docs/operations.md). Same server and keys for both.
    _redis_cache = {
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="peninsula"),
    }
    CACHES = {
        "default": {"BACKEND": "peninsula.core.faults.ResilientRedisCache", **_redis_cache},
        "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", **_redis_cache},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "peninsula",
        }
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login brute-force protection: lock a username + address pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the like rate limit: X-Forwarded-For only from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "peninsula.core.net.client_ip"
# A page in the admin's look (status 429) that says how long the pause lasts.
AXES_LOCKOUT_CALLABLE = "peninsula.accounts.views.lockout"

# Public pages allow no inline script; JSON-LD data blocks are not executed and so not affected.
# The admin sets its own rules (Wagtail's editor needs inline styles and scripts).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("CSP_IMG_SRC", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Embeds come only from the providers allowed in the settings, built offline (peninsula/embeds).
WAGTAILEMBEDS_FINDERS = [{"class": "peninsula.embeds.finders.AllowlistFinder"}]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Wagtail's preview views lift this for the admin's own preview frame.
X_FRAME_OPTIONS = "DENY"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The languages an article may be written in (BCP 47 tags, the editor's 语言 list, each named in
# itself); an imported article keeps a tag that is not listed.
ARTICLE_LANGUAGES = [
    ("zh", "中文"),
    ("zh-Hant", "繁體中文"),
    ("en", "English"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("ru", "Русский"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the root of the site (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Media in an S3-compatible bucket, so that app servers keep no state of their own.
if env("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env("S3_CUSTOM_DOMAIN", default=None),
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    SERVE_MEDIA = False

WAGTAIL_SITE_NAME = env("SITE_NAME", default="半岛新闻网")
# The name authenticator apps show beside the account (docs/security.md).
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Avatars would be fetched from gravatar.com, which many readers in China cannot reach.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILIMAGES_IMAGE_FORM_BASE = "peninsula.content.forms.ImageForm"  # alt text required
TAGGIT_TAGS_FROM_STRING = "peninsula.content.forms.split_tags"  # 港口，航运、东南亚

# Review notifications go by mail only when a mail server is set; without one they show on the
# admin dashboard alone, instead of a "Connection refused" traceback per submission.
if env("EMAIL_HOST", default=""):
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Peninsula's own settings; the site name, navigation and the like are editable in the admin.
PENINSULA_EXCERPT_LENGTH = env.int("EXCERPT_LENGTH", default=100)
PENINSULA_PAGE_SIZE = env.int("PAGE_SIZE", default=20)

# Full-page cache for anonymous readers (docs/caching.md).
PAGECACHE_ENABLED = env.bool("PAGECACHE", default=True)
PAGECACHE_TIMEOUT = env.int("PAGECACHE_TIMEOUT", default=600)
PAGECACHE_MAX_BYTES = env.int("PAGECACHE_MAX_MB", default=32) * 1024 * 1024
PAGECACHE_S_MAXAGE = env.int("PAGECACHE_S_MAXAGE", default=600)
PAGECACHE_DIR = env.path("PAGECACHE_DIR", default=BASE_DIR / "var" / "pagecache")
PAGECACHE_KEY_PREFIX = f"{env('CACHE_KEY_PREFIX', default='peninsula')}:pagecache"
PAGECACHE_MAX_AGE = 60
PAGECACHE_STALE_WHILE_REVALIDATE = 60
# Query parameters a shared page may vary on; any other one sends the request to Django.
PAGECACHE_QUERY_PARAMS = ("page", "cursor", "before", "after")
# Cookies that make a request private (the session and messages cookies always do).
PAGECACHE_BYPASS_COOKIES = ()
# A CDN or caching proxy that accepts HTTP PURGE requests (Varnish, nginx cache_purge, …), and
# the site addresses whose pages it caches (default: WAGTAILADMIN_BASE_URL).
WAGTAILFRONTENDCACHE = {}
PAGECACHE_FRONTEND_BASE_URLS = env.list("PAGECACHE_FRONTEND_BASE_URLS", default=[])
if env("FRONTEND_CACHE_URL", default=""):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_URL"),
        }
    }
# Limits on counting (docs/counters.md), shared by the workers of a machine through this file,
# and by every machine through Redis when REDIS_URL is set. 0 turns a limit off.
PENINSULA_LIKE_RATE = env("LIKE_RATE", default="30/m")  # likes per client address: N/s|m|h|d
PENINSULA_LIKE_LIMIT_PER_ADDRESS = env.int(
    "LIKE_LIMIT_PER_ADDRESS", default=10
)  # per article, hour
PENINSULA_VIEW_LIMIT_PER_ADDRESS = env.int("VIEW_LIMIT_PER_ADDRESS", default=60)  # per article, min
PENINSULA_VIEW_RELOAD_SECONDS = env.int("VIEW_RELOAD_SECONDS", default=30)  # reloads count once
PENINSULA_COUNTER_LIMITS_FILE = env.path(
    "COUNTER_LIMITS_FILE", default=BASE_DIR / "var" / "counter-limits.sqlite3"
)
# Views held in each web process: written every FLUSH seconds, sooner past BUFFER_MAX pending
# article-days; a cached total is read again after TOTALS seconds (docs/counters.md).
PENINSULA_VIEW_FLUSH_SECONDS = 1.0
PENINSULA_VIEW_BUFFER_MAX = 1000
PENINSULA_VIEW_TOTALS_SECONDS = 2.0
PENINSULA_VIEW_TOTALS_MAX = 10_000
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the real client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Feeds carry the excerpt unless this is on; then they carry the whole article too.
PENINSULA_FEED_FULL_CONTENT = env.bool("FEED_FULL_CONTENT", default=False)
# The largest article an import reads (one line of JSON Lines); see docs/import-format.md.
PENINSULA_IMPORT_MAX_ITEM_BYTES = env.int("IMPORT_MAX_ITEM_MB", default=5) * 1024 * 1024
# Worker processes that check and segment imported articles while the importer writes; 0: none.
PENINSULA_IMPORT_WORKERS = env.int("IMPORT_WORKERS", default=1)

# Sources collected on a schedule (docs/collection.md): limits of one fetch, the seconds one
# scheduler run may spend polling, article pages followed per list page and poll, the days
# near-duplicates are looked for, the days the poll log is kept, and the private "address:port"
# pairs that sources added in the admin may reach all the same (an intranet CMS, a test server).
COLLECTION_TIMEOUT = env.int("COLLECTION_TIMEOUT", default=15)
COLLECTION_MAX_BYTES = env.int("COLLECTION_MAX_MB", default=5) * 1024 * 1024
COLLECTION_BUDGET = env.int("COLLECTION_BUDGET", default=50)
COLLECTION_PAGES_PER_POLL = env.int("COLLECTION_PAGES_PER_POLL", default=20)
COLLECTION_DUPLICATE_DAYS = env.int("COLLECTION_DUPLICATE_DAYS", default=3)
COLLECTION_LOG_DAYS = env.int("COLLECTION_LOG_DAYS", default=30)
COLLECTION_PRIVATE_ALLOWED = env.list("COLLECTION_PRIVATE_ALLOWED", default=[])

# Posts readers make, per client address and per visitor cookie: lists of N/s|m|h|d, each a
# limit (docs/screening.md); 0/m turns one off.
PENINSULA_ABUSE_RATES = {
    "comment": {
        "address": env.list("COMMENT_RATE_PER_ADDRESS", default=["10/m", "300/d"]),
        "visitor": env.list("COMMENT_RATE_PER_VISITOR", default=["5/m", "100/d"]),
    },
    "submission": {
        "address": env.list("SUBMISSION_RATE_PER_ADDRESS", default=["5/h", "20/d"]),
        "visitor": env.list("SUBMISSION_RATE_PER_VISITOR", default=["3/h", "10/d"]),
    },
    "signup": {
        "address": env.list("SIGNUP_RATE_PER_ADDRESS", default=["5/h", "20/d"]),
        "visitor": env.list("SIGNUP_RATE_PER_VISITOR", default=["3/h", "10/d"]),
    },
}
# The largest picture a reader may send with a story (投稿).
SUBMISSION_IMAGE_MAX_BYTES = env.int("SUBMISSION_IMAGE_MAX_MB", default=5) * 1024 * 1024
# 顶 of comments per client address (peninsula.comments).
PENINSULA_COMMENT_UPVOTE_RATE = env("COMMENT_UPVOTE_RATE", default="60/m")
# The captcha (django-simple-captcha), asked only when switched on in 设置.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 28

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
