"""Checks of the programme file and the network files (``programm.yml``, ``netzwerke/*.yml``).

Schema errors come from the loader with file, line and key path. Codes: ``E-NETWORK-OFFICE`` (a
network without a counselling office of a required kind) and ``E-NETWORK-LOGO`` (a logo the file
names but the folder lacks).
"""

from __future__ import annotations

from pathlib import Path

from kurswerk.check.findings import Finding, Problem, finding_from_input_error
from kurswerk.check.lines import Documents
from kurswerk.errors import InputError, InputErrors
from kurswerk.programme import NETWORKS_FOLDER, OFFICE_KINDS, Network, load_network, load_programme, network_paths


def programme_findings(curricula: Path) -> list[Finding]:
    """Return the findings of ``programm.yml`` and of every network file under ``curricula``."""
    findings: list[Finding] = []
    try:
        load_programme(curricula)
    except InputErrors as error:
        findings += [finding_from_input_error(each) for each in error.errors]
    except InputError as error:
        findings.append(finding_from_input_error(error))
    documents = Documents()
    for path in network_paths(curricula):
        try:
            network = load_network(curricula, path.stem)
        except InputErrors as error:
            findings += [finding_from_input_error(each) for each in error.errors]
            continue
        except InputError as error:
            findings.append(finding_from_input_error(error))
            continue
        findings += documents.findings(path, _network_problems(network, curricula))
    return findings


def _network_problems(network: Network, curricula: Path) -> list[Problem]:
    problems = [Problem("E-NETWORK-OFFICE", ("offices",),
                        f"keine Stelle der Art „{name}“ ({kind}); tragen Sie unter offices eine ein, notfalls das "
                        "bundesweite Angebot aus programm.yml")
                for kind, name in OFFICE_KINDS.items() if not network.offices_of(kind)]
    logos = curricula / NETWORKS_FOLDER / "logos" / network.id
    problems += [Problem("E-NETWORK-LOGO", ("logos", index, "file"),
                         f"die Logo-Datei „{logo.file}“ fehlt im Ordner {NETWORKS_FOLDER}/logos/{network.id}/")
                 for index, logo in enumerate(network.logos) if not (logos / logo.file).is_file()]
    return problems
