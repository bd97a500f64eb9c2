"""Click's own words in German: "Usage", "Options", its error messages and the help option.

Click looks its strings up with :mod:`gettext` at the moment it prints them, through the names
``_`` and ``ngettext`` in each of its modules. :func:`install` points those names at a German
table, so ``kurswerk --help`` and a mistyped option speak the language of the rest of the tool.
A string the table does not know stays as Click wrote it.
"""

from __future__ import annotations

import sys

GERMAN = {
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Show this message and exit.": "Diese Hilfe zeigen und beenden.",
    "Show the version and exit.": "Die Version zeigen und beenden.",
    "%(prog)s, version %(version)s": "%(prog)s, Version %(version)s",
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe: „{command} {option}“.",
    "No such command {name!r}.": "Den Befehl „{name}“ gibt es nicht.",
    "No such option {name!r}.": "Die Option „{name}“ gibt es nicht.",
    "No such option: {name}": "Die Option „{name}“ gibt es nicht.",
    "Option {name!r} does not take a value.": "Die Option „{name}“ nimmt keinen Wert.",
    "Option {name!r} requires an argument.": "Die Option „{name}“ braucht einen Wert.",
    "Option {name!r} requires {nargs} arguments.": "Die Option „{name}“ braucht {nargs} Werte.",
    "Missing argument": "Argument fehlt",
    "Missing option": "Option fehlt",
    "Missing parameter": "Angabe fehlt",
    "Missing command.": "Befehl fehlt.",
    "Missing {param_type}": "{param_type} fehlt",
    "Missing parameter: {param_name}": "Angabe fehlt: {param_name}",
    "argument": "Argument",
    "option": "Option",
    "parameter": "Angabe",
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "{value!r} is not a valid {number_type}.": "„{value}“ ist keine gültige Zahl.",
    "{value} is not in the range {range}.": "{value} liegt nicht im Bereich {range}.",
    "{value!r} is not {choice}.": "„{value}“ ist nicht {choice}.",
    "{value!r} is not one of {choices}.": "„{value}“ ist nicht eins von {choices}.",
    "Choose from:\n\t{choices}": "Zur Wahl:\n\t{choices}",
    "{name} {filename!r} does not exist.": "{name} „{filename}“ gibt es nicht.",
    "{name} {filename!r} is a file.": "{name} „{filename}“ ist eine Datei.",
    "{name} {filename!r} is a directory.": "{name} „{filename}“ ist ein Ordner.",
    "{name} {filename!r} is not readable.": "{name} „{filename}“ ist nicht lesbar.",
    "{name} {filename!r} is not writable.": "{name} „{filename}“ ist nicht beschreibbar.",
    "Directory": "Ordner",
    "File": "Datei",
    "Path": "Pfad",
    "file": "Datei",
    "directory": "Ordner",
    "path": "Pfad",
    "default: {default}": "Standard: {default}",
    "required": "Pflicht",
    "Aborted!": "Abgebrochen.",
    "Got unexpected extra argument ({args})": "Unerwartetes zusätzliches Argument ({args})",
    "Got unexpected extra arguments ({args})": "Unerwartete zusätzliche Argumente ({args})",
    "Did you mean {possibility}?": "Meinten Sie {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Meinten Sie eins von: {possibilities}?)",
}
"""Click's message ids → German."""

MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators", "termui", "utils")


def _german(message: str) -> str:
    return GERMAN.get(message, message)


def _german_plural(singular: str, plural: str, count: int) -> str:
    return _german(singular if count == 1 else plural)


def install() -> None:
    """Point Click's ``_`` and ``ngettext`` at the German table (idempotent)."""
    import click  # noqa: F401  (loads the modules patched below)

    for name in MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _german  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _german_plural  # type: ignore[attr-defined]
