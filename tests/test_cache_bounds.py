"""Every functools cache in warta is bounded, or keyed by something a run cannot make grow.

Issue 13 asks for memory bounded by configuration, not by corpus size. A cache keyed by words,
names or texts must have a bound (``lru_cache(maxsize=...)``) no larger than the largest one the
benchmarks state (32,768 entries: about the vocabulary of 1,000 news articles); an unbounded
``@cache`` is allowed only where its key comes from installed data (a language code that has
data, a data file, a type), which this list names one by one. A new unbounded cache fails here
until someone says why its key cannot grow with the input.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

import warta

#: the largest bound of a per-word cache (docs/BENCHMARKS.md, issue 13's cache table)
LARGEST_BOUND = 1 << 15

#: unbounded caches and what bounds their keys
KEYED_BY_INSTALLED_DATA = {
    "warta.clean.charset._ftfy_config": "no argument",
    "warta.clean.plaintext._trailing_wire": "no argument",
    "warta.core.serialize._hints": "a record class",
    "warta.corpus.stories._stopwords": "a language with data",
    "warta.export.gdelt._fips_codes": "no argument",
    "warta.lang._roots": "no argument",
    "warta.lang.languages": "no argument",
    "warta.lang.load_toml": "a language with data and a data file name",
    "warta.lang.load_words": "a language with data and a data file name",
    "warta.lmcorpus.signals.stopwords_for": "a language with data",
    "warta.nlp.entities._model_version": "a shipped model file",
    "warta.nlp.events._with_suffix": "a lexicon's word set and a suffix of the lexicon",
    "warta.nlp.events.load_lexicon": "a language with data",
    "warta.nlp.linking._linker": "a language with a gazetteer and its fallbacks",
    "warta.nlp.ner.archive_sha256": "a shipped model file",
    "warta.nlp.places._places": "a language with data",
    "warta.nlp.sentences._function_words": "no argument",
    "warta.nlp.times._all_rules": "the languages with time data a page reads",
    "warta.nlp.times._gate": "the languages with time data a page reads",
    "warta.nlp.times._language": "a language with time data",
    "warta.nlp.tokens._abbreviations": "no argument",
    "warta.nlp.tokens._pattern": "no argument",
    "warta.nlp.tokens._rules": "no argument",
}


def _caches() -> dict[str, int | None]:
    """Every functools cache defined at module level in warta: qualified name -> maxsize."""
    found: dict[str, int | None] = {}
    for info in pkgutil.walk_packages(warta.__path__, "warta."):
        if info.name.endswith("__main__"):  # runs the command line when imported
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, functools._lru_cache_wrapper)
                and getattr(obj, "__module__", None) == module.__name__
            ):
                found[f"{module.__name__}.{obj.__qualname__}"] = obj.cache_parameters()["maxsize"]
    return found


def test_the_scan_finds_the_word_caches() -> None:
    caches = _caches()
    assert caches["warta.store.analyzer.stem"] == LARGEST_BOUND
    assert caches["warta.nlp.keywords.content_stem"] == LARGEST_BOUND
    assert len(caches) > 40


def test_every_cache_is_bounded_or_keyed_by_installed_data() -> None:
    caches = _caches()
    unbounded = sorted(n for n, size in caches.items() if size is None)
    unexplained = [n for n in unbounded if n not in KEYED_BY_INSTALLED_DATA]
    assert not unexplained, f"unbounded caches with no stated reason: {unexplained}"
    gone = sorted(set(KEYED_BY_INSTALLED_DATA) - set(unbounded))
    assert not gone, f"listed as unbounded but bounded or removed (update the list): {gone}"


def test_no_cache_is_bounded_above_the_stated_largest_bound() -> None:
    too_large = {n: s for n, s in _caches().items() if s is not None and s > LARGEST_BOUND}
    assert not too_large, f"caches above {LARGEST_BOUND} entries: {too_large}"


def test_the_ingest_empties_the_word_caches_before_its_corpus_pass_and_keeps_small_ones() -> None:
    from warta.nlp.keywords import stopwords
    from warta.run import ingest
    from warta.store import analyzer

    analyzer.index_text("Polisi memeriksa saksi banjir di Jakarta")
    stopwords("id")
    analyzer.stem("Polisi")
    assert analyzer.stem.cache_info().currsize > 0
    assert analyzer._token_index.cache_info().currsize > 0
    kept = stopwords.cache_info().currsize
    ingest._release_word_caches()
    assert analyzer.stem.cache_info().currsize == 0
    assert analyzer._token_index.cache_info().currsize == 0
    assert analyzer._token_words.cache_info().currsize == 0
    assert stopwords.cache_info().currsize == kept > 0  # 64 languages at most: kept


def test_a_small_run_keeps_the_word_caches_and_a_large_one_empties_them(
    tmp_path, monkeypatch
) -> None:
    """A page or two posted to a running server must not cost it its warm caches; a run of
    ``RELEASE_FROM`` articles or more empties them before its corpus pass."""
    from warta.readers.base import Page
    from warta.run import ingest
    from warta.run.pipeline import CLEAN_PIPELINE
    from warta.store import analyzer, open_store

    def run(name: str) -> int:
        analyzer.index_text("Polisi memeriksa saksi banjir di Jakarta")
        pages = [
            Page(
                source=f"{name}{i}",
                url=f"https://example.id/{name}/{i}",
                text=f"Warga Desa Sukamaju nomor {i} membersihkan sungai.\n\nBanjir surut sore itu.",
            )
            for i in range(3)
        ]
        with open_store(str(tmp_path / f"{name}.db")) as store:
            report = ingest.ingest_pages(pages, store, spec=CLEAN_PIPELINE)
        assert report.new == 3
        return analyzer._token_index.cache_info().currsize

    assert run("small") > 0
    monkeypatch.setattr(ingest, "RELEASE_FROM", 3)
    assert run("large") == 0


def test_indexing_and_keywords_fill_only_their_outer_caches() -> None:
    """An ingest indexes and picks keywords for every article: only the per-token caches that
    hit are filled, not the word caches behind them (which would hit a tenth of the time and
    hold their full bound to the end of the run)."""
    from warta.nlp.keywords import content_stems
    from warta.store import analyzer

    analyzer.stem.cache_clear()
    analyzer._token_words.cache_clear()
    text = "Pembangunan jembatan di Kabupaten Sukamaju dibangun warga; PEMBANGUNAN berlanjut."
    stems = analyzer.index_text(text).split()
    assert stems[0] == stems[-2] == "bangun"
    assert content_stems(text, "id")[0] == "bangun"
    assert analyzer.stem.cache_info().currsize == 0
    assert analyzer._token_words.cache_info().currsize == 0
    assert analyzer._token_index.cache_info().currsize > 0
    # searches still go through the word caches
    assert analyzer.words("Pembangunan") == ["pembangunan"]
    assert analyzer.stem("Pembangunan") == "bangun"
    assert analyzer.stem.cache_info().currsize == 1
