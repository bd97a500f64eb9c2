"""YAML curricula → content model. Every error names file, line and key path.

The loader reads each file with ruamel.yaml (which keeps line numbers), refuses what YAML can do
but curricula never need (aliases, oversized files, duplicate keys), validates with the pydantic
model and maps each validation error back to the line it came from.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from kurswerk.errors import InputError, InputErrors, Location
from kurswerk.model import Catalogue, Glossary, Module, Sector, SectorCurriculum, Training

MAX_FILE_BYTES = 1_000_000
"""A curriculum file larger than this is refused (nobody writes a 1 MB YAML file by hand)."""

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file: plain data, and line numbers on demand.

    The data come from the fast C loader; the round-trip node tree that knows lines is parsed
    only when a line is asked for (an error or a check finding).
    """

    path: Path
    data: Any
    text: str = field(repr=False)
    _node: Any = field(default=None, repr=False)

    def line_of(self, key_path: Path_) -> int | None:
        """Return the 1-based line of the deepest node on ``key_path`` that exists."""
        if self._node is None:
            self._node = YAML(typ="rt", pure=True).load(self.text)
        return _line_of(self._node, key_path)


def display_path(path: Path) -> str:
    """Show a path relative to the working directory where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def format_key_path(key_path: Path_) -> str:
    """Format ``('vocabulary', 3, 'article')`` as ``vocabulary[3].article``."""
    text = ""
    for part in key_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file safely; raises :class:`InputError` naming file and line."""
    where = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(Location(where), f"cannot be read: {error.strerror}", code="E-READ") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            Location(where),
            f"is {len(raw):,} bytes; curriculum files may have at most {MAX_FILE_BYTES:,}",
            code="E-SIZE",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(Location(where), f"is not UTF-8 (byte {error.start})", code="E-ENCODING") from None
    yaml = YAML(typ="safe")
    try:
        for event in yaml.parse(text):
            if isinstance(event, AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise InputError(
                    Location(where, line),
                    f"uses the YAML alias '*{event.anchor}'; write the content out instead",
                    code="E-ALIAS",
                )
        data = _plain(YAML(typ="safe").load(text))
    except RecursionError:
        raise InputError(Location(where), "is nested too deeply to be a curriculum file", code="E-YAML") from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (error.problem or error.context or "invalid YAML").strip()
        if error.context and error.context_mark is not None and error.problem:
            problem += f" ({error.context.strip()} that starts at line {error.context_mark.line + 1})"
        raise InputError(Location(where, line), f"YAML syntax error: {problem}", code="E-YAML") from None
    except YAMLError as error:
        raise InputError(Location(where), f"YAML error: {error}", code="E-YAML") from None
    return YamlDocument(path=path, data=data, text=text)


def _plain(node: Any) -> Any:
    """Turn ruamel's round-trip types into plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _line_of(node: Any, key_path: Path_) -> int | None:
    line: int | None = node.lc.line + 1 if hasattr(node, "lc") and node.lc.line is not None else None
    for part in key_path:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def validate_document(document: YamlDocument, model: type[BaseModel]) -> Any:
    """Validate a parsed file against a model class; raises :class:`InputErrors` with lines."""
    where = display_path(document.path)
    if not isinstance(document.data, dict):
        raise InputError(Location(where, 1), "must be a mapping of keys to values", code="E-SCHEMA")
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        errors = [_to_input_error(document, where, model, detail) for detail in error.errors()]
        raise InputErrors(errors) from None


def _to_input_error(document: YamlDocument, where: str, model: type[BaseModel], detail: Any) -> InputError:
    key_path = _key_path(detail["loc"])
    line = document.line_of(key_path)
    kind = detail["type"]
    if kind == "extra_forbidden":
        message = f"unknown key '{key_path[-1]}'" + _did_you_mean(model, key_path)
        code = "E-UNKNOWN-KEY"
    elif kind == "missing":
        message = "is required but missing"
        code = "E-MISSING"
    else:
        message = _message(detail)
        code = "E-SCHEMA"
    return InputError(Location(where, line, format_key_path(key_path)), message, code=code)


def _key_path(loc: tuple[Any, ...]) -> Path_:
    """Drop pydantic's internal steps (union branches, validator names) from an error location."""
    parts: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(part)
        elif isinstance(part, str) and not part.startswith(("function-", "literal[", "constrained-str")):
            if part in {"str", "int", "float", "bool"}:
                continue
            parts.append(part)
    return tuple(parts)


def _message(detail: Any) -> str:
    text = str(detail["msg"])
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    if detail["type"] == "string_pattern_mismatch":
        pattern = detail.get("ctx", {}).get("pattern", "")
        if "a-z0-9" in pattern:
            return f"'{detail['input']}' is not a valid id: use lower-case letters, digits and hyphens"
        if pattern.startswith("^Ich kann"):
            return "a can-do statement must begin with 'Ich kann '"
    return text[0].lower() + text[1:] if text else text


def _did_you_mean(model: type[BaseModel], key_path: Path_) -> str:
    names = _field_names_at(model, key_path[:-1])
    close = difflib.get_close_matches(str(key_path[-1]), names, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _field_names_at(model: type[BaseModel], key_path: Path_) -> list[str]:
    current: Any = model
    for part in key_path:
        current = _step(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    """Follow one key of a path through model classes, lists, dicts and optionals."""
    for candidate in _unwrap(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
            for name, info in candidate.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
        origin = typing.get_origin(candidate)
        if origin in (list, dict):
            return typing.get_args(candidate)[-1]
    return None


def _unwrap(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [inner for arg in typing.get_args(annotation) for inner in _unwrap(arg)]
    return [annotation]


def load_file(path: Path, model: type[BaseModel]) -> Any:
    """Read and validate one curriculum file as ``model``."""
    return validate_document(read_yaml(path), model)


def load_sector(folder: Path) -> SectorCurriculum:
    """Load one sector folder; collects the errors of all its files before raising."""
    errors: list[InputError] = []
    files: dict[str, str] = {}

    def attempt(path: Path, model: type[BaseModel]) -> Any:
        try:
            return load_file(path, model)
        except InputErrors as error:
            errors.extend(error.errors)
        except InputError as error:
            errors.append(error)
        return None

    sector = attempt(folder / "sector.yml", Sector)
    modules = _load_items(folder / "modules", Module, attempt, files, "module", errors)
    trainings = _load_items(folder / "trainings", Training, attempt, files, "training", errors)
    glossary_path = folder / "glossary.yml"
    glossary = attempt(glossary_path, Glossary) if glossary_path.exists() else Glossary()
    if sector is not None:
        files["sector"] = str(folder / "sector.yml")
        if sector.id != folder.name:
            message = f"'{sector.id}' must match the folder name '{folder.name}'"
            errors.append(_error(folder / "sector.yml", ("id",), message, "E-ID"))
        known = {module.id for module in modules}
        for number, module_id in enumerate(sector.course.modules):
            if module_id not in known:
                message = f"names the module '{module_id}', which does not exist"
                errors.append(_error(folder / "sector.yml", ("course", "modules", number), message, "E-REFERENCE"))
    if glossary_path.exists():
        files["glossary"] = str(glossary_path)
    if errors:
        raise InputErrors(errors)
    return SectorCurriculum(sector=sector, modules=modules, trainings=trainings, glossary=glossary, files=files)


def _load_items(
    folder: Path,
    model: type[BaseModel],
    attempt: Any,
    files: dict[str, str],
    kind: str,
    errors: list[InputError],
) -> list[Any]:
    items: list[Any] = []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        item = attempt(path, model)
        if item is None:
            continue
        if item.id != path.stem:
            errors.append(_error(path, ("id",), f"'{item.id}' must match the file name '{path.stem}.yml'", "E-ID"))
        elif f"{kind}:{item.id}" in files:
            errors.append(_error(path, ("id",), f"duplicate {kind} id '{item.id}'", "E-DUPLICATE-ID"))
        files[f"{kind}:{item.id}"] = str(path)
        items.append(item)
    return items


def _error(path: Path, key_path: Path_, message: str, code: str) -> InputError:
    line = read_yaml(path).line_of(key_path)
    return InputError(Location(display_path(path), line, format_key_path(key_path)), message, code=code)


def sector_folders(root: Path) -> list[Path]:
    """Return the sector folders of a curricula root (those with a ``sector.yml``)."""
    if not root.is_dir():
        raise InputError(Location(display_path(root)), "is not a folder of curricula", code="E-READ")
    return sorted(path.parent for path in root.glob("*/sector.yml"))


def load_catalogue(root: Path, only: list[str] | None = None) -> Catalogue:
    """Load every sector under ``root`` (or only those named); raises :class:`InputErrors`."""
    errors: list[InputError] = []
    sectors: list[SectorCurriculum] = []
    folders = sector_folders(root)
    if only:
        missing = sorted(set(only) - {folder.name for folder in folders})
        if missing:
            raise InputError(Location(display_path(root)), f"has no sector {', '.join(missing)}", code="E-REFERENCE")
        folders = [folder for folder in folders if folder.name in only]
    for folder in folders:
        try:
            sectors.append(load_sector(folder))
        except InputErrors as error:
            errors.extend(error.errors)
    if errors:
        raise InputErrors(errors)
    if not sectors:
        raise InputError(Location(display_path(root)), "holds no sector (no */sector.yml)", code="E-EMPTY")
    return Catalogue(sectors=sectors)
