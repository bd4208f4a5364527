"""What an operator runs: the `vanphong` command with the production settings."""

import os
import secrets
import subprocess
import sys

import pytest


def vanphong(*args, **env):
    environment = {**os.environ, "VANPHONG_SECRET_KEY": secrets.token_urlsafe(50), **env}
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "vanphong.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_the_production_settings_pass_djangos_deployment_checks():
    result = vanphong("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = vanphong("check", VANPHONG_SECRET_KEY="")
    assert result.returncode != 0
    assert "VANPHONG_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_people_can_be_imported_from_the_command_line_and_errors_name_the_line(tmp_path, agency):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "nhan-su.csv"
    bad.write_text("Tên đăng nhập,Họ và tên,Cơ quan,Vai trò\nstc.a,Ngô Văn A,000.00.11.H41,thủ quỹ\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_people", str(bad))
    good = tmp_path / "nhan-su-dung.csv"
    good.write_text("Tên đăng nhập,Họ và tên,Cơ quan,Vai trò\nstc.a,Ngô Văn A,000.00.11.H41,văn thư\n")
    call_command("import_people", str(good))
    from vanphong.organizations.models import Position

    assert Position.objects.get(person__username="stc.a").role == "clerk"
