"""The ads pages of the desk (관리 › 광고), for 관리자 only: advertisers, campaigns, creatives,
the report per campaign and day (CSV too), and a preview of every slot at phone and desktop
widths.

As the other 관리 pages (``desk/views/manage.py``): each view parses a form, calls one service
of ``ads.services`` and shows the outcome; a refusal comes back on the form with status 400.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from sinmun.desk.permissions import admin_required

from .. import inventory, reports, services, tokens
from ..models import Advertiser, Campaign, Creative
from ..slots import BREAKPOINT_LABELS, FORMATS, SLOTS
from . import forms

SAVED = "저장했습니다."
CREATED = "{name}을(를) 만들었습니다."


def _page(request, template: str, context: dict, *, failed: bool = False):
    return render(request, f"ads/desk/{template}", context, status=400 if failed else 200)


def _attempt(form, action) -> bool:
    if not form.is_valid():
        return False
    try:
        action(form)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            field = getattr(error, "code", None)
            for message in error.messages:
                form.add_error(field if field in form.fields else None, message)
        return False
    return True


@require_safe
@admin_required
def index(request):
    campaigns = list(
        Campaign.objects.select_related("advertiser").prefetch_related("creatives", "sections")
    )
    counts = reports.totals(campaign_ids=[c.pk for c in campaigns])
    now = timezone.now()
    rows = []
    for campaign in campaigns:
        c = counts[campaign.pk]
        live = (
            campaign.status == Campaign.Status.ACTIVE
            and campaign.starts_at <= now
            and (campaign.ends_at is None or now < campaign.ends_at)
        )
        rows.append(
            {
                "campaign": campaign,
                "live": live,
                "ended": campaign.ends_at is not None and campaign.ends_at <= now,
                "today": reports.Row(now.date(), "", "", c["today_v"], c["today_c"]),
                "all": reports.Row(now.date(), "", "", c["all_v"], c["all_c"]),
            }
        )
    return _page(request, "index.html", {"rows": rows})


# 광고주 ----------------------------------------------------------------------------------------


@require_safe
@admin_required
def advertisers(request):
    return _page(
        request, "advertisers.html", {"rows": Advertiser.objects.prefetch_related("campaigns")}
    )


@require_http_methods(["GET", "POST"])
@admin_required
def advertiser_edit(request, pk: int | None = None):
    advertiser = get_object_or_404(Advertiser, pk=pk) if pk is not None else None
    initial = {}
    if advertiser is not None:
        initial = {f: getattr(advertiser, f) for f in forms.AdvertiserForm.base_fields}
    form = forms.AdvertiserForm(request.POST or None, initial=initial)

    def save(form):
        if advertiser is None:
            services.advertiser_create(by=request.user, **form.cleaned_data)
        else:
            services.advertiser_update(by=request.user, advertiser=advertiser, **form.cleaned_data)

    if request.method == "POST" and _attempt(form, save):
        messages.success(request, SAVED if advertiser else CREATED.format(name="광고주"))
        return redirect("desk:ads:advertisers")
    return _page(
        request,
        "advertiser_form.html",
        {"form": form, "advertiser": advertiser},
        failed=request.method == "POST",
    )


# 캠페인 ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def campaign_edit(request, pk: int | None = None):
    campaign = get_object_or_404(Campaign, pk=pk) if pk is not None else None
    if campaign is not None:
        initial = {
            f: getattr(campaign, f)
            for f in forms.CampaignForm.base_fields
            if f not in ("sections", "advertiser")
        }
        initial["advertiser"] = campaign.advertiser_id
        initial["sections"] = list(campaign.sections.values_list("pk", flat=True))
        initial["starts_at"] = timezone.localtime(campaign.starts_at)
        if campaign.ends_at:
            initial["ends_at"] = timezone.localtime(campaign.ends_at)
    else:
        initial = {"starts_at": timezone.localtime().replace(second=0, microsecond=0)}
        if "house" in request.GET:
            initial["is_house"] = True
    form = forms.CampaignForm(request.POST or None, initial=initial)
    saved = {}

    def save(form):
        data = dict(form.cleaned_data)
        sections = list(data.pop("sections"))
        if campaign is None:
            saved["campaign"] = services.campaign_create(by=request.user, sections=sections, **data)
        else:
            saved["campaign"] = services.campaign_update(
                by=request.user, campaign=campaign, sections=sections, **data
            )

    if request.method == "POST" and _attempt(form, save):
        messages.success(request, SAVED if campaign else CREATED.format(name="캠페인"))
        return redirect("desk:ads:campaign", pk=saved["campaign"].pk)
    creatives = list(campaign.creatives.all()) if campaign else []
    return _page(
        request,
        "campaign_form.html",
        {"form": form, "campaign": campaign, "creatives": creatives},
        failed=request.method == "POST",
    )


# 소재 ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def creative_edit(request, pk: int | None = None, campaign_pk: int | None = None):
    creative = get_object_or_404(Creative, pk=pk) if pk is not None else None
    campaign = creative.campaign if creative else get_object_or_404(Campaign, pk=campaign_pk)
    initial = {"active": True}
    if creative is not None:
        initial = {
            f: getattr(creative, f)
            for f in forms.CreativeForm.base_fields
            if not f.startswith("image")
        }
    form = forms.CreativeForm(request.POST or None, request.FILES or None, initial=initial)

    def save(form):
        data = dict(form.cleaned_data)
        images = {k: data.pop(k) for k in ("image_mobile", "image_desktop")}
        if creative is None:
            services.creative_create(by=request.user, campaign=campaign, **images, **data)
        else:
            services.creative_update(by=request.user, creative=creative, **images, **data)

    if request.method == "POST" and _attempt(form, save):
        messages.success(request, SAVED if creative else CREATED.format(name="소재"))
        return redirect("desk:ads:campaign", pk=campaign.pk)
    context = {
        "form": form,
        "creative": creative,
        "campaign": campaign,
        "previews": _previews(creative) if creative else [],
    }
    return _page(request, "creative_form.html", context, failed=request.method == "POST")


# 미리보기 --------------------------------------------------------------------------------------


def _shown(creative: Creative, slot_name: str) -> dict | None:
    """Return what the public page would put in the slot's box for ``creative``."""
    if creative.kind == Creative.Kind.HTML:
        token = tokens.issue(
            salt=tokens.FRAME,
            creative_id=creative.pk,
            campaign_id=creative.campaign_id,
            slot=slot_name,
        )
        return {"kind": "html", "frame": reverse("ads:frame", args=[token])}
    shape = FORMATS[creative.format]
    images = {}
    for b, file in (
        ("m", creative.image_mobile),
        ("d", creative.image_desktop or creative.image_mobile),
    ):
        size = shape.size(b)
        if file and size:
            images[b] = {"src": file.url, "w": size[0], "h": size[1]}
    return {"kind": "image", "img": images, "alt": creative.alt_text}


def _previews(creative: Creative) -> list[dict]:
    campaign_slots = creative.campaign.slots
    out = []
    for slot in SLOTS.values():
        if slot.format.name != creative.format:
            continue
        if campaign_slots and slot.name not in campaign_slots:
            continue
        out.append(_slot_preview(slot, _shown(creative, slot.name)))
    return out


def _slot_preview(slot, shown: dict | None) -> dict:
    views = []
    for b, label in BREAKPOINT_LABELS.items():
        size = slot.format.size(b)
        width = 375 if b == "m" else 1280
        image = shown["img"].get(b) if shown and shown["kind"] == "image" else None
        views.append(
            {"breakpoint": b, "label": f"{label} ({width}px)", "size": size, "image": image}
        )
    return {"slot": slot, "shown": shown, "views": views}


@require_safe
@admin_required
def preview(request):
    """Every slot at phone and desktop widths, with what would fill it on a page now."""
    stock = inventory.build()
    now = timezone.now()
    by_id = {c.pk: c for c in Creative.objects.select_related("campaign")}
    rows = []
    for slot in SLOTS.values():
        offer = None
        for b in ("d", "m"):
            offer = inventory.choose(stock, slot=slot, section_id=None, device=b, now=now)
            if offer:
                break
        creative = by_id.get(offer.creative_id) if offer else None
        row = _slot_preview(slot, _shown(creative, slot.name) if creative else None)
        row["creative"] = creative
        rows.append(row)
    return _page(request, "preview.html", {"rows": rows})


# 보고서 ----------------------------------------------------------------------------------------


@require_safe
@admin_required
def report(request):
    initial = forms.ReportForm.default_range()
    if "campaign" in request.GET and "start" not in request.GET:
        data = {
            **{k: v.isoformat() for k, v in initial.items()},
            "campaign": request.GET["campaign"],
        }
    else:
        data = request.GET or None
    form = forms.ReportForm(data, initial=initial)
    if data is None:
        form = forms.ReportForm({k: v.isoformat() for k, v in initial.items()})
    if not form.is_valid():
        return _page(request, "report.html", {"form": form}, failed=True)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    campaign = form.cleaned_data["campaign"]
    rows = reports.daily_rows(start=start, end=end, campaign=campaign)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            reports.csv_lines(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="ads-{start}-{end}.csv"'
        return response
    total = reports.Row(end, "", "", sum(r.impressions for r in rows), sum(r.clicks for r in rows))
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "start": start,
        "end": end,
        "campaign": campaign,
    }
    return _page(request, "report.html", context)
