import importlib
import importlib.util
import secrets
import string

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from vanphong.organizations.demo import load_demo_province


def demo_password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "Demo-" + "".join(secrets.choice(alphabet) for _ in range(12))


class Command(BaseCommand):
    help = "Load the demo province with a person in every position; prints the accounts and their password."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="the password of every demo account (default: a new random one)")

    def handle(self, *args, password=None, **options):
        password = password or demo_password()
        accounts = load_demo_province(password=password)
        call_command("load_holidays", stdout=self.stdout)
        # Each capability adds its own demo data (its demo.py, with a load() function), in the order of the apps.
        for app in apps.get_app_configs():
            if (
                app.name.startswith("vanphong.")
                and app.label != "organizations"
                and importlib.util.find_spec(f"{app.name}.demo")
            ):
                importlib.import_module(f"{app.name}.demo").load()
        lines = [f"{username:28} {name:24} {title:20} {where}" for username, name, title, where in accounts]
        text = "\n".join(
            [
                "Demo accounts (tài khoản dùng thử) — every one has the password below.",
                f"Password (mật khẩu): {password}",
                "Administrator (quản trị): quantri",
                "",
                *lines,
            ]
        )
        self.stdout.write(text)
        path = settings.VAR_DIR / "demo-accounts.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n")
        path.chmod(0o600)
        self.stdout.write(f"\n(also written to {path})")
