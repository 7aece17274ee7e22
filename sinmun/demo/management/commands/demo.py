from django.apps import apps
from django.core.management.base import BaseCommand

from sinmun.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "데모 편집국(가상의 매체, 섹션, 기자, 기사)을 만듭니다. 여러 번 실행해도 한 번만 만듭니다."
    )
    # No system checks first: on a new install they warned that the outlet's legal fields were
    # empty (pages.W001) just before this command fills them, the first thing `make run` showed
    # a new user. `sinmun serve` and every other command still check.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--no-photos", action="store_true", help="사진 없이 만듭니다 (빠름).")

    def handle(self, *args, **options):
        result = load_demo(with_photos=not options["no_photos"])
        self.stdout.write(
            f"데모 편집국: 기사 {result.articles_created}건 추가, 모두 {result.articles_total}건"
        )
        self.stdout.write("데스크 로그인: /desk/")
        for role, username, password in result.accounts:
            if password is None:
                # The account was there before this ./var knew it: its password is not ours.
                password = f"(알 수 없음: sinmun changepassword {username})"
            self.stdout.write(f"  {role}  아이디 {username}  비밀번호 {password}")
        # Apps that add their own demo data (view history, …) say so with a load_demo hook.
        for config in apps.get_app_configs():
            if hasattr(config, "load_demo"):
                self.stdout.write(config.load_demo())
