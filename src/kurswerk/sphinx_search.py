"""German search for the course book: umlaut folding, stemming, glossary entries and a safe result list.

Sphinx's own German search stems with Snowball, but the index (Python ``snowballstemmer`` 3) and the
browser (the older JavaScript stemmer Sphinx 7.4 ships) disagree about ``ae``/``oe``/``ue`` and about
-erin, -ln, -et …: "Uebergabe" and "Erzieherin" find nothing. The result previews are cut at the
position of the *stemmed* query in the page text; the stem of "Übergabe" is "ubergab", which the text
never contains, so the preview falls back to the page's first characters ("...Reinigungsp"). Titles
are inserted as HTML.

This extension

* registers :class:`FoldingGerman` as the search language ``de``: every word is folded (ä/ae → a,
  ö/oe → o, ü/ue → u, ß → ss) and stemmed with the algorithm of the JavaScript stemmer, in Python for
  the index (:func:`german_stem`) and in the browser for the query (:data:`FOLD_JS`);
* records each glossary entry (a paragraph with an id ``glossar-…`` that starts with the term in
  bold) as a searchable object of the ``kurswerk`` domain, so a search links to the entry itself;
* loads :data:`SEARCH_PAGE_JS` on ``search.html`` only. It ranks page titles, glossary entries and
  section titles whose words have the query's stems above full-text hits, inserts every title as
  text, and builds each preview around the first word that matches, with that word highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.search.de import SearchGerman

SEARCH_JS_NAME = "kurswerk-suche.js"
"""The search page's script, written into the book's ``_static`` and loaded by ``search.html`` only."""

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_DIGRAPH = re.compile(r"(q?)([aou])e")
"""``ae``, ``oe``, ``ue`` as written without umlauts; ``que`` (Quelle, Queue) stays as it is."""
_ARTICLE = re.compile(r"^(?:der|die|das)\s+")
_GLOSSARY_ID = "glossar-"


def fold(word: str) -> str:
    """Lower-case ``word`` and fold German umlauts and their two-letter spellings: ``Übergabe`` and
    ``Uebergabe`` both become ``ubergabe``, ``Straße`` becomes ``strasse``.

    :data:`FOLD_JS` does the same in the browser; keep the two in step.
    """
    lowered = word.lower().translate(_UMLAUTS)
    return _DIGRAPH.sub(lambda match: match.group(0) if match.group(1) and match.group(2) == "u"
                        else match.group(1) + match.group(2), lowered)


_VOWELS = frozenset("aeiouyäöü")
_S_ENDING = frozenset("bdfghklmnrt")
_ST_ENDING = _S_ENDING - {"r"}
_STEP1 = {"em": 1, "ern": 1, "er": 1, "e": 2, "en": 2, "es": 2, "s": 3}
_STEP2 = {"en": 1, "er": 1, "est": 1, "st": 2}
_STEP3 = {"end": 1, "ung": 1, "ig": 2, "ik": 2, "isch": 2, "lich": 3, "heit": 3, "keit": 4}


def _longest_suffix(word: str, suffixes: Iterable[str]) -> str | None:
    return max((suffix for suffix in suffixes if word.endswith(suffix)), key=len, default=None)


def _after_vowel_then_consonant(word: str, start: int) -> int | None:
    """Snowball's ``gopast v gopast non-v``: the index after the first non-vowel that follows a vowel."""
    vowel = next((at for at in range(start, len(word)) if word[at] in _VOWELS), None)
    if vowel is None:
        return None
    consonant = next((at for at in range(vowel + 1, len(word)) if word[at] not in _VOWELS), None)
    return None if consonant is None else consonant + 1


def german_stem(word: str) -> str:
    """Snowball's German stemmer as it was before Snowball 3: the algorithm of the JavaScript stemmer that
    Sphinx 7.4 ships (``snowballstemmer`` 3 in Python also folds ae/oe/ue and strips -erin, -ln, -et …,
    so index and query would disagree). ``word`` is lower case.

    See https://snowballstem.org/algorithms/german/stemmer.html (the variant without the 2025 changes).
    """
    letters = list(word.replace("ß", "ss"))
    for at in range(len(letters) - 2):  # u and y between vowels are consonants
        if letters[at] in _VOWELS and letters[at + 1] in "uy" and letters[at + 2] in _VOWELS:
            letters[at + 1] = letters[at + 1].upper()
    stem = "".join(letters)
    r1 = r2 = len(stem)
    if len(stem) >= 3:
        first = _after_vowel_then_consonant(stem, 0)
        if first is not None:
            r1 = max(first, 3)
            second = _after_vowel_then_consonant(stem, first)
            if second is not None:
                r2 = second

    suffix = _longest_suffix(stem, _STEP1)
    if suffix and len(stem) - len(suffix) >= r1:
        start = len(stem) - len(suffix)
        if _STEP1[suffix] == 1:
            stem = stem[:start]
        elif _STEP1[suffix] == 2:
            stem = stem[:start]
            if stem.endswith("niss"):
                stem = stem[:-1]
        elif start > 0 and stem[start - 1] in _S_ENDING:
            stem = stem[:start]

    suffix = _longest_suffix(stem, _STEP2)
    if suffix and len(stem) - len(suffix) >= r1:
        start = len(stem) - len(suffix)
        if _STEP2[suffix] == 1 or (start >= 4 and stem[start - 1] in _ST_ENDING):
            stem = stem[:start]

    suffix = _longest_suffix(stem, _STEP3)
    if suffix and len(stem) - len(suffix) >= r2:
        start = len(stem) - len(suffix)
        case = _STEP3[suffix]
        if case == 2:
            if not stem[:start].endswith("e"):
                stem = stem[:start]
        else:
            stem = stem[:start]
            if case == 1:
                if stem.endswith("ig") and not stem[:-2].endswith("e") and len(stem) - 2 >= r2:
                    stem = stem[:-2]
            elif case == 3:
                if (stem.endswith("er") or stem.endswith("en")) and len(stem) - 2 >= r1:
                    stem = stem[:-2]
            else:
                inner = _longest_suffix(stem, ("lich", "ig"))
                if inner and len(stem) - len(inner) >= r2:
                    stem = stem[:-len(inner)]
    return stem.translate(_POSTLUDE)


_POSTLUDE = str.maketrans({"U": "u", "Y": "y", "ä": "a", "ö": "o", "ü": "u"})


FOLD_JS = r"""
/* kurswerk: fold umlauts and their two-letter spellings before stemming (as kurswerk.sphinx_search.fold). */
var kurswerkFold = function (word) {
  return word.toLowerCase()
    .replace(/[äöüß]/g, function (c) { return { "ä": "a", "ö": "o", "ü": "u", "ß": "ss" }[c]; })
    .replace(/(q?)([aou])e/g, function (all, q, vowel) { return q && vowel === "u" ? all : q + vowel; });
};
var Stemmer = function () {
  var german = new GermanStemmer();
  this.stemWord = function (word) { return german.stemWord(kurswerkFold(word)); };
};
"""


def _two_letter_spelling(word: str) -> str:
    return word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


class FoldingGerman(SearchGerman):
    """German search that treats ä/ae, ö/oe, ü/ue and ß/ss alike, in the index and in the browser."""

    js_stemmer_rawcode = ""
    # "für", "fuer" and "fur" are all stop words: the browser checks the query word as typed.
    stopwords = SearchGerman.stopwords | {fold(word) for word in SearchGerman.stopwords} | {
        _two_letter_spelling(word) for word in SearchGerman.stopwords}

    def init(self, options: dict[str, str]) -> None:
        minified = Path(sphinx.package_dir) / "search" / "minified-js"
        self.js_stemmer_code = "\n".join([
            (minified / "base-stemmer.js").read_text(encoding="utf-8"),
            (minified / "german-stemmer.js").read_text(encoding="utf-8"),
            FOLD_JS,
        ])

    def stem(self, word: str) -> str:
        return german_stem(fold(word))


_OBJECT_TYPES = {"term": ObjType("Glossareintrag", searchprio=1)}
_INITIAL_DATA: dict[str, Any] = {"terms": {}}


class GlossaryDomain(Domain):
    """The book's glossary entries as search objects (``kurswerk:term``), each with its own anchor."""

    name = "kurswerk"
    label = "Kursbuch"
    object_types = _OBJECT_TYPES
    initial_data = _INITIAL_DATA
    data_version = 1

    @property
    def terms(self) -> dict[tuple[str, str], str]:
        """(docname, anchor) → term as printed (without its article)."""
        return self.data.setdefault("terms", {})

    def note_term(self, docname: str, anchor: str, term: str) -> None:
        self.terms[docname, anchor] = term

    def clear_doc(self, docname: str) -> None:
        for key in [key for key in self.terms if key[0] == docname]:
            del self.terms[key]

    def merge_domaindata(self, docnames: list[str], otherdata: dict[str, Any]) -> None:
        for (docname, anchor), term in otherdata.get("terms", {}).items():
            if docname in docnames:
                self.terms[docname, anchor] = term

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (docname, anchor), term in sorted(self.terms.items()):
            yield term, term, "term", docname, anchor, 1


def glossary_entries(doctree: nodes.document) -> Iterable[tuple[str, str]]:
    """(anchor, term) of each glossary entry: a paragraph with an id ``glossar-…`` whose first child is
    the term in bold, such as ``**die Übergabe** (Übergaben): …``."""
    for paragraph in doctree.findall(nodes.paragraph):
        anchor = next((name for name in paragraph["ids"] if name.startswith(_GLOSSARY_ID)), None)
        first = next((child for child in paragraph.children if child.astext().strip()), None)
        if anchor is None or not isinstance(first, nodes.strong):
            continue
        term = _ARTICLE.sub("", first.astext().strip())
        if term:
            yield anchor, term


def _note_glossary(app: Sphinx, doctree: nodes.document) -> None:
    domain = app.env.get_domain(GlossaryDomain.name)
    assert isinstance(domain, GlossaryDomain)
    for anchor, term in glossary_entries(doctree):
        domain.note_term(app.env.docname, anchor, term)


def _write_search_js(app: Sphinx) -> None:
    """Write the search page's script before the pages (their script tags carry its checksum)."""
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / SEARCH_JS_NAME
    if not target.is_file() or target.read_text(encoding="utf-8") != SEARCH_PAGE_JS:
        target.write_text(SEARCH_PAGE_JS, encoding="utf-8")


def _search_page_script(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                        doctree: nodes.document | None) -> None:
    if pagename == "search":
        # Deferred: runs after searchtools.js, language_data.js and searchindex.js, before Search.init.
        app.add_js_file(SEARCH_JS_NAME, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_search_language(FoldingGerman)
    app.add_domain(GlossaryDomain)
    app.connect("doctree-read", _note_glossary)
    app.connect("builder-inited", _write_search_js)
    app.connect("html-page-context", _search_page_script)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


SEARCH_PAGE_JS = r"""/*
 * kurswerk-suche.js: the course book's search results (loaded by search.html only, after searchtools.js).
 * Page titles, glossary entries and section titles whose words have the query's stems come first, then
 * Sphinx's full-text hits. Titles are inserted as text. Each preview shows the first matching word of
 * the page (or section, or glossary entry) in context, highlighted. Written by kurswerk.sphinx_search.
 */
"use strict";
(() => {
  const WORD = /[\p{L}\p{N}_]+/gu;
  const RANK = { page: 100, term: 90, section: 70 };
  const stemmer = new Stemmer();
  const stems = new Map();
  const stem = (word) => {
    if (!stems.has(word)) stems.set(word, stemmer.stemWord(word.toLowerCase()));
    return stems.get(word);
  };
  // 2: the word has the query term's stem; 1: its stem contains it (Übergabebuch for Übergabe); 0: no match.
  const matchOf = (word, terms) => {
    let best = 0;
    for (const term of terms) {
      const stemmed = stem(word);
      if (stemmed === term) return 2;
      if (term.length > 2 && stemmed.includes(term)) best = 1;
    }
    return best;
  };
  const isStopword = (word) => stopwords.includes(word.toLowerCase());
  // How well a title or term matches: 0 unless every query term is in it; quality 1 for whole words,
  // 0.5 for parts of words; coverage: the share of its words (stop words aside) that match.
  const phrase = (text, terms) => {
    const words = text.match(WORD) || [];
    let quality = 1;
    for (const term of terms) {
      const best = Math.max(0, ...words.map((word) => matchOf(word, [term])));
      if (!best) return null;
      if (best < 2) quality = 0.5;
    }
    const content = words.filter((word) => !isStopword(word));
    const matching = content.filter((word) => matchOf(word, terms)).length;
    return { quality, coverage: matching / Math.max(content.length, 1) };
  };
  const asText = (html) => new DOMParser().parseFromString(html, "text/html").body.textContent;

  const rank = (terms, excluded) => {
    const index = Search._index;
    const results = new Map();
    const excludedFiles = new Set();
    for (const term of excluded)
      for (const files of [index.terms[term], index.titleterms[term]])
        if (files !== undefined) [].concat(files).forEach((file) => excludedFiles.add(file));
    const add = (file, title, anchor, score) => {
      if (excludedFiles.has(file)) return;
      const key = `${file}${anchor}`;
      if (!results.has(key) || results.get(key)[4] < score)
        results.set(key, [index.docnames[file], title, anchor, null, score, index.filenames[file]]);
    };
    const score = (kind, found) => Math.round((RANK[kind] * found.quality + 10 * found.coverage) * 10) / 10;
    const pageTitle = (file) => asText(index.titles[file]);
    if (terms.length) {
      for (const [title, places] of Object.entries(index.alltitles)) {
        const found = phrase(title, terms);
        if (!found) continue;
        for (const [file, id] of places)
          if (id === null) add(file, pageTitle(file), "", score("page", found));
          else add(file, `${pageTitle(file)} › ${title}`, `#${id}`, score("section", found));
      }
      const objnames = index.objnames;
      for (const [prefix, objects] of Object.entries(index.objects))
        for (const [file, type, , anchor, name] of objects) {
          if (objnames[type][0] !== "kurswerk") continue;
          const term = asText(prefix ? `${prefix}.${name}` : name);
          const found = phrase(term, terms);
          if (found) add(file, `${pageTitle(file)} › ${term}`, `#${anchor}`, score("term", found));
        }
    }
    const anchored = new Set([...results.values()].filter((r) => r[2]).map((r) => r[0]));
    for (const [docname, title, anchor, descr, points, filename] of
         Search.performTermsSearch(new Set(terms), excluded)) {
      const file = index.docnames.indexOf(docname);
      if (!results.has(`${file}`) && !anchored.has(docname))
        results.set(`${file}`, [docname, asText(title), anchor, descr, points, filename]);
    }
    return [...results.values()].sort((a, b) => b[4] - a[4] || a[1].localeCompare(b[1], "de"));
  };

  // Texts of the page's article (or of the section or glossary entry the anchor names), best first:
  // without its heading (the result's link shows it) and download links (they repeat the title), without
  // its heading, everything.
  const texts = (html, anchor) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    page.querySelectorAll(".headerlink, script, style").forEach((element) => element.remove());
    const main = page.querySelector('[role="main"] article') || page.querySelector('[role="main"]');
    if (!main) return [];
    const target = anchor ? page.getElementById(decodeURIComponent(anchor.slice(1))) : null;
    const part = target && main.contains(target) ? target : main;
    // Blocks end with a space, or "check" and "Prüft" of adjacent cells would run together.
    part.querySelectorAll("p, li, dt, dd, th, td, div, br, h1, h2, h3, h4, h5, h6").forEach((block) => block.append(" "));
    const squeeze = () => part.textContent.replace(/\s+/g, " ").trim();
    const versions = [squeeze()];
    part.querySelector("h1, h2, h3, h4, h5, h6")?.remove();
    versions.unshift(squeeze());
    part.querySelectorAll("a[download]").forEach((link) => link.remove());
    versions.unshift(squeeze());
    return versions;
  };

  // A preview of about 240 characters around the first word with the query's stem (or, failing that,
  // the first word containing it), every matching word in it highlighted.
  const preview = (text, terms) => {
    const hits = [];
    for (const match of text.matchAll(WORD)) {
      const quality = matchOf(match[0], terms);
      if (quality) hits.push({ start: match.index, end: match.index + match[0].length, quality });
    }
    const first = hits.find((hit) => hit.quality === 2) || hits[0];
    let start = first ? Math.max(0, first.start - 80) : 0;
    if (start > 0) start = text.indexOf(" ", start) + 1 || first.start;
    if (first && start > first.start) start = first.start;
    let end = Math.min(text.length, start + 240);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), first ? first.end : 0) || end;
    const summary = document.createElement("p");
    summary.classList.add("context");
    let at = start;
    if (start > 0) summary.append("… ");
    for (const hit of hits) {
      if (hit.start < start || hit.end > end) continue;
      summary.append(text.slice(at, hit.start));
      const mark = summary.appendChild(document.createElement("span"));
      mark.classList.add("highlighted");
      mark.textContent = text.slice(hit.start, hit.end);
      at = hit.end;
    }
    summary.append(text.slice(at, end));
    if (end < text.length) summary.append(" …");
    return summary;
  };

  const item = (result, terms) => {
    const [docname, title, anchor, , points] = result;
    const options = DOCUMENTATION_OPTIONS;
    const entry = document.createElement("li");
    const link = entry.appendChild(document.createElement("a"));
    link.href = docname + options.LINK_SUFFIX + anchor;
    link.dataset.score = points;
    link.textContent = title;
    if (options.SHOW_SEARCH_SUMMARY)
      fetch(document.documentElement.dataset.content_root + docname + options.FILE_SUFFIX)
        .then((response) => response.text())
        .then((html) => {
          const versions = texts(html, anchor);
          const text = versions.find((version) => [...version.matchAll(WORD)].some((word) => matchOf(word[0], terms)));
          if (text ?? versions[0]) entry.appendChild(preview(text ?? versions[0], terms));
        })
        .catch(() => undefined);
    return entry;
  };

  Search.query = (query) => {
    const [, searchTerms, excludedTerms] = Search._parseQuery(query);
    const terms = [...searchTerms];
    const results = rank(terms, excludedTerms);
    _removeChildren(document.getElementById("search-progress"));
    Search.stopPulse();
    Search.title.innerText = _("Search Results");
    Search.status.innerText = results.length === 1 ? "1 Treffer."
      : results.length ? `${results.length} Treffer.`
      : "Keine Treffer. Prüfen Sie die Schreibweise oder suchen Sie ein anderes Wort.";
    results.forEach((result) => Search.output.appendChild(item(result, terms)));
  };
})();
"""
