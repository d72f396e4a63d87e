"""Admin registration of the 版面 menu (slots and topics)."""

from wagtail.snippets.models import register_snippet

from .viewsets import CurationViewSetGroup

register_snippet(CurationViewSetGroup)
