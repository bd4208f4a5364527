"""The `vanphong` command: Django's management commands under the product's name, e.g. `vanphong audit verify`."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanphong.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vanphong", *sys.argv[1:]])


if __name__ == "__main__":
    main()
