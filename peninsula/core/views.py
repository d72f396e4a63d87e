"""Error pages in the site's design."""

from django.http import HttpResponseServerError
from django.template import loader

from peninsula.core.jinja2 import render_page


def page_not_found(request, exception):
    return render_page(request, "404.html", status=404)


def server_error(request):
    """Rendered without the request's context: the database may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
