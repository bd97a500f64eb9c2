"""German labels for the codes of the content model, shared by the book and the handouts."""

from __future__ import annotations

FIELDS_OF_ACTION = {
    "I": "Arbeitssuche und Bewerbung", "II": "Arbeitsantritt", "III": "Innerbetriebliche Kommunikation",
    "IV": "Außenkontakte", "V": "Regularien", "VI": "Aus- und Weiterbildung", "VII": "Wechsel und Beendigung",
    "A": "Soziale Kontakte", "B": "Dissens und Konflikte", "C": "Gefühle und Meinungen", "D": "Informationsaustausch",
}
"""The job fields (I–VII) and cross-cutting fields (A–D) of the Lernzielkatalog (DeuFöV)."""

IKOE_LEVELS = {"organisation": "Organisation und Struktur", "staff": "Personal",
               "services": "Angebote und Dienstleistungen", "cooperation": "Kooperation und Vernetzung"}
"""The four levels on which intercultural opening sets goals."""

REGISTERS = {"formal": "formell (Sie)", "informal": "informell (du)", "neutral": "neutral"}
MODES = {"oral": "mündlich", "written": "schriftlich"}


def field_of_action(code: str) -> str:
    """Return ``III Innerbetriebliche Kommunikation`` for ``III``."""
    return f"{code} {FIELDS_OF_ACTION[code]}"

LANGUAGES = {
    "ar": ("Arabisch", "العربية"), "uk": ("Ukrainisch", "українська"), "tr": ("Türkisch", "Türkçe"),
    "fa": ("Persisch/Dari", "فارسی"), "ru": ("Russisch", "русский"), "ro": ("Rumänisch", "română"),
    "pl": ("Polnisch", "polski"), "en": ("Englisch", "English"),
}
"""The learners' languages the kit translates vocabulary into: code → German name, own name."""

RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "fa"})
"""Of :data:`LANGUAGES`, those written right to left."""


def language_name(code: str) -> str:
    """Return ``Arabisch (العربية)`` for ``ar``."""
    german, own = LANGUAGES[code]
    return f"{german} ({own})"
