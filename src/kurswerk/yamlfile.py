"""Reading curriculum files safely, and YAML syntax errors explained in plain German.

Only regular files are read, with the size limit applied while reading (a FIFO, a device or a
link to ``/dev/zero`` is refused before a byte is read); a file reached through a symbolic link
must lie inside the curricula folder. Nesting is limited on the event stream, before the YAML
loader builds (and recurses into) a tree. A syntax error becomes a German sentence with the line
and a caret under the column.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 1_000_000
"""A curriculum file larger than this is refused (nobody writes a 1 MB YAML file by hand)."""

MAX_DEPTH = 40
"""Deepest nesting of mappings and lists a curriculum file may have (the model needs about eight)."""


@dataclass(frozen=True)
class Refusal(Exception):
    """A file that is not read: code and German message (the caller adds the file name)."""

    code: str
    message: str


def confinement_of(path: Path) -> Path:
    """Return the folder a curriculum file must stay inside: the curricula folder above its sector.

    ``curricula/<sector>/modules/x.yml`` and ``curricula/<sector>/sector.yml`` both give
    ``curricula``; a file directly in a folder gives that folder's parent.
    """
    folder = path.parent
    if folder.name in ("modules", "trainings"):
        folder = folder.parent
    return folder.parent


def read_limited(path: Path, limit: int = MAX_FILE_BYTES, within: Path | None = None) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes; raises :class:`Refusal`.

    ``within``: the resolved file must lie inside this folder (links out of it are refused).
    """
    if within is not None:
        try:
            resolved = path.resolve(strict=True)
        except RuntimeError:
            raise Refusal("E-READ", "ist eine Schleife symbolischer Links") from None
        except OSError as error:
            raise Refusal("E-READ", f"kann nicht gelesen werden: {_reason(error)}") from None
        if not resolved.is_relative_to(within.resolve()):
            raise Refusal("E-READ", f"ist ein Link auf {resolved}, außerhalb von {within}; "
                                    "es werden nur Dateien im Projekt gelesen")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise Refusal("E-READ", f"kann nicht gelesen werden: {_reason(error)}") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Refusal("E-READ", f"ist keine gewöhnliche Datei ({_kind(status.st_mode)}); "
                                    "es werden nur Textdateien gelesen")
        data = handle.read(limit + 1)
    if len(data) > limit:
        size = max(status.st_size, len(data))
        raise Refusal("E-SIZE", f"ist {_number(size)} Byte groß; erlaubt sind höchstens {_number(limit)}")
    return data


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "eine benannte Pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "ein Gerät"
    if stat.S_ISSOCK(mode):
        return "ein Socket"
    if stat.S_ISDIR(mode):
        return "ein Ordner"
    return "keine Datei"


REASONS = {
    errno.ENOENT: "die Datei gibt es nicht",
    errno.EACCES: "keine Leseberechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EISDIR: "das ist ein Ordner",
    errno.ELOOP: "Schleife symbolischer Links",
    errno.ENAMETOOLONG: "der Name ist zu lang",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
}


def _reason(error: OSError) -> str:
    return REASONS.get(error.errno or 0, error.strerror or str(error))


def excerpt(text: str, line: int | None, column: int | None) -> str:
    """Return the 1-based ``line`` of ``text`` with its number and a caret under ``column`` (1-based).

    Tabs are shown as ``→`` so the caret stands under the right character.
    """
    lines = text.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", "→")
    if len(shown) > 100:
        start = max(0, (column or 1) - 60)
        shown = ("…" if start else "") + shown[start:start + 100] + "…"
        column = (column or 1) - start + (1 if start else 0)
    number = f"{line} | "
    caret = " " * (len(number) - 2) + "| " + " " * max(0, (column or 1) - 1) + "^"
    return f"{number}{shown}\n{caret}"


def explain(problem: str, context: str, text: str, line: int | None, column: int | None) -> str:
    """Return a German explanation of a YAML parser problem (ruamel's English wording)."""
    problem_lower = problem.lower()
    here = _line_text(text, line)
    if "\\t" in problem or "'\\t'" in problem or ("\t" in here[: (column or 1)] and "token" in problem_lower):
        return ("Tabulator: YAML erlaubt zum Einrücken nur Leerzeichen; ersetzen Sie den Tabulator durch "
                "Leerzeichen (zwei je Ebene)")
    if "duplicate key" in problem_lower:
        key = re.search(r'duplicate key "([^"]*)"', problem)
        named = f"„{key.group(1)}“ " if key else ""
        return f"Schlüssel {named}doppelt: derselbe Schlüssel steht zweimal in einer Ebene"
    if "expected '-' indicator" in problem_lower or ("block end" in problem_lower and "sequence" in context.lower()):
        return ("Einrückung: In einer Liste muss jeder Eintrag mit „- “ auf derselben Einrückung beginnen "
                "wie die Einträge davor")
    if "sequence entries are not allowed" in problem_lower:
        return ("Listeneintrag an falscher Stelle: Ein „- “ beginnt eine neue Zeile unter seinem Schlüssel, "
                "eingerückt, nicht hinter dem Doppelpunkt")
    if "mapping values are not allowed" in problem_lower:
        return ("Doppelpunkt an falscher Stelle oder Einrückung: Steht im Text ein „: “, setzen Sie den ganzen "
                "Wert in Anführungszeichen; sonst prüfen Sie die Einrückung dieser Zeile")
    if "expected <block end>" in problem_lower or "did not find expected key" in problem_lower:
        return ("Einrückung: Diese Zeile ist anders eingerückt als die Schlüssel ihrer Ebene; rücken Sie sie "
                "mit Leerzeichen genau unter ihre Nachbarn")
    if "could not find expected ':'" in problem_lower:
        return ("Doppelpunkt fehlt: Ein Schlüssel braucht „: “ vor dem Wert (oder der Text der Zeile davor ist "
                "nicht richtig eingerückt)")
    if "end of stream" in problem_lower and "quoted" in context.lower():
        return "Anführungszeichen nicht geschlossen: Ein Text in Anführungszeichen endet nicht"
    if "found unexpected end of stream" in problem_lower:
        return "Die Datei endet mitten in einem Wert: Klammer oder Anführungszeichen nicht geschlossen"
    if "found character" in problem_lower and "cannot start any token" in problem_lower:
        return (f"Zeichen an falscher Stelle ({problem.split('found character')[-1].split('that')[0].strip()}): "
                "Ein Wert, der mit @, ` oder % beginnt, gehört in Anführungszeichen")
    if "found undefined tag" in problem_lower or "could not determine a constructor" in problem_lower:
        return "YAML-Tag (!…) nicht erlaubt: Schreiben Sie den Wert als gewöhnlichen Text"
    if "expected ',' or ']'" in problem_lower or "expected ',' or '}'" in problem_lower:
        return "Klammer nicht geschlossen: Eine Liste in [ ] oder eine Zuordnung in { } ist nicht richtig beendet"
    return f"YAML-Syntaxfehler ({problem})"


def _line_text(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line is not None and 1 <= line <= len(lines) else ""
