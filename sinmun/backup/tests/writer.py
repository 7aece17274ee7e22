"""Write articles through the services until killed: the load behind the online-backup test.

Run as ``python -m sinmun.backup.tests.writer`` with ``SINMUN_VAR_DIR`` set; prints the number of
articles committed after each one, so the test knows the writes are under way.
"""

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
    django.setup()
    from sinmun.newsroom import actors, services

    section = services.section_create(by=actors.DEMO, name="사회", slug="society")
    reporter = services.reporter_create(by=actors.DEMO, name="최다온", slug="choi-daon")
    # Long bodies spread each article over several pages, so a copy and the writes overlap.
    body = "<p>" + "동시에 쓰는 기사의 본문입니다. " * 400 + "</p>"
    count = 0
    while True:
        article = services.article_create(
            by=actors.DEMO,
            headline=f"동시 쓰기 {count + 1}번째 기사",
            body=body,
            section=section,
            reporters=[reporter],
            keywords=["백업", f"키워드{count % 7}"],
        )
        services.article_update(
            article=article, by=actors.DEMO, headline=f"{article.headline} 수정"
        )
        count += 1
        print(count, flush=True)


if __name__ == "__main__":
    main()
