"""Offer the search index to the admin's article listing without `content` importing `search`.

The article viewset's index view calls every function registered under this hook name with the
editor's query and gets the matching article ids, best first, drafts included.
"""

from wagtail import hooks

from .services import search_article_ids

hooks.register("peninsula_article_search", search_article_ids)
