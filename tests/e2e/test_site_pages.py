"""The public pages in a real browser: no axe-core accessibility violations (WCAG 2.1 A/AA),
valid HTML (Nu validator), no sideways scrolling on a 360px phone or at 1280px, and a skip
link that shows when a keyboard reaches it."""

import subprocess

import pytest
from django.test import Client

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [360, 1280]


@pytest.fixture
def site_urls() -> list[str]:
    w = f.renewal_scenario()
    for i in range(25):
        f.article(f"Older story {i}", authors=[w.writer], main_show=w.bosch, tags=["renewals"])
    return [
        "/",
        "/news/",
        "/news/?page=2",
        w.story.get_absolute_url(),
        "/shows/ballard/",
        "/people/michael-connelly/",
        "/people/maggie-q/",
        "/shows/ballard/credits/",
        "/people/michael-connelly/credits/",
        "/companies/prime-video/",
        "/tags/renewals/",
        w.writer.get_absolute_url(),
        "/renewals/",
        "/renewals/?platform=prime-video&status=renewed",
        "/search/?q=Ballard",
        "/search/?q=Renee",
        "/no-such-page/",
    ]


def run_axe(page, axe_script) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]
    ]


def test_pages_pass_axe_and_fit_the_screen(page, live_server, site_urls, axe_script):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in site_urls:
            page.goto(live_server.url + url)
            assert run_axe(page, axe_script) == [], (width, url)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (width, url, overflow)


def test_skip_link_appears_on_keyboard_focus(page, live_server, site_urls):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + site_urls[3])
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0
    page.keyboard.press("Tab")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


def test_pages_are_valid_html(site_urls, vnu_jar, tmp_path):
    client = Client()
    files = []
    for number, url in enumerate(site_urls):
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    # One validator run for every page: the JVM start is most of the time.
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--errors-only", *files],
        capture_output=True,
        check=False,
        timeout=300,
    )
    report = result.stderr.decode() + result.stdout.decode()
    for number, url in enumerate(site_urls):
        report = report.replace(files[number], url)
    assert result.returncode == 0, report
