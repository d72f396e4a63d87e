"""WSGI entry point for the production server."""

import os

from django.core.wsgi import get_wsgi_application

from peninsula.engagement.wsgi import ViewCounterApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

# View posts are answered before Django's request handling (see peninsula/engagement/wsgi.py).
application = ViewCounterApp(get_wsgi_application())
