from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .models import LegalPage


@require_safe
def legal(request, slug):
    try:
        page = selectors.legal_page(slug=slug)
    except LegalPage.DoesNotExist:
        raise Http404 from None
    return render(request, "pages/legal_page.html", {"page": page})
