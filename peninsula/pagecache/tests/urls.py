"""Stand-in reader pages with the content app's URL names, so the tests own what pages show."""

from django.http import HttpResponse
from django.urls import include, path, re_path
from django.utils import translation
from wagtail.admin import urls as wagtailadmin_urls

from peninsula.content.models import Article
from peninsula.core.http import public_page


def search(request):
    """Not a public page: never cached."""
    return listing(request)


@public_page
def listing(request, **kwargs):
    titles = " | ".join(Article.objects.published().latest().values_list("title", flat=True))
    return HttpResponse(
        f"lang={translation.get_language()} page={request.GET.get('page')} {titles}"
    )


@public_page
def article(request, category_slug, pk):
    found = Article.objects.published().filter(pk=pk).first()
    if found is None:
        return HttpResponse("gone", status=404)
    # As long as a page is: worth compressing.
    return HttpResponse(f"<h1>{found.title}</h1> views={found.views}" + "<p>text</p>" * 100)


@public_page
def feed(request, name):
    response = listing(request)
    if name == "cookie":
        response.set_cookie("visitor", "1")
    elif name == "vary":
        response["Vary"] = "User-Agent"
    elif name == "private":
        response["Cache-Control"] = "private"
    return response


content_patterns = (
    [
        path("", listing, name="home"),
        path("tag/<str:slug>/", listing, name="tag"),
        path("author/<slug:slug>/", listing, name="author"),
        re_path(r"^archive/(?P<year>[0-9]{4})/$", listing, name="archive-year"),
        re_path(
            r"^archive/(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/$", listing, name="archive-month"
        ),
        path("<slug:category_slug>/<int:pk>.html", article, name="article"),
        path("<slug:slug>/", listing, name="category"),
    ],
    "content",
)

urlpatterns = [
    path("feeds/<str:name>/", feed, name="feed"),
    path("admin/", include(wagtailadmin_urls)),
    path("search/", search),
    path("", include(content_patterns)),
]
