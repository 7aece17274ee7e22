"""Convert latitude/longitude to the KMA 5 km forecast grid (동네예보 격자, ``nx``/``ny``).

Written by hand: it is KMA's own published Lambert conformal conic conversion (the ``dfs_xy_conv``
routine in the 단기예보 조회서비스 guide), a dozen lines that no maintained package ships.
"""

import math

# The grid's projection constants, from the KMA guide.
EARTH_RADIUS_KM = 6371.00877
GRID_KM = 5.0
STANDARD_PARALLEL_1 = 30.0
STANDARD_PARALLEL_2 = 60.0
ORIGIN_LAT = 38.0
ORIGIN_LON = 126.0
ORIGIN_X = 43
ORIGIN_Y = 136

_RAD = math.pi / 180.0


def _projection() -> tuple[float, float, float, float]:
    re = EARTH_RADIUS_KM / GRID_KM
    slat1 = STANDARD_PARALLEL_1 * _RAD
    slat2 = STANDARD_PARALLEL_2 * _RAD
    olat = ORIGIN_LAT * _RAD
    sn = math.tan(math.pi * 0.25 + slat2 * 0.5) / math.tan(math.pi * 0.25 + slat1 * 0.5)
    sn = math.log(math.cos(slat1) / math.cos(slat2)) / math.log(sn)
    sf = math.tan(math.pi * 0.25 + slat1 * 0.5)
    sf = math.pow(sf, sn) * math.cos(slat1) / sn
    ro = math.tan(math.pi * 0.25 + olat * 0.5)
    ro = re * sf / math.pow(ro, sn)
    return re, sn, sf, ro


_RE, _SN, _SF, _RO = _projection()


def to_grid(lat: float, lon: float) -> tuple[int, int]:
    """Return the ``(nx, ny)`` grid cell that contains ``lat``/``lon`` (degrees, WGS84)."""
    ra = math.tan(math.pi * 0.25 + lat * _RAD * 0.5)
    ra = _RE * _SF / math.pow(ra, _SN)
    theta = lon * _RAD - ORIGIN_LON * _RAD
    if theta > math.pi:
        theta -= 2.0 * math.pi
    if theta < -math.pi:
        theta += 2.0 * math.pi
    theta *= _SN
    nx = math.floor(ra * math.sin(theta) + ORIGIN_X + 0.5)
    ny = math.floor(_RO - ra * math.cos(theta) + ORIGIN_Y + 0.5)
    return nx, ny
