"""Quick validation for content authors: ``python -m kurswerk.validate [--spelling] FOLDER…``.

Prints schema errors with file, line and key path; with ``--spelling`` also the words that the
German dictionary and the sector word lists do not know. Exit code 0 when clean, 2 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kurswerk.errors import InputError, InputErrors
from kurswerk.load import load_sector


def main(arguments: list[str]) -> int:
    """Validate each sector folder named in ``arguments``; returns the exit code."""
    spelling = "--spelling" in arguments
    folders = [Path(argument) for argument in arguments if not argument.startswith("--")]
    status = 0
    for folder in folders:
        try:
            curriculum = load_sector(folder)
        except InputErrors as error:
            print(error)
            status = 2
            continue
        except InputError as error:
            print(error)
            status = 2
            continue
        print(f"{folder}: schema ok ({len(curriculum.modules)} modules, {len(curriculum.trainings)} trainings, "
              f"{len(curriculum.glossary.terms)} glossary terms)")
        if spelling:
            from kurswerk.check import spelling_findings

            findings = spelling_findings(curriculum, folder.parent)
            for finding in findings:
                print(finding)
            status = status or (2 if findings else 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
