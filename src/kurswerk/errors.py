"""The kit's exception hierarchy: one root, subclasses that carry structured fields.

Every error a user can cause is a :class:`KurswerkError`; the CLI maps
:class:`InputError` to exit code 2 and :class:`BuildError` to exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def counted(number: int, singular: str, plural: str) -> str:
    """Return ``number`` with the German noun in the right number: ``1 Ziel``, ``3 Ziele``."""
    return f"{number} {singular if number == 1 else plural}"


def listing(items: list[str], conjunction: str = "und") -> str:
    """Join items the German way: ``A``, ``A und B``, ``A, B und C`` (or with ``oder``)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def quoted(text: object) -> str:
    """Return text in German quotation marks: „Text“."""
    return f"\u201e{text}\u201c"


class KurswerkError(Exception):
    """Root of every error the kit raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class Location:
    """A place in a curriculum file: path, 1-based line, dotted key path and 1-based column."""

    file: Path | str
    line: int | None = None
    key_path: str = ""
    column: int | None = None

    def __str__(self) -> str:
        text = str(self.file)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class InputError(KurswerkError):
    """Bad input: a curriculum, a parameter or a command-line value (exit code 2)."""

    exit_code = 2

    def __init__(self, location: Location, message: str, *, code: str = "E-INPUT", excerpt: str = "") -> None:
        self.location = location
        self.message = message
        self.code = code
        self.excerpt = excerpt
        """The offending line with a caret under the column (YAML syntax errors), or empty."""
        super().__init__(str(self))

    def __str__(self) -> str:
        key = f" {self.location.key_path}:" if self.location.key_path else ""
        shown = "".join(f"\n    {line}" for line in self.excerpt.splitlines())
        return f"{self.location}{key} {self.message}{shown}"


class InputErrors(InputError):
    """Several input errors found in one pass; formats as one line per error."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.location, first.message, code=first.code)

    def __str__(self) -> str:
        return "\n".join(InputError.__str__(error) for error in self.errors)


class BuildError(KurswerkError):
    """A stage failed while building (exit code 1)."""

    exit_code = 1


@dataclass
class TargetFailure:
    """One failed build target, with what a user needs to find the cause."""

    target: str
    sector: str
    item: str
    message: str
    cell: int | None = None
    kept_at: str | None = None

    def __str__(self) -> str:
        where = f"{self.sector}/{self.item}"
        cell = f", Zelle {self.cell}" if self.cell is not None else ""
        kept = f" (gespeichert unter {self.kept_at})" if self.kept_at else ""
        return f"{self.target} [{where}{cell}]: {self.message}{kept}"


class TargetsFailed(BuildError):
    """One or more targets failed; the others completed."""

    def __init__(self, failures: list[TargetFailure]) -> None:
        self.failures = failures
        super().__init__(str(self))

    def __str__(self) -> str:
        verb = "ist" if len(self.failures) == 1 else "sind"
        lines = [f"{counted(len(self.failures), 'Ziel', 'Ziele')} {verb} fehlgeschlagen:"]
        lines += [f"  {failure}" for failure in self.failures]
        return "\n".join(lines)
