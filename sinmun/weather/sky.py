"""The words of the ticker: sky from total cloud, precipitation from weather codes, the item text.

An item reads ``{word}{station} {temperature}℃`` (``구름많음울산 0.3℃``); a precipitation word
replaces the sky word (``비부산 12.0℃``). Without a word (no cloud reading, e.g. an unmanned
station, or the data.go.kr fallback, which has no cloud amount) the item is ``서울 -7.1℃``:
a missing word is never guessed.
"""

CLEAR = "맑음"
PARTLY_CLOUDY = "구름조금"
MOSTLY_CLOUDY = "구름많음"
OVERCAST = "흐림"

RAIN = "비"
RAIN_AND_SNOW = "비/눈"
SNOW = "눈"
SHOWER = "소나기"

SKY_WORDS = (CLEAR, PARTLY_CLOUDY, MOSTLY_CLOUDY, OVERCAST)
PRECIPITATION_WORDS = (RAIN, RAIN_AND_SNOW, SNOW, SHOWER)
DEGREE = "℃"

# WMO code table 4677 (present weather, ``WC`` in kma_sfctm2.php), ranges inclusive. Codes 00–49
# mean no precipitation at the station at the time of observation (20–29: it stopped within the
# past hour), so they carry no word; 98 is a thunderstorm with dust, not precipitation.
_WMO_RANGES = (
    (50, 67, RAIN),  # drizzle, rain, freezing drizzle and rain
    (68, 69, RAIN_AND_SNOW),  # rain or drizzle and snow
    (70, 79, SNOW),  # snow, snow grains, ice prisms, ice pellets
    (80, 82, SHOWER),  # rain showers
    (83, 84, RAIN_AND_SNOW),  # showers of rain and snow mixed
    (85, 86, SNOW),  # snow showers
    (87, 90, SHOWER),  # showers of snow pellets, small hail, hail
    (91, 92, RAIN),  # rain now, thunderstorm in the past hour
    (93, 94, SNOW),  # snow (or rain and snow, or hail) now, thunderstorm in the past hour
    (95, 95, RAIN),  # thunderstorm with rain and/or snow
    (96, 96, SHOWER),  # thunderstorm with hail
    (97, 97, RAIN),  # heavy thunderstorm with rain and/or snow
    (99, 99, SHOWER),  # heavy thunderstorm with hail
)

# 초단기실황 PTY: 0 없음, 1 비, 2 비/눈, 3 눈, 5 빗방울, 6 빗방울눈날림, 7 눈날림 (4 소나기 is a
# 단기예보 code, mapped too in case it appears).
_PTY_WORDS = {1: RAIN, 2: RAIN_AND_SNOW, 3: SNOW, 4: SHOWER, 5: RAIN, 6: RAIN_AND_SNOW, 7: SNOW}


def sky_word(total_cloud: int | None) -> str:
    """Return the sky word for a total cloud amount in tenths (0–10), or "" when unknown."""
    if total_cloud is None or not 0 <= total_cloud <= 10:
        return ""
    if total_cloud <= 2:
        return CLEAR
    if total_cloud <= 5:
        return PARTLY_CLOUDY
    if total_cloud <= 8:
        return MOSTLY_CLOUDY
    return OVERCAST


def precipitation_from_wmo(code: int | None) -> str:
    """Return the precipitation word for a WMO 4677 present-weather code, or ""."""
    if code is None:
        return ""
    for low, high, word in _WMO_RANGES:
        if low <= code <= high:
            return word
    return ""


def precipitation_from_pty(code: int | None) -> str:
    """Return the precipitation word for a 초단기실황 PTY code, or ""."""
    return _PTY_WORDS.get(code, "") if code is not None else ""


def temperature_text(temperature: float) -> str:
    """Return the temperature with one decimal and ``℃``; ``-0.0`` reads ``0.0``."""
    text = f"{temperature:.1f}"
    if text == "-0.0":
        text = "0.0"
    return f"{text}{DEGREE}"


def item_text(*, name: str, sky: str, precipitation: str, temperature: float) -> str:
    """Return one ticker item, e.g. ``구름많음울산 0.3℃`` or ``비부산 12.0℃``."""
    return f"{precipitation or sky}{name} {temperature_text(temperature)}"
