from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sinmun.newsroom import services

from ..forms import CorrectionForm
from ..permissions import desk_required
from .articles import _article

PUBLISHED = "{kind}를 게재했습니다. 기사 제목 위에 안내가 붙습니다."


@require_http_methods(["GET", "POST"])
@desk_required
def correction(request, pk: int):
    article = _article(request, pk)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.correction_publish(
                article=article, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, PUBLISHED.format(kind=done.get_kind_display()))
            return redirect("desk:edit", pk=article.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "desk/correction.html",
        {"article": article, "form": form, "corrections": article.corrections.all()},
        status=status,
    )
