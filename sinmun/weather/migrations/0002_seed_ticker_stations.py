"""Seed the 16 KMA ASOS stations of the classic Korean news ticker, in ticker order.

Coordinates are approximate (to about 0.01°), from KMA's station list as republished; nx/ny are
their 5 km grid cells computed with sinmun.weather.grid.to_grid (written out here so that this
migration never changes; a test checks they agree).
"""

from django.db import migrations

# (stn_id, name, lat, lon, nx, ny)
STATIONS = [
    (98, "동두천", 37.9019, 127.0607, 61, 134),
    (105, "강릉", 37.7515, 128.8910, 93, 132),
    (108, "서울", 37.5714, 126.9658, 60, 127),
    (133, "대전", 36.3720, 127.3721, 67, 101),
    (143, "대구", 35.8780, 128.6530, 90, 91),
    (152, "울산", 35.5824, 129.3347, 102, 85),
    (156, "광주", 35.1729, 126.8916, 59, 75),
    (159, "부산", 35.1047, 129.0320, 97, 74),
    (172, "고창", 35.3482, 126.5990, 54, 78),
    (184, "제주", 33.5141, 126.5297, 53, 38),
    (201, "강화", 37.7074, 126.4463, 51, 130),
    (226, "보은", 36.4876, 127.7342, 73, 104),
    (238, "금산", 36.1056, 127.4818, 69, 95),
    (259, "강진군", 34.6289, 126.7672, 57, 63),
    (283, "경주시", 35.8174, 129.2009, 100, 90),
    (294, "거제", 34.8882, 128.6046, 90, 69),
]


def seed(apps, schema_editor):
    Station = apps.get_model("weather", "Station")
    for order, (stn_id, name, lat, lon, nx, ny) in enumerate(STATIONS, start=1):
        Station.objects.get_or_create(
            stn_id=stn_id,
            defaults={"name": name, "lat": lat, "lon": lon, "nx": nx, "ny": ny, "order": order},
        )


def unseed(apps, schema_editor):
    Station = apps.get_model("weather", "Station")
    Station.objects.filter(stn_id__in=[row[0] for row in STATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("weather", "0001_stations_and_observations"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
