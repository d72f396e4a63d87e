"""The public search page."""

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404

from peninsula.core.http import read_only
from peninsula.core.jinja2 import render_page

from .forms import SearchForm
from .services import articles_search


@read_only
def search_results(request):
    """Parse the form, search, render; bad input becomes a message on the page.

    Matches are counted up to RESULT_CAP, so the paginator offers the pages up to the cap and
    a page past it is a 404 like any other missing page.
    """
    form = SearchForm(request.GET)
    search, page, capped = None, None, False
    if form.is_valid():
        search, results = articles_search(request=form.to_request())
        paginator = Paginator(results, settings.PENINSULA_PAGE_SIZE)
        try:
            page = paginator.page(paginator.validate_number(request.GET.get("page") or 1))
        except InvalidPage:
            raise Http404("No such page of results.") from None
        capped = results.capped
    # `query` is the text as typed: the site header's search box shows it.
    context = {
        "form": form,
        "query": request.GET.get("q", ""),
        "search": search,
        "page_obj": page,
        "capped": capped,
    }
    return render_page(request, "search/search_results.html", context)
