"""What can be shown where, held in each process's memory, and the choice of one banner.

The inventory is every active creative of every campaign that has not ended, with the counts
the caps need, built with one to four queries and kept in ``caches["local"]`` under the ads
generation (below) for at most ``INVENTORY_SECONDS``. Choosing a banner reads only this: no
query per slot or per request.

The ads generation is the ads app's own counter, not the newsroom's content generation: it
moves when an admin changes a campaign and after each flush of counts (every 15 s while
readers view banners), and bumping the content generation that often would empty the page
cache. It is kept the way the content generation is (``sinmun.newsroom.generation``, kind
``ads``): a file in ``SINMUN_VAR_DIR`` every process maps into memory, or a Redis counter with
``SINMUN_REDIS_URL``.

Selection (``choose``), in order:
1. offers that fit the slot (format, the campaign's slots, an image for this breakpoint),
   are live at ``now`` (start ≤ now < end), target this device and this section (a campaign
   for a section also runs in its sub-sections; one with no sections runs everywhere);
2. paid campaigns under their caps (viewable impressions today in KST, and in all);
3. the highest priority among them; within it a campaign at random by weight, then one of its
   eligible creatives at random;
4. if no paid campaign is left, house ads the same way (priority, then weight).
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db.models import Q, Sum
from django.utils import timezone

from sinmun.newsroom import generation as content_generation
from sinmun.newsroom.models import Section

from .models import Campaign, Creative, DailyStat
from .slots import BREAKPOINTS, SLOTS, Slot

INVENTORY_SECONDS = 30
CACHE_KEY = "ads:inventory"


def generation() -> int:
    """Return the ads generation."""
    return content_generation.current(content_generation.ADS)


def bump() -> None:
    """Start a new ads generation: every process rebuilds its inventory at its next banner."""
    content_generation.bump(content_generation.ADS)


@dataclass(frozen=True)
class Offer:
    """One creative as the selection sees it."""

    creative_id: int
    campaign_id: int
    format: str
    kind: str
    is_house: bool
    priority: int
    weight: int
    starts_at: datetime
    ends_at: datetime | None
    device: str
    slots: frozenset[str]
    sections: frozenset[int]
    daily_cap: int | None
    total_cap: int | None
    # breakpoint → {"src", "w", "h"} for image creatives
    images: dict = field(default_factory=dict, hash=False, compare=False)
    alt: str = ""
    link: str = ""

    def shows_on(self, breakpoint: str) -> bool:
        return self.kind == Creative.Kind.HTML or breakpoint in self.images


@dataclass(frozen=True)
class Inventory:
    offers: tuple[Offer, ...] = ()
    delivered_today: dict = field(default_factory=dict, hash=False, compare=False)
    delivered_total: dict = field(default_factory=dict, hash=False, compare=False)
    day: date | None = None
    # What the page templates derived from this inventory (templatetags.ads), per process.
    memo: dict = field(default_factory=dict, hash=False, compare=False)

    def offer(self, creative_id: int) -> Offer | None:
        for offer in self.offers:
            if offer.creative_id == creative_id:
                return offer
        return None


def _image(file, size: tuple[int, int] | None) -> dict | None:
    if not file or size is None:
        return None
    return {"src": default_storage.url(file.name), "w": size[0], "h": size[1]}


def build(*, now: datetime | None = None) -> Inventory:
    """Read the inventory from the database (one query when nothing is booked, up to four)."""
    from .slots import FORMATS

    now = now or timezone.now()
    today = timezone.localdate(now)
    creatives = (
        Creative.objects.filter(active=True, campaign__status=Campaign.Status.ACTIVE)
        .filter(Q(campaign__ends_at__isnull=True) | Q(campaign__ends_at__gt=now))
        .select_related("campaign")
        .order_by("id")
    )
    creatives = list(creatives)
    if not creatives:
        return Inventory(day=today)
    campaign_ids = {c.campaign_id for c in creatives}
    sections: dict[int, set[int]] = {}
    for campaign_id, section_id in Campaign.sections.through.objects.filter(
        campaign_id__in=campaign_ids
    ).values_list("campaign_id", "section_id"):
        sections.setdefault(campaign_id, set()).add(section_id)
    targeted = set().union(*sections.values()) if sections else set()
    if targeted:
        # A campaign for a section also runs in its sub-sections.
        children: dict[int, set[int]] = {}
        for child, parent in Section.objects.filter(parent_id__in=targeted).values_list(
            "pk", "parent_id"
        ):
            children.setdefault(parent, set()).add(child)
        for chosen in sections.values():
            chosen.update(*(children.get(s, ()) for s in list(chosen)))
    capped = {c.campaign_id for c in creatives if c.campaign.daily_cap or c.campaign.total_cap}
    today_counts: dict[int, int] = {}
    total_counts: dict[int, int] = {}
    if capped:
        rows = (
            DailyStat.objects.filter(campaign_id__in=capped)
            .values("campaign_id")
            .annotate(total=Sum("impressions"), today=Sum("impressions", filter=Q(day=today)))
        )
        for row in rows:
            total_counts[row["campaign_id"]] = row["total"] or 0
            today_counts[row["campaign_id"]] = row["today"] or 0
    offers = []
    for creative in creatives:
        campaign = creative.campaign
        shape = FORMATS.get(creative.format)
        if shape is None:
            continue
        images = {}
        if creative.kind == Creative.Kind.IMAGE:
            for breakpoint, file in (
                ("m", creative.image_mobile),
                ("d", creative.image_desktop or creative.image_mobile),
            ):
                image = _image(file, shape.size(breakpoint))
                if image:
                    images[breakpoint] = image
        offers.append(
            Offer(
                creative_id=creative.pk,
                campaign_id=campaign.pk,
                format=creative.format,
                kind=creative.kind,
                is_house=campaign.is_house,
                priority=campaign.priority,
                weight=max(campaign.weight, 1),
                starts_at=campaign.starts_at,
                ends_at=campaign.ends_at,
                device=campaign.device,
                slots=frozenset(campaign.slots or ()),
                sections=frozenset(sections.get(campaign.pk, ())),
                daily_cap=campaign.daily_cap,
                total_cap=campaign.total_cap,
                images=images,
                alt=creative.alt_text,
                link=creative.link_url,
            )
        )
    return Inventory(
        offers=tuple(offers),
        delivered_today=today_counts,
        delivered_total=total_counts,
        day=today,
    )


# The inventory itself stays in this module (unpickling it from the local cache for each of a
# page's eight slots would cost more than choosing); the local cache holds only its number, so
# a cleared local cache, a new ads generation or ``INVENTORY_SECONDS`` all mean a rebuild.
_built: dict[int, Inventory] = {}
_numbers = itertools.count(1)


def current() -> Inventory:
    """Return this process's inventory, rebuilt when the ads generation moves or it ages."""
    local = caches["local"]
    key = f"{CACHE_KEY}:{generation()}"
    number = local.get(key)
    inventory = _built.get(number) if number is not None else None
    if inventory is None:
        inventory = build()
        number = next(_numbers)
        _built.clear()
        _built[number] = inventory
        local.set(key, number, INVENTORY_SECONDS)
    return inventory


# Selection -----------------------------------------------------------------------------------


def _in_section(offer: Offer, section_id: int | None) -> bool:
    return not offer.sections or section_id in offer.sections


def _under_caps(offer: Offer, inventory: Inventory, today: date) -> bool:
    if offer.is_house:
        return True
    if offer.daily_cap is not None:
        delivered = inventory.delivered_today.get(offer.campaign_id, 0)
        if inventory.day != today:
            delivered = 0
        if delivered >= offer.daily_cap:
            return False
    if offer.total_cap is not None:
        if inventory.delivered_total.get(offer.campaign_id, 0) >= offer.total_cap:
            return False
    return True


def eligible(
    inventory: Inventory, *, slot: Slot, section_id: int | None, device: str, now: datetime
) -> list[Offer]:
    """Return the offers that may fill ``slot`` for this reader now (paid and house)."""
    if not slot.format.size(device):
        return []
    today = timezone.localdate(now)
    return [
        offer
        for offer in inventory.offers
        if offer.format == slot.format.name
        and (not offer.slots or slot.name in offer.slots)
        and offer.shows_on(device)
        and offer.starts_at <= now
        and (offer.ends_at is None or now < offer.ends_at)
        and offer.device in (Campaign.Device.ALL, device)
        and _in_section(offer, section_id)
        and _under_caps(offer, inventory, today)
    ]


def _pick(offers: list[Offer], rng: random.Random) -> Offer:
    top = max(o.priority for o in offers)
    offers = [o for o in offers if o.priority == top]
    by_campaign: dict[int, list[Offer]] = {}
    for offer in offers:
        by_campaign.setdefault(offer.campaign_id, []).append(offer)
    campaigns = sorted(by_campaign)
    weights = [by_campaign[c][0].weight for c in campaigns]
    chosen = rng.choices(campaigns, weights=weights)[0]
    return rng.choice(by_campaign[chosen])


def choose(
    inventory: Inventory,
    *,
    slot: Slot,
    section_id: int | None,
    device: str,
    now: datetime,
    rng: random.Random | None = None,
) -> Offer | None:
    """Return the banner for one slot view, or None when nothing may fill it."""
    rng = rng or random
    offers = eligible(inventory, slot=slot, section_id=section_id, device=device, now=now)
    paid = [o for o in offers if not o.is_house]
    if paid:
        return _pick(paid, rng)
    house = [o for o in offers if o.is_house]
    return _pick(house, rng) if house else None


def fillable(
    inventory: Inventory, *, slot: Slot, section_id: int | None, now: datetime
) -> tuple[str, ...]:
    """Return the breakpoints at which ``slot`` has something to show (its box is reserved)."""
    return tuple(
        b
        for b in BREAKPOINTS
        if eligible(inventory, slot=slot, section_id=section_id, device=b, now=now)
    )


def slot_named(name: str) -> Slot | None:
    return SLOTS.get(name)
