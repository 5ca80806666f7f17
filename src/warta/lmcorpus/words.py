"""What counts as a word in the training corpus.

A word is a run of letters and digits, joined through an inner hyphen or apostrophe: Indonesian
writes reduplication with a hyphen (``anak-anak``, ``sehari-hari``, ``berbeda-beda``) and
clitics and ordinals with one (``ke-2``, ``Jum'at``), and each is one word, so a hyphenated
plural neither doubles the word count nor becomes a repeated n-gram. Punctuation and symbols
(``#``, ``…``, ``•``, quotes) are not words; a number is a word, one without letters (which the
alphabetic-word rule counts), written with its inner separators (``16.300``, ``2,5``) as one. Words are compared lower-cased.
"""

from __future__ import annotations

import re

__all__ = ["WORD", "words"]

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+|(?<=\d)[.,]\d+)*")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, as written."""
    return WORD.findall(text)
