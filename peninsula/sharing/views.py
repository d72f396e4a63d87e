"""The QR code of an article's address, an image of its own.

Drawing a code costs about 3 ms, as much as the rest of an uncached article page: inline, every
article a crawler walks would pay it for a code no crawler scans. As an image it is drawn when a
reader's browser shows the share block, once per address and worker (qr.CACHED_CODES), and kept
by browsers and CDNs (docs/decisions.md, "The share block's QR code is an image")."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

from peninsula.content import queries
from peninsula.core.http import read_only
from peninsula.core.reversing import reverse

from .qr import qr_svg

# A code never changes for its address; a day bounds how long a cache keeps one of an article
# that is gone.
MAX_AGE = 24 * 60 * 60


def qr_path(article):
    """The address of the article's QR code image."""
    return reverse("sharing:qr", kwargs={"category_slug": article.category.slug, "pk": article.pk})


@read_only
def article_qr(request, category_slug, pk):
    """The code of the article's address on this host, for an article readers may see."""
    article = queries.published_article(pk)
    if article is None:
        raise Http404("No such article")
    if article.category.slug != category_slug:
        return redirect(qr_path(article), permanent=True)
    response = HttpResponse(
        qr_svg(request.build_absolute_uri(article.get_absolute_url())),
        content_type="image/svg+xml",
    )
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
