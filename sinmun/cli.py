"""The ``sinmun`` command: Django's management commands with friendlier names.

``sinmun demo``, ``sinmun serve``, ``sinmun import FILE``, ``sinmun export`` and every Django
command (``sinmun migrate``, ``sinmun createsuperuser``, …).
"""

import os
import sys

# Friendly names for commands whose Django names would shadow Python keywords or built-ins.
ALIASES = {
    "import": "import_ninjs",
    "export": "export_ninjs",
    "export-articles": "export_articles",
    "photos-renditions": "photos_renditions",
    "api-client": "api_client",
}


def main(argv: list[str] | None = None) -> None:
    """Run a Sinmun command."""
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    argv[0] = "sinmun"
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
