"""Reading rendered pages in tests: links, text, landmarks and JSON-LD, from the real HTML."""

from __future__ import annotations

import json

import lxml.html


class Page:
    def __init__(self, response) -> None:
        self.response = response
        self.html = response.content.decode()
        self.tree = lxml.html.fromstring(self.html)

    def find(self, xpath: str) -> list:
        return self.tree.xpath(xpath)

    def one(self, xpath: str):
        found = self.tree.xpath(xpath)
        assert len(found) == 1, f"{xpath}: {len(found)} matches"
        return found[0]

    def hrefs(self, within: str = "//body") -> list[str]:
        return [href for scope in self.find(within) for href in scope.xpath(".//a/@href")]

    def words(self, within: str = "//body") -> str:
        """The visible text of the elements matched, whitespace collapsed."""
        return " ".join(" ".join(" ".join(scope.itertext()).split()) for scope in self.find(within))

    def link_texts(self, within: str = "//body") -> dict[str, str]:
        """href -> link text for every link in scope (the last one wins on repeats)."""
        return {
            a.get("href"): " ".join(a.text_content().split())
            for scope in self.find(within)
            for a in scope.xpath(".//a[@href]")
        }

    def all_jsonld(self) -> list[dict]:
        return [json.loads(s.text) for s in self.find('//script[@type="application/ld+json"]')]

    def jsonld(self) -> list[dict]:
        """The page's own entities (the breadcrumb trail, on every page, left out)."""
        return [d for d in self.all_jsonld() if d.get("@type") != "BreadcrumbList"]

    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(name, URL) of each step of the page's ``BreadcrumbList``."""
        [trail] = [d for d in self.all_jsonld() if d.get("@type") == "BreadcrumbList"]
        return [(step["name"], step["item"]) for step in trail["itemListElement"]]

    def meta(self, key: str) -> list[str]:
        """The content of ``<meta property=key>`` or ``<meta name=key>``."""
        return self.find(f'//meta[@property="{key}" or @name="{key}"]/@content')

    def headings(self) -> list[tuple[int, str]]:
        return [
            (int(h.tag[1]), " ".join(h.text_content().split()))
            for h in self.tree.iter("h1", "h2", "h3", "h4", "h5", "h6")
        ]
