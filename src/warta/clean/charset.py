"""Turn the raw bytes of one page into clean Unicode text.

News pages arrive in every encoding the web has produced: UTF-8 (with or without a BOM),
UTF-16 from Windows tools, cp1252 from old CMSes, and UTF-8 that some earlier step already
decoded as cp1252 ("mojibake": ``â€œ`` for a curly quote, ``Ã©`` for ``é``). ``decode_page``
picks the encoding, repairs mojibake, normalises line ends and Unicode, and refuses content
that is not text at all, always with a ``WartaError`` that says why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from warta.core import diskcache
from warta.core.errors import EmptyInput, NotText

if TYPE_CHECKING:
    import ftfy

__all__ = ["Decoded", "decode_page"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded page: ``encoding`` is the codec used, ``repaired`` says ftfy fixed mojibake."""

    text: str
    encoding: str
    repaired: bool


# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

# Encodings charset-normalizer may choose among. Latin single-byte code pages other than
# cp1252 are left out on purpose: on short Indonesian or English text it confuses cp1252
# with cp1250/cp1257 and garbles curly quotes and accents, while cp1252 is by far the most
# common legacy encoding of Latin-script news.
_GUESS_CANDIDATES: list[str] = [
    "cp1252",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1255",
    "cp1256",
    "cp874",
    "cp932",
    "euc_jp",
    "gb18030",
    "big5",
    "cp949",
    "euc_kr",
]

# Characters that UTF-8 shows as when mis-decoded as cp1252/latin-1. Only text containing
# one of them is handed to ftfy, which keeps the common case cheap.
_MOJIBAKE_MARKERS: tuple[str, ...] = ("Ã", "Â", "â€", "â„", "Å", "Ä", "Ð", "Ñ", "ï»¿")
_SUSPECT_LINE = diskcache.compile("[ÃÂÅÄÐÑ\x80-\x9f]|â€|â„|ï»¿")
# C1 characters come from bytes 0x80-0x9f decoded as latin-1 (or from cp1252's five
# undefined bytes). Mapped to surrogate escapes, they encode back to their original byte.
_C1 = diskcache.compile("[\x80-\x9f]")
_C1_TO_SURROGATES = {code: 0xDC00 + code for code in range(0x80, 0xA0)}

# Control characters other than \t \n \f \r, plus U+FFFD: a lot of them means binary.
_BAD_CHARS = diskcache.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_UTF8_KEEP = bytes(b for b in range(256) if b >= 0x80 or (0x20 <= b < 0x7F) or b in b"\t\n\x0c\r")
_UTF8_C1 = re.compile(b"\xc2[\x80-\x9f]")
_LETTER = diskcache.compile(r"[^\W\d_]")
_LETTER_RUN = diskcache.compile(r"[^\W\d_]+")

_MAX_BAD_SHARE = 0.05  # more control/replacement characters than this: not text
_HOPELESS_SHARE = 0.30  # so clearly binary that mojibake repair is not even tried
_MIN_CHARS_FOR_LETTER_TEST = 32  # shorter inputs may legitimately be just numbers or symbols
_UTF16_SNIFF_BYTES = 4096


def decode_page(data: bytes, *, source: str) -> Decoded:
    """Decode one page's bytes to normalised text.

    Raises ``EmptyInput`` for nothing or only whitespace, ``NotText`` for binary content;
    never anything else, whatever the bytes.
    """
    if not data:
        raise EmptyInput("zero bytes", source=source)
    text, encoding, whole_utf8 = _decode(data, source)
    if _is_blank(text):
        raise EmptyInput("only whitespace", source=source)

    # Reject obvious binary before spending time on mojibake repair.
    share = _bad_share(text, data if whole_utf8 else None)
    if share > _HOPELESS_SHARE:
        raise NotText(f"{_percent(share)}% control or replacement characters", source=source)

    repaired = False
    if not text.isascii() and any(marker in text for marker in _MOJIBAKE_MARKERS):
        fixed = _fix_mojibake(text)
        if fixed != text:
            text, repaired = fixed, True
            share = _bad_share(text, None)
    if share > _MAX_BAD_SHARE:
        raise NotText(f"{_percent(share)}% control or replacement characters", source=source)

    text = _normalise(text)
    if _is_blank(text):
        raise EmptyInput("only whitespace", source=source)
    if _LETTER.search(text) is None:
        visible = len("".join(text.split()))
        if visible >= _MIN_CHARS_FOR_LETTER_TEST:
            raise NotText(f"no letters in {visible} non-space characters", source=source)
    return Decoded(text=text, encoding=encoding, repaired=repaired)


def _decode(data: bytes, source: str) -> tuple[str, str, bool]:
    """Pick the encoding (BOM, UTF-16 sniffing, UTF-8, guess, cp1252, latin-1) and decode.

    Returns the text, the encoding, and whether the text is the strict UTF-8 decoding of
    all of ``data`` (which lets later checks work on the bytes).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            codec = "utf-8" if encoding == "utf-8-sig" else encoding
            # A damaged body still decodes; the replacement characters are counted later.
            return body.decode(codec, errors="replace"), encoding, False

    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace"), utf16, False

    if b"\x00" in data:
        raise NotText("contains NUL bytes", source=source)

    try:
        return data.decode("utf-8"), "utf-8", True
    except UnicodeDecodeError as exc:
        # A page cut off in the middle of a multi-byte character is still UTF-8.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8", False

    guessed = _guess(data)
    if guessed is not None:
        return guessed[0], guessed[1], False
    text, encoding = _latin(data)
    return text, encoding, False


def _latin(data: bytes) -> tuple[str, str]:
    """The last resort: cp1252, or latin-1 (which decodes anything) for its five holes."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_utf16(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NULs: ASCII text has one in every other byte."""
    head = data[:_UTF16_SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    zero_even = head[0 : pairs * 2 : 2].count(0)
    zero_odd = head[1 : pairs * 2 : 2].count(0)
    if zero_odd >= 0.5 * pairs and zero_even <= 0.02 * pairs:
        return "utf-16-le"
    if zero_even >= 0.5 * pairs and zero_odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def _guess(data: bytes) -> tuple[str, str] | None:
    """Ask charset-normalizer, but keep cp1252 when its decoding reads as Latin-script text."""
    try:
        import charset_normalizer  # imported late: valid UTF-8, the common case, never needs it

        best = charset_normalizer.from_bytes(data, cp_isolation=_GUESS_CANDIDATES).best()
        if best is None:
            return None
        encoding = str(best.encoding)
        text = data.decode(encoding)
    except Exception:  # noqa: BLE001 - a guessing library must never turn bytes into a crash
        return None
    if encoding != "cp1252":
        latin = _latin(data)
        if _reads_as_latin(latin[0]):
            return latin
    return text, encoding


def _reads_as_latin(text: str) -> bool:
    """True when non-ASCII letters mostly sit inside words that also have ASCII letters.

    Accented Latin words ("café", "déjà") mix both; Cyrillic or Greek bytes read as cp1252
    give whole words of accented letters ("Ïðèâåò").
    """
    with_accents = 0
    mixed = 0
    for match in _LETTER_RUN.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        with_accents += 1
        if any(char.isascii() for char in word):
            mixed += 1
    return with_accents == 0 or mixed >= 0.5 * with_accents


@cache
def _ftfy_config() -> ftfy.TextFixerConfig:
    """Let ftfy fix encoding errors only.

    No HTML unescaping, quote uncurling, width or ligature folding, Unicode normalisation
    (done here), line-break or control-character changes: other stages own those.
    ftfy is imported here, not at module level, because most pages never need it.
    """
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


def _fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252, keeping the text as it was where nothing is wrong.

    A page (or line) that is mojibake throughout is undone in one exact round trip; only
    suspicious lines that resist it go to ftfy, which costs about a microsecond per
    character and would take seconds on a large page.
    """
    whole = _undo_whole(text)
    if whole is not None:
        return whole
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _SUSPECT_LINE.search(line):
            lines[index] = _undo_whole(line) or _ftfy(line)
    return "\n".join(lines)


def _undo_whole(text: str) -> str | None:
    """Re-encode as cp1252 (C1 characters as their latin-1 byte), decode as UTF-8, if it works."""
    if _C1.search(text):
        text = text.translate(_C1_TO_SURROGATES)
    try:
        return text.encode("cp1252", errors="surrogateescape").decode("utf-8")
    except UnicodeError:  # not mojibake throughout
        return None


def _ftfy(text: str) -> str:
    """ftfy's repair of one piece of text; on any ftfy failure keep the text as it was."""
    try:
        import ftfy

        return ftfy.fix_text(text, _ftfy_config())
    except Exception:  # noqa: BLE001 - repair is best effort, it must not fail a page
        return text


def _is_blank(text: str) -> bool:
    """Nothing but whitespace and byte-order marks."""
    if not text or text.isspace():
        return True
    return "\ufeff" in text and not text.replace("\ufeff", "").strip()


def _bad_share(text: str, utf8: bytes | None) -> float:
    """Share of control and replacement characters (\\t \\n \\f \\r do not count).

    ``utf8`` is the page's bytes when ``text`` is their complete strict UTF-8 decoding:
    counting in the bytes is several times faster than a regex over the text.
    """
    if not text:
        return 0.0
    if utf8 is not None:
        bad = len(utf8.translate(None, _UTF8_KEEP))
        if b"\xc2" in utf8:  # C1 controls are \xc2\x80 to \xc2\x9f in UTF-8
            bad += len(_UTF8_C1.findall(utf8))
    else:
        bad = len(_BAD_CHARS.findall(text))
    return bad / len(text)


def _percent(share: float) -> int:
    return max(1, round(share * 100))


def _normalise(text: str) -> str:
    """One line-end convention, NFC, and no leading BOM, so later stages see one form."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
