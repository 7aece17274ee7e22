"""Django templates against Jinja2 for the reader's pages (``make bench-templates``).

Issue #12 asks to measure the template engine for the article, home and section pages. Porting
every template (and the tags three apps add to them) only to measure would be days of work, so
this measures the two numbers that bound what Jinja2 could win, in one run:

1. The engine's share of a cold render (fragments off, so every template node runs): the time
   spent in ``django/template/`` itself (cProfile, own time), over the whole request through
   Django's test client, for the article, home and section pages.
2. Jinja2's speed-up on the same work: the section's teaser list (20 teasers, the loop that
   dominates list pages) ported to Jinja2 with the same filters and tag functions, rendered
   from the same rows; the port's text is checked against Django's before timing.

What Jinja2 could save on a page is at most share × (1 − 1 / speed-up). Run through
``make bench-templates`` (it sets up its own var folder with the demo newsroom).
"""

import cProfile
import os
import pstats
import re
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
os.environ["SINMUN_FRAGMENT_SECONDS"] = "0"  # a cold render: every node of every template runs
os.environ["SINMUN_PAGE_CACHE_SECONDS"] = "0"

import django

django.setup()

import jinja2  # noqa: E402
from django.template.defaultfilters import date as django_date  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.timezone import template_localtime  # noqa: E402

from sinmun.korean.templatetags.korean import excerpt, relative_time  # noqa: E402
from sinmun.newsroom import selectors  # noqa: E402
from sinmun.newsroom.models import Section  # noqa: E402
from sinmun.public.templatetags.photos import picture  # noqa: E402
from sinmun.public.templatetags.public import teaser_text  # noqa: E402

# The port of public/includes/article_list.html, teaser.html and pagination.html.
JINJA_LIST = """<div class="list-body">{% if page.object_list %}<ul class="teaser-list">
{% for item in page.object_list %}<li class="teaser">
  {% if item.lead_photo %}<a class="teaser-photo" href="{{ item.get_absolute_url() }}" tabindex="-1" aria-hidden="true">{{ picture(item.lead_photo, "thumb", sizes="teaser", width=240, height=135) }}</a>{% endif %}
  <a class="teaser-title" href="{{ item.get_absolute_url() }}"><span class="label">[{{ item.label }}]</span> {{ item.headline }}</a>
  <p class="teaser-text">{{ item|teaser_text|excerpt(110) }}</p>
  <p class="teaser-meta"><time datetime="{{ item.first_published_at|date('c') }}">{{ item.first_published_at|relative_time }}</time></p>
</li>
{% endfor %}</ul>
{% if page.has_other_pages() %}<nav class="pagination" aria-label="페이지">
  {% if page.has_previous() %}<a rel="prev" href="?page={{ page.previous_page_number() }}">이전</a>{% endif %}
  <span aria-current="page">{{ page.number }} / {{ page.paginator.num_pages }}</span>
  {% if page.has_next() %}<a rel="next" href="?page={{ page.next_page_number() }}">다음</a>{% endif %}
</nav>{% endif %}{% else %}<p class="empty">아직 기사가 없습니다.</p>{% endif %}</div>"""  # noqa: E501


def _text(html: str) -> str:
    """The markup with whitespace between and inside tags collapsed (the two engines differ
    only in blank lines)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def _timed(render, runs: int) -> list[float]:
    render()  # warm: compiled templates, lazy attributes
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append((time.perf_counter() - started) * 1000)
    return times


def engine_share(path: str, runs: int) -> tuple[float, float]:
    """Return (ms per cold request, share of it spent in Django's template engine itself)."""
    client = Client()
    if client.get(path).status_code != 200:
        sys.exit(f"{path} did not answer 200")
    elapsed = statistics.median(_timed(lambda: client.get(path), runs))
    # The profiler slows every call alike, so the share is read from a profiled run and the
    # time from an unprofiled one.
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = sum(own for _, _, own, _, _ in stats.values())
    engine = sum(
        own
        for (filename, _, _), (_, _, own, _, _) in stats.items()
        if "/django/template/" in filename
    )
    return elapsed, engine / total


def teaser_list(runs: int) -> tuple[float, float]:
    """Return (Django ms, Jinja2 ms) for one section's first list page, the same rows."""
    section = max(
        Section.objects.filter(parent=None),
        key=lambda s: selectors.articles_for_section(section=s, page=1).paginator.count,
    )
    page = selectors.articles_for_section(section=section, page=1)
    page.object_list = list(page.object_list)
    for item in page.object_list:  # read every lazy relation once, outside the clocks
        teaser_text(item)
    django_list = get_template("public/includes/article_list.html")
    env = jinja2.Environment(autoescape=True)
    env.filters.update(
        teaser_text=teaser_text,
        excerpt=excerpt,
        relative_time=relative_time,
        # Django's templates show datetimes in the site's time zone before any filter runs.
        date=lambda value, fmt: django_date(template_localtime(value), fmt),
    )
    env.globals["picture"] = picture
    jinja_list = env.from_string(JINJA_LIST)
    context = {"page": page}
    ours, theirs = _text(django_list.render(context)), _text(jinja_list.render(context))
    if ours != theirs:
        at = next(i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b)
        sys.exit(f"the Jinja2 port differs from Django's at {at}: {ours[at - 60 : at + 60]!r}")
    django_ms = statistics.median(_timed(lambda: django_list.render(context), runs))
    jinja_ms = statistics.median(_timed(lambda: jinja_list.render(context), runs))
    return django_ms, jinja_ms


def main():
    runs = int(os.environ.get("RUNS", "200"))
    article = selectors.top_story()
    section = Section.objects.filter(parent=None).order_by("order").first()
    django_ms, jinja_ms = teaser_list(runs)
    speedup = django_ms / jinja_ms
    print(f"\n== template engines ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load {os.getloadavg()[0]:.1f}, Jinja2 {jinja2.__version__}) ==")  # fmt: skip
    print(f"teaser list (20 teasers): Django {django_ms:.2f} ms, Jinja2 {jinja_ms:.2f} ms, "
          f"Jinja2 {speedup:.2f}× as fast")  # fmt: skip
    print()
    print("| page (cold render, fragments off) | ms a request | engine's own share | "
          "Jinja2 could save at most |")  # fmt: skip
    print("|---|---:|---:|---:|")
    for name, path in [
        ("article", article.get_absolute_url()),
        ("home", "/"),
        ("section", section.get_absolute_url()),
    ]:
        elapsed, share = engine_share(path, max(runs // 4, 20))
        saving = share * (1 - 1 / speedup)
        print(
            f"| {name} | {elapsed:.1f} | {share:.0%} | {saving:.0%} ({elapsed * saving:.1f} ms) |"
        )


if __name__ == "__main__":
    main()
