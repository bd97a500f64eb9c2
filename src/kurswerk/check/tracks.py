"""Rules for the courses of a sector (``course.tracks`` in ``sector.yml``): each one a group of one level can take.

A track runs from an entry level to the same or the next level; its modules sit within that band,
in teaching order without going down in level, and every module of the sector is in at least one
track. An unknown module id is an ``E-REFERENCE`` of the loader.

Codes: ``E-TRACK-BAND``, ``E-TRACK-LEVEL``, ``E-TRACK-ORDER``, ``E-TRACK-MISSING``, ``E-DUPLICATE-ID``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kurswerk.check.findings import Problem
from kurswerk.errors import listing, quoted
from kurswerk.model import LEVELS, Module, SectorCurriculum, Track, level_rank

STEPS = {2: "zwei", 3: "drei"}
"""Number words for the level steps a track may wrongly span (A2 to C1 is three)."""


def _band_problems(number: int, track: Track) -> Iterator[Problem]:
    """Yield a problem if the track goes down or spans more than one level step."""
    start, end = level_rank(track.from_level), level_rank(track.to_level)
    if end < start:
        choices = listing([quoted(level) for level in LEVELS[start:start + 2]], "oder")
        yield Problem("E-TRACK-BAND", ("course", "tracks", number, "to_level"),
                      f"der Kurs {quoted(track.id)} führt abwärts, von {track.from_level} zu {track.to_level}; ein "
                      f"Kurs bleibt auf dem Niveau der Gruppe oder führt eine Stufe höher: setzen Sie to_level auf "
                      f"{choices}")
    elif end - start > 1:
        steps = [f"{low} → {high}" for low, high in zip(LEVELS[start:end], LEVELS[start + 1:end + 1], strict=True)]
        yield Problem("E-TRACK-BAND", ("course", "tracks", number, "to_level"),
                      f"der Kurs {quoted(track.id)} reicht von {track.from_level} bis {track.to_level}, also über "
                      f"{STEPS[end - start]} Niveaustufen; ein Kurs führt eine Gruppe höchstens eine Stufe weiter: "
                      f"teilen Sie ihn in die Kurse {listing(steps)}")


def _module_problems(number: int, track: Track, modules: dict[str, Module]) -> Iterator[Problem]:
    """Yield a problem for each module outside the band, repeated, or lower than the module before it."""
    start, end = level_rank(track.from_level), level_rank(track.to_level)
    seen: dict[str, int] = {}
    highest: Module | None = None
    for position, module_id in enumerate(track.modules):
        path = ("course", "tracks", number, "modules", position)
        if module_id in seen:
            yield Problem("E-DUPLICATE-ID", path, f"das Modul {quoted(module_id)} steht zweimal im Kurs "
                                                  f"{quoted(track.id)}: schon bei modules[{seen[module_id]}]")
            continue
        seen[module_id] = position
        module = modules.get(module_id)
        if module is None:
            continue
        rank = level_rank(module.level)
        if start <= end and not start <= rank <= end:
            yield Problem("E-TRACK-LEVEL", path,
                          f"das Modul {quoted(module_id)} ist auf Niveau {module.level} und passt nicht in den Kurs "
                          f"{quoted(track.id)} ({track.band}): dort stehen nur Module auf "
                          f"{listing(list(LEVELS[start:end + 1]))}; nehmen Sie es in einen Kurs, zu dessen Niveaus "
                          f"{module.level} gehört")
        if highest is not None and rank < level_rank(highest.level):
            yield Problem("E-TRACK-ORDER", path,
                          f"das Modul {quoted(module_id)} ({module.level}) steht nach dem Modul {quoted(highest.id)} "
                          f"({highest.level}): im Kurs {quoted(track.id)} geht das Niveau zurück; ordnen Sie die "
                          f"Module vom niedrigeren zum höheren Niveau")
        if highest is None or rank > level_rank(highest.level):
            highest = module


def track_problems(curriculum: SectorCurriculum) -> Iterator[Problem]:
    """Yield the problems of ``course.tracks`` in ``sector.yml``."""
    modules = {module.id: module for module in curriculum.modules}
    seen: dict[str, int] = {}
    for number, track in enumerate(curriculum.sector.course.tracks):
        if track.id in seen:
            yield Problem("E-DUPLICATE-ID", ("course", "tracks", number, "id"),
                          f"Kurs {quoted(track.id)} doppelt: steht schon bei course.tracks[{seen[track.id]}]")
        seen.setdefault(track.id, number)
        yield from _band_problems(number, track)
        yield from _module_problems(number, track, modules)


def untracked_problems(curriculum: SectorCurriculum, module: Module) -> Iterator[Problem]:
    """Yield a problem, for the module's own file, if the module is in no track of ``sector.yml``."""
    tracks = curriculum.sector.course.tracks
    if any(module.id in track.modules for track in tracks):
        return
    rank = level_rank(module.level)
    fitting = [quoted(track.id) for track in tracks
               if level_rank(track.from_level) <= rank <= level_rank(track.to_level)]
    if fitting:
        hint = (f"tragen Sie {quoted(module.id)} in sector.yml bei den modules eines Kurses ein, zu dessen Niveaus "
                f"{module.level} gehört: {listing(fitting, 'oder')}")
    else:
        hint = (f"legen Sie in sector.yml unter course.tracks einen Kurs an, zu dessen Niveaus {module.level} gehört, "
                f"und tragen Sie {quoted(module.id)} dort bei modules ein")
    yield Problem("E-TRACK-MISSING", ("id",), f"das Modul steht in keinem Kurs der Branche: {hint}")
