"""MyST page sections → plain Markdown a trainer edits in JupyterLab, and the editable notebook.

The book's Markdown escapes every character Sphinx could read as markup and carries labels,
roles and directives; a notebook for editing needs none of that. :func:`plain_markdown` removes
labels, turns admonitions into block quotes and roles into their text, and drops the escapes.
"""

from __future__ import annotations

import re
from typing import Any

LABEL = re.compile(r"^\([^)\n]*\)=\n", re.MULTILINE)
ROLE = re.compile(r"\{(?:ref|download|term|doc)\}`((?:[^`\\]|\\.)*?)(?:\s*<[^>`]*>)?`")
FENCE = re.compile(r"^(`{3,}|:{3,})\{(admonition|note|tip|important|warning|dropdown)\}[ \t]*([^\n]*)\n"
                   r"((?::[a-z-]+:[^\n]*\n)*)(.*?)^\1[ \t]*$\n?", re.MULTILINE | re.DOTALL)
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

DEFAULT_TITLES = {"note": "Hinweis", "tip": "Tipp", "important": "Wichtig", "warning": "Achtung"}


def plain_markdown(text: str) -> str:
    """Return ``text`` (MyST as the book writes it) as plain Markdown: no labels, roles, directives or escapes."""
    text = LABEL.sub("", text)
    text = FENCE.sub(_quote, text)
    text = ROLE.sub(lambda match: match.group(1), text)
    return ESCAPE.sub(lambda match: match.group(1), text).strip() + "\n"


def _quote(match: re.Match[str]) -> str:
    title = match.group(3).strip() or DEFAULT_TITLES.get(match.group(2), "")
    body = plain_markdown(match.group(5)).rstrip("\n")
    lines = ([f"**{title}**", ""] if title else []) + body.splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n"


def editable_notebook(sections: list[str], parameters: dict[str, str], call: str) -> Any:
    """Return an nbformat notebook: the parameters cell first, then one plain Markdown cell per section.

    ``call`` is the code that makes the page again from the curriculum (kept as a comment, so
    running the notebook changes nothing a trainer wrote).
    """
    import nbformat

    values = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    source = ("# Parameter: welche Seite dieses Notebook zeigt. Die Texte darunter sind gewöhnliche\n"
              "# Markdown-Zellen: Ändern Sie sie für Ihren Kurs (Doppelklick auf eine Zelle).\n"
              f"{values}\n# Aus dem Kursplan neu erzeugen: {call}")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source, metadata={"tags": ["parameters"]})]
    notebook.cells += [nbformat.v4.new_markdown_cell(plain_markdown(section).rstrip("\n")) for section in sections]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook
