"""Admin registration of the static pages, friend links and ads menu."""

from wagtail.snippets.models import register_snippet

from .viewsets import FurnitureViewSetGroup

register_snippet(FurnitureViewSetGroup)
