"""The JSON-LD writer: what json.dumps would write, escaped so a script element holds it."""

import json

import pytest
from django.utils.translation import gettext_lazy

from newsroom.structured_data import dumps, jsonld_script


def test_writes_what_json_dumps_writes_for_unicode_numbers_and_nesting():
    data = {
        "@type": "TVSeries",
        "name": "Renée Ballard — Łódź 東京",
        "numberOfSeasons": 2,
        "actor": [{"@type": "PerformanceRole", "characterName": 'He said "no"\n\tthen left'}],
        "sameAs": [],
        "isFamilyFriendly": False,
        "endDate": None,
    }
    assert json.loads(dumps(data)) == data
    assert dumps(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_markup_characters_cannot_close_the_script_element():
    script = jsonld_script({"headline": "</script><script>alert(1)</script> & more"})
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["headline"] == "</script><script>alert(1)</script> & more"


def test_lazy_translations_are_written_as_text_and_other_objects_are_refused():
    assert json.loads(dumps({"name": gettext_lazy("Cast")})) == {"name": "Cast"}
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"name": {"a set"}})
