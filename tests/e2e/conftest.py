"""End-to-end tests: a real Chromium (Debian's package) driven by Playwright against
``live_server``.

When the browser is missing the tests are skipped with the reason, except in CI
(``NEWSROOM_REQUIRE_BROWSER=1``), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("NEWSROOM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (required in CI: run .ci/setup-browser)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def axe_script() -> Path:
    _require(AXE_JS.exists(), "axe-core is not installed (npm ci)")
    return AXE_JS


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    _require(VNU_JAR.exists(), "the Nu HTML validator is not installed (npm ci)")
    _require(shutil.which("java") is not None, "java is needed to run the Nu HTML validator")
    return VNU_JAR


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """The live server, started after the test database exists.

    pytest-django's ``live_server`` does not ask for the database, so it can start while the
    connection still names the development database: it then shares no connection with the
    in-memory SQLite test database, and every request thread opens one of its own that is
    never closed (a ResourceWarning, an error under our pytest settings).
    """
    return live_server


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """axe is injected as an inline script, which the site's Content-Security-Policy refuses:
    the default context bypasses CSP. Tests of the policy itself open a context without."""
    return {**browser_context_args, "bypass_csp": True}
