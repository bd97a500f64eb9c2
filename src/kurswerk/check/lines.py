"""The YAML files of one check run, each read once, and the look-up of a key path's line in them.

:class:`Documents` is the cache the checks share; it turns :class:`~kurswerk.check.findings.Problem`
objects into :class:`~kurswerk.check.findings.Finding` objects that name file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kurswerk.check.findings import Finding, KeyPath, Problem, severity_of
from kurswerk.errors import InputError
from kurswerk.load import YamlDocument, display_path, format_key_path, read_yaml


@dataclass
class Documents:
    """Parsed YAML files of one run, each read once; turns problems into findings with lines."""

    cache: dict[Path, YamlDocument] = field(default_factory=dict)
    lines: dict[Path, dict[KeyPath, tuple[int, int]]] = field(default_factory=dict)

    def get(self, path: Path) -> YamlDocument:
        """Return the parsed file; raises :class:`InputError` if it cannot be read."""
        if path not in self.cache:
            self.cache[path] = read_yaml(path)
        return self.cache[path]

    def line(self, path: Path, key_path: KeyPath) -> int | None:
        """Return the line of the deepest node on ``key_path`` that exists, as ``line_of`` does."""
        return self.position(path, key_path)[0]

    def position(self, path: Path, key_path: KeyPath) -> tuple[int | None, int | None]:
        """Return line and column (1-based) of the deepest node on ``key_path`` that exists.

        The positions come from libyaml's node tree (about 20 times faster than the round-trip parse,
        which matters when a sector has hundreds of findings); ``line_of`` is the fallback.
        """
        try:
            document = self.get(path)
        except InputError:
            return None, None
        if path not in self.lines:
            self.lines[path] = _line_index(document.text) if hasattr(document, "text") else {}
        index = self.lines[path]
        if not index:
            return document.line_of(key_path), None
        for end in range(len(key_path), -1, -1):
            if key_path[:end] in index:
                return index[key_path[:end]]
        return None, None

    def finding(self, path: Path, problem: Problem) -> Finding:
        """Return the finding for a problem in ``path``, with the line and column of its key path."""
        line, column = self.position(path, problem.key_path)
        return Finding(problem.code, severity_of(problem.code), display_path(path), line,
                       format_key_path(problem.key_path), problem.message, column)

    def findings(self, path: Path, problems: Iterable[Problem]) -> list[Finding]:
        """Return the findings for several problems in one file."""
        return [self.finding(path, problem) for problem in problems]


def _line_index(text: str) -> dict[KeyPath, tuple[int, int]]:
    """Return 1-based line and column of every key path of a YAML text (empty if libyaml cannot parse it)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        root = YAML(typ="safe").compose(text)
    except YAMLError:
        return {}
    index: dict[KeyPath, tuple[int, int]] = {}
    if root is not None:
        index[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
        _index_node(root, (), index)
    return index


def _index_node(node: Any, key_path: KeyPath, index: dict[KeyPath, tuple[int, int]]) -> None:
    """Add the line of every key path below ``node`` to ``index`` (a key's own line for mappings)."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        children = [((*key_path, str(key.value)), key, value) for key, value in node.value]
    elif isinstance(node, SequenceNode):
        children = [((*key_path, number), value, value) for number, value in enumerate(node.value)]
    else:
        return
    for child_path, marker, child in children:
        index[child_path] = (marker.start_mark.line + 1, marker.start_mark.column + 1)
        _index_node(child, child_path, index)
