import sys

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token

from .forms import SearchForm
from .search import search_sections
from .selectors import search_pages
from .services import search_hit_record
from .shared import serve_shared

RESULTS_PER_PAGE = 10


def search(request):
    form = SearchForm(request.GET or None)
    query_text = form.cleaned_data["query"] if form.is_valid() else ""
    if query_text:
        # Every search counts, also one answered from a page shared among signed-in people.
        search_hit_record(text=query_text)
    return serve_shared(request, lambda _personal: _search_results(request, form, query_text))


def _search_results(request, form, query_text):
    results = None
    sections = []
    total = 0
    if query_text:
        found = search_pages(text=query_text)
        paginator = Paginator(found, RESULTS_PER_PAGE)
        try:
            results = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            results = paginator.page(1)
        except EmptyPage:
            results = paginator.page(paginator.num_pages)
        sections = search_sections(query_text, request=request)
        total = paginator.count + sum(section.total for section in sections)
    return TemplateResponse(
        request,
        "pages/search.html",
        {
            "form": form,
            "results": results,
            "sections": sections,
            "total": total,
            "query": query_text,
        },
    )


def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (JSON, PDFs, feeds)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    # Views raise PermissionDenied with a sentence for the reader, or nothing.
    reason = str(exception or "")
    return render(request, "403.html", {"reason": reason}, status=403)


# When the database cannot be reached (or SQLite stays locked), the failure
# is temporary: 503 with Retry-After tells browsers, proxies and monitors so.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    # Rendered without the request's context processors: the database may be
    # what failed, and the site settings live there.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
