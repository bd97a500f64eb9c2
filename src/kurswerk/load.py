"""YAML curricula → content model. Every error names file, line and key path.

The loader reads each file with ruamel.yaml (which keeps line numbers), refuses what YAML can do
but curricula never need (aliases, oversized files, duplicate keys), validates with the pydantic
model and maps each validation error back to the line it came from.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

from kurswerk.errors import InputError, InputErrors, Location, counted, listing, quoted
from kurswerk.model import Catalogue, Glossary, Module, Sector, SectorCurriculum, Training, TranslationFile
from kurswerk.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, Refusal, confinement_of, excerpt, explain, read_limited

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
            try:
                self._node = YAML(typ="rt", pure=True).load(self.text)
            except YAMLError:  # the round-trip parser is stricter (a tab after "key:"): no line, still the error
                self._node = False
        return _line_of(self._node, key_path) if self._node is not False else None


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


def read_yaml(path: Path, within: Path | None = None) -> YamlDocument:
    """Parse one YAML file safely; raises :class:`InputError` naming file, line and column.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read; a file reached through a link
    must lie inside ``within`` (default: the curricula folder above the file, see
    :func:`~kurswerk.yamlfile.confinement_of`). Nesting deeper than
    :data:`~kurswerk.yamlfile.MAX_DEPTH` is refused on the event stream, before a tree is built.
    """
    where = display_path(path)
    try:
        raw = read_limited(path, MAX_FILE_BYTES, within if within is not None else confinement_of(path))
    except Refusal as refusal:
        raise InputError(Location(where), refusal.message, code=refusal.code) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(Location(where), f"ist nicht in UTF-8 gespeichert (Byte {error.start}); speichern Sie "
                                          "die Datei im Editor als UTF-8", code="E-ENCODING") from None
    try:
        depth = 0
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                raise InputError(
                    Location(where, line),
                    f"verwendet den YAML-Verweis „*{event.anchor}“; schreiben Sie den Inhalt aus",
                    code="E-ALIAS",
                )
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    line = mark.line + 1 if mark else None
                    raise InputError(Location(where, line, column=mark.column + 1 if mark else None),
                                     f"ist tiefer als {MAX_DEPTH} Ebenen verschachtelt; so tief geht keine "
                                     "Kursdatei", code="E-YAML")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
        data = _plain(YAML(typ="safe").load(text))
    except RecursionError:
        raise InputError(Location(where), "ist zu tief verschachtelt für eine Kursdatei", code="E-YAML") from None
    except ValueError as error:  # e.g. an integer of thousands of digits (Python refuses to convert it)
        raise InputError(Location(where), f"enthält einen Wert, den kein Kursplan braucht ({error})",
                         code="E-YAML") from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and "end of stream" in str(error.problem or ""):
            mark = error.context_mark  # where the unclosed quote or bracket began, not the file's end
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        message = explain(str(error.problem or ""), str(error.context or ""), text, line, column)
        begun = error.context_mark
        if begun is not None and begun is not mark and begun.line + 1 != line:
            message += f" (begonnen in Zeile {begun.line + 1})"
        raise InputError(Location(where, line, column=column), message, code="E-YAML",
                         excerpt=excerpt(text, line, column)) from None
    except YAMLError as error:
        raise InputError(Location(where), f"YAML-Fehler: {error}", code="E-YAML") from None
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
        message = ("ist leer; eine Kursdatei besteht aus Schlüsseln mit Werten („schlüssel: wert“)"
                   if document.data is None else
                   "muss aus Schlüsseln mit Werten bestehen („schlüssel: wert“), nicht aus einer Liste "
                   "oder einem einzelnen Wert")
        raise InputError(Location(where, 1), message, code="E-SCHEMA")
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        errors = [_to_input_error(document, where, model, detail) for detail in _merged(error.errors())]
        raise InputErrors(errors) from None


def _to_input_error(document: YamlDocument, where: str, model: type[BaseModel], detail: Any) -> InputError:
    key_path = _key_path(detail["loc"])
    line = document.line_of(key_path)
    kind = detail["type"]
    if kind == "extra_forbidden":
        message = f"unbekannter Schlüssel {quoted(key_path[-1])}" + _did_you_mean(model, key_path)
        code = "E-UNKNOWN-KEY"
    elif kind == "missing":
        message = "Pflichtangabe fehlt"
        code = "E-MISSING"
    elif kind.startswith("E-"):  # a rule of the content model with a finding code of its own
        message = str(detail.get("ctx", {}).get("message", detail["msg"]))
        code = kind
    else:
        message = _message(detail)
        code = "E-SCHEMA"
    return InputError(Location(where, line, format_key_path(key_path)), message, code=code)


def _key_path(loc: tuple[Any, ...]) -> Path_:
    """Drop pydantic's internal steps (union branches, validator names, ``[key]``) from an error location.

    An error in a mapping's key (``[key]``) thus points at that key itself.
    """
    parts: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(part)
        elif isinstance(part, str) and not part.startswith(("function-", "literal[", "constrained-str")):
            if part in {"str", "int", "float", "bool", "[key]"}:
                continue
            parts.append(part)
    return tuple(parts)


def _expected(kind: str) -> str | None:
    """Return what a type error of this pydantic ``type`` expected, in German; ``None`` for other errors."""
    if kind in ("string_type", "string_unicode"):
        return "ein Text"
    if kind.startswith("int_"):
        return "eine ganze Zahl"
    if kind.startswith("float_"):
        return "eine Zahl"
    if kind.startswith("bool_"):
        return "true oder false"
    if kind == "list_type":
        return "eine Liste (Zeilen mit „- “)"
    if kind == "dict_type":
        return "eine Zuordnung („schlüssel: wert“)"
    if kind in ("model_type", "model_attributes_type", "dataclass_type"):
        return "ein Abschnitt mit eingerückten Schlüsseln"
    return None


def _merged(details: list[Any]) -> list[Any]:
    """Fold the errors a value gets against each type of a union (``float | int | Text``) into one.

    If one type fitted and only its constraint failed (an empty text), that error alone is kept;
    otherwise the type errors become one error that lists every expected type.
    """
    groups: dict[tuple[Path_, bool], list[Any]] = {}
    for detail in details:
        groups.setdefault((_key_path(detail["loc"]), detail["loc"][-1:] == ("[key]",)), []).append(detail)
    merged = []
    for group in groups.values():
        typed = [detail for detail in group if _expected(detail["type"])]
        if len(group) == 1 or not typed:
            merged += group
        elif len(typed) < len(group):
            merged += [detail for detail in group if not _expected(detail["type"])]
        else:
            names = list(dict.fromkeys(str(_expected(detail["type"])) for detail in typed))
            if "eine Zahl" in names and "eine ganze Zahl" in names:
                names.remove("eine ganze Zahl")
            merged.append({**typed[0], "expected": names})
    return merged


def _shown(value: Any) -> str:
    """Return a scalar input as the author wrote it, shortened, in German quotation marks."""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return quoted(text if len(text) <= 40 else text[:39] + "…")


def _wrong_type(detail: Any) -> str:
    expected = listing(detail.get("expected") or [str(_expected(detail["type"]))], "oder")
    value = detail.get("input")
    if value is None:
        return f"ist leer; erwartet wird {expected}"
    if isinstance(value, list):
        return f"muss {expected} sein, keine Liste"
    if isinstance(value, dict):
        return f"muss {expected} sein, kein Abschnitt mit Schlüsseln"
    return f"muss {expected} sein, nicht {_shown(value)}"


def _not_allowed(detail: Any) -> str:
    """Return the message for a value (or a mapping's key) outside a fixed list, with a suggestion."""
    values = re.findall(r"'((?:[^'\\]|\\.)*)'", str(detail.get("ctx", {}).get("expected", "")))
    allowed = f"erlaubt ist nur {values[0]}" if len(values) == 1 else f"erlaubt sind {listing(values, 'oder')}"
    value = detail.get("input")
    if value is None:
        return f"ist leer; {allowed}"
    close = difflib.get_close_matches(str(value), values, n=1, cutoff=0.6) if isinstance(value, str) else []
    hint = f" (meinten Sie {quoted(close[0])}?)" if close and len(close[0]) > 3 else ""  # not for der/die/das
    what = " als Schlüssel" if detail["loc"][-1:] == ("[key]",) else ""
    return f"{_shown(value)} ist{what} nicht erlaubt; {allowed}{hint}"


def _pattern_mismatch(detail: Any) -> str:
    pattern = str(detail.get("ctx", {}).get("pattern", ""))
    value = _shown(detail.get("input"))
    if "a-z0-9" in pattern:
        return (f"{value} ist keine gültige Kennung: erlaubt sind Kleinbuchstaben ohne Umlaute, Ziffern und "
                "einzelne Bindestriche (z. B. dienstuebergabe)")
    if pattern.startswith("^Ich kann"):
        return "eine Kann-Beschreibung muss mit „Ich kann “ beginnen"
    if pattern.startswith("^(19|20)"):
        return f"{value} ist keine Jahresangabe; schreiben Sie z. B. 2023 oder 2022/23"
    if pattern == "^[a-z]{2}$":
        return f"{value} ist kein Sprachkürzel; schreiben Sie zwei Kleinbuchstaben wie en, ar oder uk"
    if pattern == r"^\d\d:\d\d$":
        return f"{value} ist keine Uhrzeit; schreiben Sie sie wie 09:30"
    return f"{value} hat nicht die verlangte Form (Muster {pattern})"


def _length(detail: Any) -> str:
    """Return the message for a list or text that is too short or too long."""
    kind, ctx, value = detail["type"], detail.get("ctx", {}), detail.get("input")
    if isinstance(value, str) or kind.startswith("string_"):
        size = len(value) if isinstance(value, str) else 0
        if kind.endswith("too_long"):
            return f"ist zu lang ({size} Zeichen); erlaubt sind höchstens {ctx.get('max_length')}"
        if not str(value or "").strip():
            return "ist leer; hier gehört ein Text hin"
        return f"ist zu kurz; nötig sind mindestens {counted(int(ctx.get('min_length', 1)), 'Zeichen', 'Zeichen')}"
    actual = int(ctx.get("actual_length", 0))
    if kind == "too_long":
        return f"hat {counted(actual, 'Eintrag', 'Einträge')}; erlaubt sind höchstens {ctx.get('max_length')}"
    least = int(ctx.get("min_length", 1))
    if actual == 0:
        return f"ist leer; nötig {'ist' if least == 1 else 'sind'} mindestens {counted(least, 'Eintrag', 'Einträge')}"
    return f"hat {counted(actual, 'Eintrag', 'Einträge')}; nötig sind mindestens {least}"


_BOUNDS = {"greater_than": ("gt", "muss größer als {} sein"), "greater_than_equal": ("ge", "muss mindestens {} sein"),
           "less_than": ("lt", "muss kleiner als {} sein"), "less_than_equal": ("le", "darf höchstens {} sein")}


def _message(detail: Any) -> str:
    """Return the German message for one pydantic error, chosen by its ``type``."""
    kind = detail["type"]
    if _expected(kind):
        return _wrong_type(detail)
    if kind == "literal_error":
        return _not_allowed(detail)
    if kind == "string_pattern_mismatch":
        return _pattern_mismatch(detail)
    if kind in ("too_short", "too_long", "string_too_short", "string_too_long"):
        return _length(detail)
    if kind in _BOUNDS:
        name, text = _BOUNDS[kind]
        return text.format(detail.get("ctx", {}).get(name)) + f", nicht {detail.get('input')}"
    if kind in ("value_error", "assertion_error"):
        return str(detail.get("ctx", {}).get("error", detail["msg"]))
    value = detail.get("input")
    shown = f" {_shown(value)}" if isinstance(value, str | int | float) else ""
    return f"ungültiger Wert{shown} (Prüfung {quoted(kind)})"


def _did_you_mean(model: type[BaseModel], key_path: Path_) -> str:
    names = _field_names_at(model, key_path[:-1])
    close = difflib.get_close_matches(str(key_path[-1]), names, n=1, cutoff=0.6)
    return f" (meinten Sie {quoted(close[0])}?)" if close else ""


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


def _collecting(errors: list[InputError]) -> Callable[[Path, type[BaseModel]], Any]:
    """Return a loader of one file that adds its errors to ``errors`` and returns None instead of raising."""

    def attempt(path: Path, model: type[BaseModel]) -> Any:
        try:
            return load_file(path, model)
        except InputErrors as error:
            errors.extend(error.errors)
        except InputError as error:
            errors.append(error)
        return None

    return attempt


def load_sector(folder: Path, drafts: bool = True) -> SectorCurriculum:
    """Load one sector folder; collects the errors of all its files before raising.

    ``drafts=False`` leaves out modules and trainings marked ``draft: true`` (the published book).
    """
    errors: list[InputError] = []
    files: dict[str, str] = {}
    attempt = _collecting(errors)

    sector = attempt(folder / "sector.yml", Sector)
    modules = _load_items(folder / "modules", Module, attempt, files, "module", errors)
    trainings = _load_items(folder / "trainings", Training, attempt, files, "training", errors)
    glossary_path = folder / "glossary.yml"
    glossary = attempt(glossary_path, Glossary) if glossary_path.exists() else Glossary()
    if sector is not None:
        files["sector"] = str(folder / "sector.yml")
        if sector.id != folder.name:
            message = f"{quoted(sector.id)} muss so heißen wie der Ordner: {quoted(folder.name)}"
            errors.append(_error(folder / "sector.yml", ("id",), message, "E-ID"))
        # A module file that failed to load has its own finding; naming it is no second error.
        known = {module.id for module in modules} | {path.stem for path in (folder / "modules").glob("*.yml")}
        for track_number, track in enumerate(sector.course.tracks):
            for number, module_id in enumerate(track.modules):
                if module_id not in known:
                    close = difflib.get_close_matches(module_id, sorted(known), n=1, cutoff=0.6)
                    hint = f" (meinten Sie {quoted(close[0])}?)" if close else ""
                    message = (f"nennt das Modul {quoted(module_id)}, das es nicht gibt "
                               f"(keine Datei modules/{module_id}.yml){hint}")
                    errors.append(_error(folder / "sector.yml", ("course", "tracks", track_number, "modules", number),
                                         message, "E-REFERENCE"))
        errors += _unknown_relations(sector, modules, files)
    if glossary_path.exists():
        files["glossary"] = str(glossary_path)
    translation_files = _load_translations(folder / TRANSLATIONS_FOLDER, attempt, files, errors)
    if errors:
        raise InputErrors(errors)
    curriculum = SectorCurriculum(sector=sector, modules=modules, trainings=trainings, glossary=glossary, files=files,
                                  translation_files=translation_files)
    curriculum = with_register_rules(with_translations(curriculum))
    return curriculum if drafts else curriculum.without_drafts()


TRANSLATIONS_FOLDER = "uebersetzungen"
"""The sector's translation files, one per learners' language: ``uebersetzungen/<lang>.yml``."""


def _load_translations(folder: Path, attempt: Any, files: dict[str, str],
                       errors: list[InputError]) -> dict[str, TranslationFile]:
    loaded: dict[str, TranslationFile] = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        translation = attempt(path, TranslationFile)
        if translation is None:
            continue
        if translation.language != path.stem:
            message = f"{quoted(translation.language)} muss so heißen wie die Datei: {quoted(path.stem + '.yml')}"
            errors.append(_error(path, ("language",), message, "E-ID"))
            continue
        loaded[translation.language] = translation
        files[f"translations:{translation.language}"] = str(path)
    return loaded


def load_translation_files(folder: Path) -> tuple[dict[str, TranslationFile], dict[str, str]]:
    """Load a sector folder's translation files alone; returns them and their paths by ``translations:<lang>``.

    Raises :class:`InputErrors` if one does not load.
    """
    errors: list[InputError] = []
    files: dict[str, str] = {}
    attempt = _collecting(errors)

    loaded = _load_translations(folder / TRANSLATIONS_FOLDER, attempt, files, errors)
    if errors:
        raise InputErrors(errors)
    return loaded, files


def _unknown_relations(sector: Sector, modules: list[Module], files: dict[str, str]) -> list[InputError]:
    """Return an ``E-REFERENCE`` error for each phrase whose relation the sector's ``registers`` do not name."""
    known = [rule.relation for rule in sector.registers]
    errors = []
    for module in modules:
        for number, phrase in enumerate(module.phrases):
            if phrase.relation is not None and phrase.relation not in known:
                close = difflib.get_close_matches(phrase.relation, known, n=1, cutoff=0.6)
                hint = f" (meinten Sie {quoted(close[0])}?)" if close else ""
                message = (f"nennt die Beziehung {quoted(phrase.relation)}, die sector.yml unter „registers“ nicht "
                           f"kennt{hint}; bekannt sind {listing([quoted(each) for each in known])}")
                errors.append(_error(Path(files[f"module:{module.id}"]), ("phrases", number, "relation"), message,
                                     "E-REFERENCE"))
    return errors


def with_register_rules(curriculum: SectorCurriculum) -> SectorCurriculum:
    """Return the curriculum with each phrase knowing the forms of address its relation allows."""
    allowed = {rule.relation: tuple(rule.allowed) for rule in curriculum.sector.registers}
    modules = [module.model_copy(update={"phrases": [
        phrase.model_copy(update={"relation_allows": allowed.get(phrase.relation or "", ())})
        for phrase in module.phrases]}) for module in curriculum.modules]
    return curriculum.model_copy(update={"modules": modules})


def with_translations(curriculum: SectorCurriculum) -> SectorCurriculum:
    """Return the curriculum with each word's translations into the sector's languages filled in."""
    shown = [code for code in curriculum.sector.languages if code in curriculum.translation_files]
    if not shown:
        return curriculum

    def translated(lemma: str) -> dict[str, str]:
        return {code: words[lemma] for code in shown if lemma in (words := curriculum.translation_files[code].words)}

    modules = [module.model_copy(update={"vocabulary": [
        item.model_copy(update={"translations": translated(item.lemma)}) for item in module.vocabulary]})
        for module in curriculum.modules]
    terms = [term.model_copy(update={"translations": translated(term.lemma)}) for term in curriculum.glossary.terms]
    return curriculum.model_copy(update={"modules": modules,
                                         "glossary": curriculum.glossary.model_copy(update={"terms": terms})})


def label_clashes(sectors: list[SectorCurriculum]) -> list[InputError]:
    """Return an error for each sector whose id is also the book label of another sector's module or training.

    The book labels a sector's page ``<sector>`` and each item's page ``<sector>-<item>``; a sector
    ``einzelhandel-kundenberatung`` next to the module ``kundenberatung`` of ``einzelhandel`` would
    give two pages one label. Glossary entries are labelled ``glossar-…``, so no sector may start so.
    """
    items = {f"{curriculum.sector.id}-{key.split(':', 1)[1]}": curriculum.files[key]
             for curriculum in sectors for key in curriculum.files if key.startswith(("module:", "training:"))}
    errors = []
    for curriculum in sectors:
        sector_id, sector_file = curriculum.sector.id, Path(curriculum.files["sector"])
        if sector_id in items:
            message = (f"{quoted(sector_id)} ist schon der Name der Seite von {display_path(Path(items[sector_id]))} "
                       "im Buch; wählen Sie für die Branche eine andere Kennung")
            errors.append(_error(sector_file, ("id",), message, "E-DUPLICATE-ID"))
        elif sector_id.startswith("glossar-"):
            message = f"{quoted(sector_id)}: „glossar-“ am Anfang ist den Einträgen der Glossare vorbehalten"
            errors.append(_error(sector_file, ("id",), message, "E-ID"))
    return errors


RESERVED_PAGE_IDS = frozenset({"index", "glossar", "downloads", "handouts", "profil"})
"""Names of the pages and folders every sector has in the book: no module or training may take them."""


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
            message = f"{quoted(item.id)} muss so heißen wie die Datei: {quoted(path.stem + '.yml')}"
            errors.append(_error(path, ("id",), message, "E-ID"))
        elif item.id in RESERVED_PAGE_IDS:
            message = (f"{quoted(item.id)} ist der Name einer Seite jeder Branche im Buch ("
                       f"{', '.join(sorted(RESERVED_PAGE_IDS))}); wählen Sie eine andere Kennung")
            errors.append(_error(path, ("id",), message, "E-ID"))
        elif f"module:{item.id}" in files or f"training:{item.id}" in files:
            other = "ein Modul" if f"module:{item.id}" in files else "ein Training"
            message = f"{other} mit der Kennung {quoted(item.id)} gibt es in dieser Branche schon"
            errors.append(_error(path, ("id",), message, "E-DUPLICATE-ID"))
        files[f"{kind}:{item.id}"] = str(path)
        items.append(item)
    return items


def _error(path: Path, key_path: Path_, message: str, code: str) -> InputError:
    line = read_yaml(path).line_of(key_path)
    return InputError(Location(display_path(path), line, format_key_path(key_path)), message, code=code)


def no_sector(missing: list[str]) -> str:
    """Return the message for sector names a curricula folder does not hold: „enthält keine Branche …“."""
    names = listing([quoted(name) for name in missing])
    return f"enthält keine Branche {names}" if len(missing) == 1 else f"enthält die Branchen {names} nicht"


def sector_folders(root: Path) -> list[Path]:
    """Return the sector folders of a curricula root (those with a ``sector.yml``)."""
    if not root.is_dir():
        raise InputError(Location(display_path(root)), "ist kein Ordner mit Kursplänen", code="E-READ")
    return sorted(path.parent for path in root.glob("*/sector.yml"))


def load_catalogue(root: Path, only: list[str] | None = None, drafts: bool = True,
                   load: Callable[[Path, bool], SectorCurriculum] = load_sector) -> Catalogue:
    """Load every sector under ``root`` (or only those named); raises :class:`InputErrors`.

    ``drafts=False`` leaves out sectors, modules and trainings marked ``draft: true``, except a
    draft sector named in ``only``. ``load`` loads one sector folder (:func:`load_sector`, or one
    that keeps sectors between builds, see :mod:`kurswerk.catalogue_cache`).
    """
    errors: list[InputError] = []
    sectors: list[SectorCurriculum] = []
    folders = sector_folders(root)
    if only:
        missing = sorted(set(only) - {folder.name for folder in folders})
        if missing:
            raise InputError(Location(display_path(root)), no_sector(missing), code="E-REFERENCE")
        folders = [folder for folder in folders if folder.name in only]
    for folder in folders:
        try:
            curriculum = load(folder, drafts)
        except InputErrors as error:
            errors.extend(error.errors)
            continue
        if drafts or not curriculum.sector.draft or (only and folder.name in only):
            sectors.append(curriculum)
    errors += label_clashes(sectors)
    if errors:
        raise InputErrors(errors)
    if not sectors and folders:
        raise InputError(Location(display_path(root)), "enthält nur Entwürfe (draft: true); „kurswerk build --drafts“ "
                         "nimmt sie auf", code="E-EMPTY")
    if not sectors:
        raise InputError(Location(display_path(root)), "enthält keine Branche (keine Datei */sector.yml)", code="E-EMPTY")
    return Catalogue(sectors=sectors)
