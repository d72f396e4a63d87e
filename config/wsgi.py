"""WSGI entry point for the production server.

Cached public pages are answered by the page cache wrapper before Django runs
(docs/caching.md); PAGECACHE=0 in the environment serves every request through Django.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

application = get_wsgi_application()

# View posts are counted before Django's request handling too (peninsula/engagement/wsgi.py).
from peninsula.engagement.wsgi import ViewCounterApp  # noqa: E402

application = ViewCounterApp(application)

if settings.PAGECACHE_ENABLED:
    from peninsula.pagecache.wsgi import PageCacheApp

    application = PageCacheApp(application)

# A database or Redis outage in the layers above answers 503 instead of a bare 500.
from peninsula.core.faults import OutageApp  # noqa: E402

application = OutageApp(application)
