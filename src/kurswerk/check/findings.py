"""Findings: the result type of every check, its severity, and the lines ``kurswerk check`` prints.

A check first yields :class:`Problem` objects (code, key path, message), which know nothing of
their file; :class:`kurswerk.check.lines.Documents` turns them into :class:`Finding` objects with
file and line. A code starting with ``E-`` is an error, one starting with ``W-`` a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kurswerk.errors import InputError

Severity = Literal["error", "warning"]
KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One result of a content check."""

    code: str
    severity: Severity
    file: str
    line: int | None
    key_path: str
    message: str
    column: int | None = None
    excerpt: str = ""
    """The offending line with a caret under the column (YAML syntax errors), or empty."""

    def __str__(self) -> str:
        return format_line(self)

    def as_json(self) -> dict[str, object]:
        """Return the finding as a JSON object (``kurswerk check --format json``)."""
        return {"file": self.file, "line": self.line, "column": self.column, "code": self.code,
                "severity": self.severity, "key_path": self.key_path, "message": self.message}


@dataclass(frozen=True)
class Problem:
    """A finding before it knows its file: code, key path inside the file, message."""

    code: str
    key_path: KeyPath
    message: str


def severity_of(code: str) -> Severity:
    """Return ``"error"`` for ``E-`` codes, ``"warning"`` for all others."""
    return "error" if code.startswith("E-") else "warning"


def finding_from_input_error(error: InputError) -> Finding:
    """Return the error finding for an error of the loader (schema, YAML, references)."""
    where = error.location
    return Finding(error.code, "error", str(where.file), where.line, where.key_path, error.message,
                   where.column, error.excerpt)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return whether any finding is an error (not only warnings)."""
    return any(finding.severity == "error" for finding in findings)


def format_line(finding: Finding) -> str:
    """Return ``file:line:col: CODE key.path: message``, the form editors and problem matchers read.

    Line and column default to 1 when unknown, so every finding has the same shape. A warning whose
    code starts with ``E-`` (an incomplete draft) ends with ``(Entwurf)``.
    """
    key = f" {finding.key_path}:" if finding.key_path else ":"
    draft = " (Entwurf)" if finding.severity == "warning" and finding.code.startswith("E-") else ""
    message = " ".join(finding.message.split())
    return f"{finding.file}:{finding.line or 1}:{finding.column or 1}: {finding.code}{key} {message}{draft}"


def format_lines(findings: Iterable[Finding], colour: bool = False) -> str:
    """Return one line per finding (plus its excerpt, indented), coloured for a terminal if asked."""
    lines = []
    for finding in findings:
        line = format_line(finding)
        if colour:
            tint = "31" if finding.severity == "error" else "33"
            location, rest = line.split(": ", 1)
            line = f"\033[1m{location}:\033[0m \033[{tint}m{rest}\033[0m"
        lines.append(line)
        lines += [f"    {text}" for text in finding.excerpt.splitlines()]
    return "\n".join(lines)


def summary(findings: list[Finding]) -> str:
    """Return the summary line: errors, warnings and in how many files."""
    errors = sum(1 for finding in findings if finding.severity == "error")
    warnings = len(findings) - errors
    files = len({finding.file for finding in findings})
    where = f" in {files} {'Datei' if files == 1 else 'Dateien'}" if findings else ""
    return (f"{errors} {'Fehler'}, {warnings} {'Warnung' if warnings == 1 else 'Warnungen'}{where}.")


def findings_json(findings: list[Finding], coverage: list[dict[str, object]] | None = None) -> str:
    """Return the findings, their counts and the translation coverage as JSON (``--format json``)."""
    import json

    errors = sum(1 for finding in findings if finding.severity == "error")
    return json.dumps({"findings": [finding.as_json() for finding in findings], "errors": errors,
                       "warnings": len(findings) - errors, "translations": coverage or []},
                      ensure_ascii=False, indent=2)
