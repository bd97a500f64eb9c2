"""Findings: the result type of every check, its severity, and the table ``kurswerk check`` prints.

A check first yields :class:`Problem` objects (code, key path, message), which know nothing of
their file; :class:`kurswerk.check.lines.Documents` turns them into :class:`Finding` objects with
file and line. A code starting with ``E-`` is an error, one starting with ``W-`` a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kurswerk.errors import InputError

if TYPE_CHECKING:
    from rich.table import Table

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

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}{key} [{self.code}] {self.message}"


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
    return Finding(error.code, "error", str(where.file), where.line, where.key_path, error.message)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return whether any finding is an error (not only warnings)."""
    return any(finding.severity == "error" for finding in findings)


def format_table(findings: Iterable[Finding]) -> Table:
    """Return a rich table with the columns Ort (file:line), Schlüssel, Code, Meldung."""
    from rich.table import Table

    table = Table(title="Inhaltsprüfung", show_lines=False)
    for name in ("Ort", "Schlüssel", "Code", "Meldung"):
        table.add_column(name, overflow="fold")
    for finding in findings:
        where = f"{finding.file}:{finding.line}" if finding.line else finding.file
        style = "red" if finding.severity == "error" else "yellow"
        table.add_row(where, finding.key_path, finding.code, finding.message, style=style)
    return table
