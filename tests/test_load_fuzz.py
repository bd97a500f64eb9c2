"""Generated documents never make the loader raise anything but the kit's own error type."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kurswerk.errors import InputError
from kurswerk.load import load_file
from kurswerk.model import Glossary, Module, Sector, Training

MODELS = [Module, Sector, Training, Glossary]
KEYS = ["id", "template", "title", "level", "steps", "scenario", "vocabulary", "lemma", "article", "register",
        "phrases", "can_do", "terms", "agenda", "time", "minutes", "facts", "year", "x"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["daa_szenario", "ikoe_training", "B1", "der", "formal", "Ich kann etwas."]))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children,
                                               max_size=6)),
    max_leaves=40,
)


def check(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "datei.yml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for model in MODELS:
            try:
                load_file(path, model)
            except InputError as error:
                assert str(error).startswith(str(error.location.file))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_structures(document: object) -> None:
    check(yaml.safe_dump(document, allow_unicode=True))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
@example("0:\t")  # the safe parser takes it, the round-trip parser that finds lines does not
def test_arbitrary_text(text: str) -> None:
    check(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a: ", "- ", "[", "]", "{", "}", "&x ", "*x", "!!python/object ", "? ", ": ", "\n",
                                 "  ", "'", '"', "#", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "\t", "\x00"]),
                max_size=30))
def test_yaml_syntax_fragments(parts: list[str]) -> None:
    check("".join(parts))
