"""Markdown text helpers: escaping user text, tables, lists and glossary links.

All user text passes through :func:`escape`, so markup, HTML and MyST roles or directives in a
curriculum appear as literal text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kurswerk.glossary import slug

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=^@%;,?/])")

def escape(text: str) -> str:
    """Return ``text`` as literal Markdown: every ASCII punctuation mark backslash-escaped."""
    return _PUNCTUATION.sub(r"\\\1", text)


def cell(text: str) -> str:
    """Escape text for a table cell (one line, pipes escaped)."""
    return escape(" ".join(text.split()))


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """Return a Markdown table; cells must already be escaped."""
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {escape(item)}" for item in items)


def term_label(sector_id: str, lemma: str) -> str:
    """The Sphinx label of a glossary entry (unique across sectors)."""
    return f"glossar-{sector_id}-{slug(lemma)}"


def term_link(sector_id: str, headword: str, lemma: str) -> str:
    """Return a link to a glossary entry; the link text keeps only characters safe in a role."""
    text = re.sub(r"[`<>\\]", "", " ".join(headword.split())) or lemma
    return f"{{ref}}`{text} <{term_label(sector_id, lemma)}>`"


def quoted_option(text: str) -> str:
    """A directive option value as a double-quoted string: a quote at the start, `` #`` or a colon in
    the text stay text (MyST reads option values as YAML)."""
    flat = one_line(text)
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def one_line(text: str) -> str:
    """Text for a directive option (alt text): one line, no backticks."""
    return " ".join(text.replace("`", "'").split())


def translations_text(translations: dict[str, str]) -> str:
    return ", ".join(f"{language}: {text}" for language, text in sorted(translations.items()))


def translations_html(translations: dict[str, str], order: Iterable[str]) -> str:
    """Return the translations as inline HTML in ``order``: each in a span with its ``lang`` and ``dir``.

    The text inside is escaped as Markdown (so nothing in it is markup); the language code is one of
    the kit's own, never user text. Right-to-left text sits in ``dir="rtl"`` and reads in its own order.
    """
    from kurswerk.labels import LANGUAGES, RIGHT_TO_LEFT_LANGUAGES

    spans = []
    for code in order:
        if code not in translations or code not in LANGUAGES:
            continue
        direction = "rtl" if code in RIGHT_TO_LEFT_LANGUAGES else "ltr"
        spans.append(f'<abbr title="{LANGUAGES[code][0]}">{code}</abbr>: '
                     f'<span class="uebersetzung" lang="{code}" dir="{direction}">'
                     f'{escape(" ".join(translations[code].split()))}</span>')
    return " · ".join(spans)
