"""The story body as rich text: the admin's editor widget and what a save keeps.

Editors write in a ProseMirror editor (django-prose-editor) offering exactly what a story page
shows: paragraphs, headings, bold, italic, links, lists and quotes. Whatever arrives — typed,
pasted from Word or Google Docs, or forged in a hand-made request — is cleaned on the server
by the one allow-list in ``newsroom.sanitize``: the editor's toolbar is a convenience, the
sanitizer is the guarantee.

Word and Google Docs wrap their text in markup the allow-list would partly keep with the
wrong meaning: Google Docs puts the whole paste inside ``<b id="docs-internal-guid-…">`` (kept
as is, every word would turn bold) and marks real bold and italic only with inline styles
(dropped with the styles, the emphasis would be lost). ``clean_pasted_html`` translates those
two habits before sanitizing; everything else (``mso-`` classes and styles, ``<o:p>``,
conditional comments, ``<span>`` wrappers) the allow-list removes on its own, except Word's
hand-drawn list markers ("·" in a ``mso-list:Ignore`` span), which are dropped here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django import forms
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from newsroom.sanitize import sanitize_html

# What the toolbar offers: the story allow-list minus images (hero images have their own field).
EDITOR_EXTENSIONS: dict[str, object] = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "History": True,
}

_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)\b", re.IGNORECASE)
_NORMAL_WEIGHT = re.compile(r"font-weight\s*:\s*(?:normal|[1-4]00)\b", re.IGNORECASE)
_WORD_LIST_MARKER = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic\b", re.IGNORECASE)
# Word's conditional comments hold XML and VML; they go whole, whatever is inside.
_CONDITIONAL_COMMENT = re.compile(r"<!--\[if.*?<!\[endif\]-->", re.IGNORECASE | re.DOTALL)


class _PasteTranslator(HTMLParser):
    """Rewrites the office suites' habits into plain markup; not a sanitizer.

    Its output still goes through ``sanitize_html``, so it may be naive about hostile input:
    anything it lets through, the allow-list judges.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # For every open <b> or <span>: the closing tags to write when it ends.
        self.closers: list[tuple[str, str]] = []
        # Inside Word's hand-drawn list markers ("·" and spaces): spans still open there.
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        style = values.get("style", "")
        if self.skipping:
            self.skipping += tag == "span"
            return
        if tag == "span" and _WORD_LIST_MARKER.search(style):
            self.skipping = 1
            return
        if tag == "b":
            # Google Docs' wrapper around the whole paste, or a <b> styled not to be bold.
            if values.get("id", "").startswith("docs-internal-guid") or _NORMAL_WEIGHT.search(
                style
            ):
                self.closers.append(("b", ""))
            else:
                self.closers.append(("b", "</b>"))
                self.out.append("<b>")
            return
        if tag == "span":
            opening, closing = "", ""
            if _BOLD_STYLE.search(style):
                opening, closing = "<strong>", "</strong>"
            if _ITALIC_STYLE.search(style):
                opening, closing = opening + "<em>", "</em>" + closing
            self.closers.append((tag, closing))
            self.out.append(opening)
            return
        self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag == "span"
            return
        if tag in ("span", "b"):
            for index in range(len(self.closers) - 1, -1, -1):
                if self.closers[index][0] == tag:
                    self.out.append(self.closers.pop(index)[1])
                    return
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self.out.append(data.replace("<", "&lt;"))

    def handle_entityref(self, name: str) -> None:
        if self.skipping:
            return
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if self.skipping:
            return
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        """Comments are dropped (the sanitizer would drop them too)."""

    def handle_decl(self, decl: str) -> None:
        """Doctype and other declarations of a full pasted document are dropped."""

    def unknown_decl(self, data: str) -> None:
        """CDATA and other marked sections are dropped."""

    def handle_pi(self, data: str) -> None:
        """Processing instructions (``<?xml …>`` in Word's output) are dropped."""


def clean_pasted_html(html: str) -> str:
    """Translate Word and Google Docs markup to plain markup, then sanitize it."""
    if not html:
        return ""
    translator = _PasteTranslator()
    try:
        translator.feed(_CONDITIONAL_COMMENT.sub("", html))
        translator.close()
    except AssertionError:
        # Python's HTMLParser gives up on some malformed declarations ("<![>"): such input
        # is no office paste, and the allow-list alone judges it.
        return sanitize_body(html)
    return sanitize_body("".join(translator.out))


def sanitize_body(html: str) -> str:
    """The stored form of a story body: the allow-list, and empty when nothing is left."""
    cleaned = sanitize_html(html)
    if re.fullmatch(r"(?:<p>\s*(?:<br>)?\s*</p>\s*)*", cleaned):
        return ""
    return cleaned


class StoryBodyField(ProseEditorFormField):
    """The body's form field: the editor widget, and a clean that keeps only the allow-list."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", AdminProseEditorWidget)
        kwargs["config"] = {"extensions": dict(EDITOR_EXTENSIONS)}
        kwargs["sanitize"] = clean_pasted_html
        super().__init__(*args, **kwargs)


class RichTextBodyFormMixin(forms.ModelForm):
    """For story forms: the body is edited as rich text and stored sanitized."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            old = self.fields["body"]
            self.fields["body"] = StoryBodyField(
                required=old.required, label=old.label, help_text=old.help_text
            )
