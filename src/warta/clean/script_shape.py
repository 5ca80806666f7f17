"""Sentence shape for scripts the word-based labeller cannot see.

The line labeller measures a line in space-separated words and knows the sentence ends of
Latin text. A Japanese or Chinese paragraph is one "word" that ends in "。", and a Hindi one ends
in "।": both come out as headings or junk, and a page in those scripts lost its whole body
(8 of 9 Japanese and Chinese pages of fundus_news_pages, and the Hindi one). Here a line is
measured in units that hold in any script — an unspaced script's characters count as half a
word each (a Japanese or Chinese word averages about two characters) — and any script's
sentence ends count. Only lines the labeller left as heading or junk are looked at again, so
Latin-script pages keep every decision.
"""

from __future__ import annotations

from warta.clean.lines import LineDecision
from warta.core import diskcache

#: Scripts written without spaces between words: Han, kana, Thai, Lao, Khmer, Myanmar.
_UNSPACED = diskcache.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f]"
)
#: Sentence ends of any script: Latin, CJK full stops, Devanagari danda, Arabic and Urdu marks,
#: Armenian and Ethiopic full stops, and the closing quotes and brackets that may follow them.
_ENDS = frozenset('.!?…。！？｡।॥؟۔։።"”’」』）)】〉》')
#: Punctuation inside a sentence of an unspaced script (ideographic comma, full stop).
_INNER = frozenset("、，。；：")
_LETTER = diskcache.compile(r"[^\W\d_]")


def units(text: str) -> tuple[int, int]:
    """(word units, unspaced characters): an unspaced script's characters count as half a word
    each, the other letters by their space-separated words."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split()), 0
    rest = _UNSPACED.sub(" ", text)
    spaced_words = sum(1 for w in rest.split() if _LETTER.search(w))
    return spaced_words + (unspaced + 1) // 2, unspaced


def reshape(lines: list[LineDecision]) -> None:
    """Give unlabelled heading- or junk-shaped lines of other scripts their sentence shape (in
    place); an unspaced line's ``words`` become two-character units so that counts made from
    them (body clusters, crosshead length) mean the same in every script."""
    for ln in lines:
        if ln.label or ln.shape not in ("heading", "junk"):
            continue
        text = ln.text
        n, unspaced = units(text)
        if unspaced:
            letters = "".join(_UNSPACED.findall(text))
            ln.words = [letters[i : i + 2] for i in range(0, len(letters), 2)] or ln.words
        elif text[-1] not in _ENDS or text[-1] in '.!?"”’)':
            continue  # Latin-punctuated spaced text: the labeller has already judged it
        if not _LETTER.search(text):
            continue
        ends = text[-1] in _ENDS
        inner = unspaced and any(c in _INNER for c in text[:-1])
        if (n >= 10 and ends) or (n >= 30 and inner):
            ln.shape = "sentence"
        elif n >= 3 and ends:
            ln.shape = "short_sentence"
        elif unspaced and n <= 20:
            ln.shape = "heading"
