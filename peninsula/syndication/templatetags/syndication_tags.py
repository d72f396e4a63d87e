"""`w3c_datetime`, for the sitemaps (Django templates: they are XML, not reader pages)."""

from django import template

from peninsula.syndication import metadata

register = template.Library()

register.filter("w3c_datetime", metadata.w3c_datetime)
