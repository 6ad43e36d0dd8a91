"""What in a piece of rendered HTML could run script: the check behind the hostile-input tests.

Parses the HTML as a browser would (lxml's HTML parser) and reports every script element,
event-handler attribute, ``style`` (attribute or element), active element (iframe, object,
embed, base, meta, link, form) and URL attribute whose scheme is ``javascript:``,
``vbscript:`` or ``data:`` after the characters browsers ignore are removed.
"""

from __future__ import annotations

import re

import lxml.html

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "srcset"}
ACTIVE_ELEMENTS = {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "form"}
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)


def executable_parts(fragment: str) -> list[str]:
    """Everything executable in ``fragment`` (an HTML fragment), described; empty when safe."""
    if not fragment.strip():
        return []
    found: list[str] = []
    for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in ACTIVE_ELEMENTS:
            found.append(f"<{tag}> element")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                found.append(f"{lowered} attribute on <{tag}>")
            elif lowered == "style":
                found.append(f"style attribute on <{tag}>")
            elif lowered in URL_ATTRIBUTES and _BAD_SCHEME.match(_IGNORED.sub("", value)):
                found.append(f"{lowered}={value!r} on <{tag}>")
    return found


def story_body(page_html: str) -> str:
    """The inner HTML of the page's ``#story-body`` element."""
    tree = lxml.html.fromstring(page_html)
    bodies = tree.xpath('//*[@id="story-body"]')
    assert len(bodies) == 1, "the story page has one #story-body"
    body = bodies[0]
    return (body.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in body
    )
