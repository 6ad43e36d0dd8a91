"""Security defaults: Content-Security-Policy, login throttling, the deploy checklist."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def inline_scripts_without_nonce(response) -> list[str]:
    found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    nonce = found.group(1) if found else None
    tree = lxml.html.fromstring(response.content)
    bad = []
    for script in tree.iter("script"):
        if script.get("type") == "application/ld+json":
            continue  # data, never executed
        if script.get("src") is None and script.get("nonce") != nonce:
            bad.append(lxml.html.tostring(script, encoding="unicode")[:80])
    return bad


def test_public_pages_send_a_strict_policy(client):
    story = f.article("Ballard renewed")
    response = client.get(story.get_absolute_url())
    rules = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    # The nonce appears only when the page used one; this page has no inline script at all.
    assert rules["script-src"] == "script-src 'self'"
    assert inline_scripts_without_nonce(response) == []
    assert rules["object-src"] == "object-src 'none'"
    assert rules["frame-ancestors"] == "frame-ancestors 'none'"
    assert "base-uri" in rules


def test_admin_change_page_scripts_all_carry_the_nonce(admin_client):
    story = f.article("Ballard renewed")
    response = admin_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    assert inline_scripts_without_nonce(response) == []
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    page = response.content.decode()
    # The editor's import map is inline: it must carry the nonce to load.
    assert re.search(rf'<script[^>]*type="importmap"[^>]*nonce="{nonce}"|<script[^>]*nonce="{nonce}"[^>]*type="importmap"', page)


def test_each_response_gets_a_fresh_nonce(admin_client):
    url = reverse("admin:articles_article_add")
    first = admin_client.get(url)["Content-Security-Policy"]
    second = admin_client.get(url)["Content-Security-Policy"]
    assert first != second


def login(client, username: str, password: str):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    User.objects.create_superuser("desk-editor", "e@example.com", "the-right-password")
    for _ in range(3):
        response = login(client, "desk-editor", "a-wrong-guess")
        assert response.status_code == 200
        assert "Too many failed" not in response.content.decode()
    blocked = login(client, "desk-editor", "the-right-password")
    assert blocked.status_code == 200, "even the right password is refused while blocked"
    assert "Too many failed login attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address is not affected.
    User.objects.create_superuser("other-editor", "o@example.com", "pw-of-the-other")
    other = client.post(
        reverse("admin:login"),
        {"username": "other-editor", "password": "pw-of-the-other", "next": "/admin/"},
        REMOTE_ADDR="198.51.100.2",
    )
    assert other.status_code == 302


def test_the_address_limit_stops_guessing_across_usernames(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    User.objects.create_superuser("desk-editor", "e@example.com", "the-right-password")
    for number in range(4):
        login(client, f"someone-{number}", "guess")
    response = login(client, "desk-editor", "the-right-password")
    assert "Too many failed login attempts" in response.content.decode()


def test_a_successful_login_clears_the_count(client, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 3
    User.objects.create_superuser("desk-editor", "e@example.com", "the-right-password")
    login(client, "desk-editor", "wrong")
    login(client, "desk-editor", "wrong")
    assert login(client, "desk-editor", "the-right-password").status_code == 302
    client.logout()
    login(client, "desk-editor", "wrong")
    login(client, "desk-editor", "wrong")
    assert login(client, "desk-editor", "the-right-password").status_code == 302


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "x",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    # The browser tests allow sync database calls inside Playwright's event loop for this
    # process only; a production environment never carries that switch.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_images_on_a_cdn_are_allowed_by_the_policy(tmp_path):
    env = {
        **os.environ,
        "MEDIA_CDN_DOMAIN": "images.example.net",
        "MEDIA_S3_BUCKET": "newsroom-media",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; import django; "
         "django.setup(); print(settings.SECURE_CSP['img-src'])"],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert "https://images.example.net" in result.stdout, result.stderr
