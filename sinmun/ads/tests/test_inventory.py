"""Choosing a banner: weights, priority, caps, schedule, device, section and slot targeting,
house ads as the fallback; with a fixed clock and seeded randomness."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from sinmun.ads import inventory, services
from sinmun.ads.inventory import Inventory, Offer
from sinmun.ads.models import DailyStat
from sinmun.ads.slots import SLOTS

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
TODAY = date(2026, 12, 6)
RECT = SLOTS["rail-top"]
BOARD = SLOTS["header"]
IMG = {"m": {"src": "/m.png", "w": 300, "h": 250}, "d": {"src": "/d.png", "w": 300, "h": 250}}


def offer(creative_id, campaign_id=None, **fields) -> Offer:
    values = {
        "creative_id": creative_id,
        "campaign_id": campaign_id or creative_id,
        "format": "rectangle",
        "kind": "image",
        "is_house": False,
        "priority": 5,
        "weight": 10,
        "starts_at": NOW - timedelta(days=1),
        "ends_at": NOW + timedelta(days=1),
        "device": "all",
        "slots": frozenset(),
        "sections": frozenset(),
        "daily_cap": None,
        "total_cap": None,
        "images": IMG,
    }
    values.update(fields)
    return Offer(**values)


def stock(*offers, today=None, total=None, day=TODAY) -> Inventory:
    return Inventory(
        offers=offers, delivered_today=today or {}, delivered_total=total or {}, day=day
    )


def pick(inv, *, slot=RECT, section=None, device="d", now=NOW, rng=None):
    chosen = inventory.choose(
        inv, slot=slot, section_id=section, device=device, now=now, rng=rng or random.Random(7)
    )
    return chosen.creative_id if chosen else None


def draws(inv, n=6000, seed=13, **kwargs) -> Counter:
    rng = random.Random(seed)
    return Counter(pick(inv, rng=rng, **kwargs) for _ in range(n))


def test_campaigns_share_views_by_weight():
    counts = draws(stock(offer(1, weight=30), offer(2, weight=10)))
    assert set(counts) == {1, 2}
    assert counts[1] / sum(counts.values()) == pytest.approx(0.75, abs=0.03)


def test_weight_belongs_to_the_campaign_not_to_each_creative():
    # Campaign 1 has three creatives, campaign 2 one; equal weights share views equally.
    inv = stock(offer(1, 1), offer(2, 1), offer(3, 1), offer(4, 2))
    counts = draws(inv)
    share_1 = (counts[1] + counts[2] + counts[3]) / sum(counts.values())
    assert share_1 == pytest.approx(0.5, abs=0.03)
    assert min(counts[1], counts[2], counts[3]) > 600  # its creatives rotate too


def test_higher_priority_takes_every_view():
    counts = draws(stock(offer(1, priority=9, weight=1), offer(2, priority=5, weight=100)))
    assert counts == Counter({1: 6000})


def test_same_seed_same_choices():
    inv = stock(offer(1), offer(2), offer(3))
    assert draws(inv, seed=99) == draws(inv, seed=99)


def test_schedule_bounds_start_inclusive_end_exclusive():
    inv = stock(offer(1, starts_at=NOW, ends_at=NOW + timedelta(hours=1)))
    assert pick(inv, now=NOW - timedelta(seconds=1)) is None
    assert pick(inv, now=NOW) == 1
    assert pick(inv, now=NOW + timedelta(minutes=59, seconds=59)) == 1
    assert pick(inv, now=NOW + timedelta(hours=1)) is None


def test_house_ad_fills_when_no_paid_campaign_is_eligible():
    paid = offer(1, starts_at=NOW + timedelta(hours=1))
    house = offer(2, is_house=True, ends_at=None)
    assert pick(stock(paid, house)) == 2
    assert pick(stock(paid, house), now=NOW + timedelta(hours=2)) == 1
    assert pick(stock(paid)) is None


def test_daily_cap_counts_only_today_in_seoul():
    capped = offer(1, daily_cap=100)
    house = offer(2, is_house=True)
    assert pick(stock(capped, house, today={1: 99})) == 1
    assert pick(stock(capped, house, today={1: 100})) == 2
    # The counts were read yesterday (KST): a new day starts from zero.
    tomorrow = NOW + timedelta(hours=13)  # 01:00 on 12.07 in Seoul
    assert pick(stock(capped, house, today={1: 100}), now=tomorrow) == 1


def test_total_cap_stops_the_campaign():
    capped = offer(1, total_cap=1000)
    house = offer(2, is_house=True)
    assert pick(stock(capped, house, total={1: 999})) == 1
    assert pick(stock(capped, house, total={1: 1000})) == 2


def test_house_ads_have_no_caps():
    house = offer(2, is_house=True, daily_cap=1, total_cap=1)
    assert pick(stock(house, today={2: 50}, total={2: 50})) == 2


def test_device_targeting():
    phone_only = offer(1, device="m")
    desk_only = offer(2, device="d")
    inv = stock(phone_only, desk_only)
    assert draws(inv, n=200, device="m") == Counter({1: 200})
    assert draws(inv, n=200, device="d") == Counter({2: 200})


def test_a_creative_without_a_desktop_image_is_not_shown_on_desktop():
    inv = stock(offer(1, format="leaderboard", images={"m": IMG["m"]}))
    assert pick(inv, slot=BOARD, device="m") == 1
    assert pick(inv, slot=BOARD, device="d") is None


def test_sticky_slot_only_on_phones():
    inv = stock(offer(1, format="sticky", images={"m": IMG["m"]}))
    sticky = SLOTS["mobile-sticky"]
    assert pick(inv, slot=sticky, device="m") == 1
    assert pick(inv, slot=sticky, device="d") is None
    assert inventory.fillable(inv, slot=sticky, section_id=None, now=NOW) == ("m",)


def test_format_and_slot_targeting():
    inv = stock(offer(1), offer(2, slots=frozenset({"rail-bottom"})))
    assert draws(inv, n=200) == Counter({1: 200})
    assert draws(inv, n=300, slot=SLOTS["rail-bottom"]).keys() == {1, 2}
    assert pick(inv, slot=BOARD) is None  # a rectangle never fills a leaderboard


def test_section_targeting_and_the_home_page():
    inv = stock(offer(1, sections=frozenset({7, 8})), offer(2, is_house=True))
    assert pick(inv, section=7) == 1
    assert pick(inv, section=9) == 2
    assert pick(inv, section=None) == 2  # the home page has no section


def test_fillable_reserves_only_where_something_may_show():
    inv = stock(offer(1, device="m", format="leaderboard", images={"m": IMG["m"]}))
    assert inventory.fillable(inv, slot=BOARD, section_id=None, now=NOW) == ("m",)
    assert inventory.fillable(stock(), slot=BOARD, section_id=None, now=NOW) == ()


# The inventory as built from the database ---------------------------------------------------


def test_build_expands_sections_to_their_sub_sections_and_reads_caps(
    booked, newsroom, admin, committed
):
    with committed():
        services.campaign_update(by=admin, campaign=booked["house"], starts_at=NOW - timedelta(1))
        services.campaign_update(
            by=admin,
            campaign=booked["paid"],
            sections=[newsroom.tech],
            daily_cap=10,
            starts_at=NOW - timedelta(days=2),
            ends_at=NOW + timedelta(days=2),
        )
    creative = booked["creatives"][(booked["paid"].pk, "rectangle")]
    for day, views in ((TODAY, 4), (TODAY - timedelta(days=1), 50)):
        DailyStat.objects.create(
            day=day, campaign=booked["paid"], creative=creative, slot="rail-top", impressions=views
        )
    inv = inventory.build(now=NOW)
    assert inv.delivered_today == {booked["paid"].pk: 4}
    assert inv.delivered_total == {booked["paid"].pk: 54}
    paid_ids = {o.creative_id for o in inv.offers if o.campaign_id == booked["paid"].pk}
    # 빅테크 is a sub-section of IT·과학: the paid campaign runs there; 정치 gets house ads.
    chosen = pick(inv, section=newsroom.bigtech.pk)
    assert chosen in paid_ids
    house = booked["creatives"][(booked["house"].pk, "rectangle")].pk
    assert pick(inv, section=newsroom.politics.pk) == house
