"""Admin registration of the 采集 menu (sources, poll log, possible duplicates)."""

from wagtail.snippets.models import register_snippet

from .viewsets import CollectionViewSetGroup

register_snippet(CollectionViewSetGroup)
