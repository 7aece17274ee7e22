"""``sinmun demo``'s banners: made once, and every slot of the demo can be filled at every width
it exists at, with house ads where no campaign is targeted."""

import random

from django.utils import timezone

from sinmun.ads import demo, inventory
from sinmun.ads.models import Advertiser, Campaign, Creative
from sinmun.ads.slots import SLOTS
from sinmun.newsroom import actors, services


def test_demo_banners_fill_every_slot_and_are_made_once(newsroom):
    for slug, name in (("society", "사회"), ("sports", "스포츠")):
        services.section_create(by=actors.DEMO, name=name, slug=slug)
    first = demo.load()
    assert first.startswith("데모 광고: 캠페인 3개 추가")
    assert demo.load() == "데모 광고: 캠페인 0개 추가, 모두 3개"
    assert Advertiser.objects.count() == 2 and Campaign.objects.count() == 3
    assert Creative.objects.filter(kind=Creative.Kind.HTML).count() == 1
    stock = inventory.build()
    now = timezone.now()
    for slot in SLOTS.values():
        assert inventory.fillable(stock, slot=slot, section_id=None, now=now) == slot.breakpoints
    # The home page (no section) gets house ads; a targeted section gets its campaign.
    rng = random.Random(3)
    house = {o.creative_id for o in stock.offers if o.is_house}
    sports = newsroom.politics.__class__.objects.get(slug="sports").pk
    rail = SLOTS["rail-top"]
    home = {inventory.choose(stock, slot=rail, section_id=None, device="d", now=now, rng=rng)
            for _ in range(50)}  # fmt: skip
    assert {o.creative_id for o in home} <= house
    targeted = inventory.choose(stock, slot=rail, section_id=sports, device="d", now=now, rng=rng)
    assert not targeted.is_house
