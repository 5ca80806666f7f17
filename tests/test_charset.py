"""decode_page: encodings, mojibake repair, normalisation, and refusing what is not text."""

from __future__ import annotations

import codecs
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.clean.charset import Decoded, decode_page
from warta.core.errors import EmptyInput, NotText, WartaError

INDONESIAN = (
    "JAKARTA – Presiden mengatakan “pembangunan harus merata” dalam pidato di Istana, "
    "Senin (12/8). Menurut dia, café dan warung – semuanya – ikut menikmati hasilnya."
)


def decode(data: bytes) -> Decoded:
    return decode_page(data, source="test")


# -- encodings ---------------------------------------------------------------------------


def test_utf8() -> None:
    result = decode(INDONESIAN.encode("utf-8"))
    assert result == Decoded(INDONESIAN, "utf-8", False)


def test_ascii_is_utf8() -> None:
    assert decode(b"Berita hari ini") == Decoded("Berita hari ini", "utf-8", False)


def test_utf8_bom_is_dropped() -> None:
    result = decode(codecs.BOM_UTF8 + INDONESIAN.encode("utf-8"))
    assert result.text == INDONESIAN
    assert result.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom: bytes, codec: str, name: str) -> None:
    result = decode(bom + INDONESIAN.encode(codec))
    assert result.text == INDONESIAN
    assert result.encoding == name
    assert not result.repaired


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    result = decode(INDONESIAN.encode(codec))
    assert result.text == INDONESIAN
    assert result.encoding == codec


def test_cp1252_curly_quotes_dashes_and_accents() -> None:
    result = decode(INDONESIAN.encode("cp1252"))
    assert result.text == INDONESIAN
    assert result.encoding == "cp1252"


def test_short_cp1252_is_not_taken_for_cyrillic() -> None:
    # charset-normalizer alone guesses cp1251 here and produces "cafй".
    assert decode("café “x”".encode("cp1252")).text == "café “x”"


def test_latin1() -> None:
    text = "Le garçon a mangé une pomme à la fenêtre, très déjà vu."
    result = decode(text.encode("latin-1"))
    assert result.text == text
    assert result.encoding in {"cp1252", "latin-1"}  # identical for these characters


def test_latin1_bytes_undefined_in_cp1252() -> None:
    # 0x81 is unassigned in cp1252, so only latin-1 decodes this (as a C1 control).
    text = "Sebuah kalimat yang cukup panjang untuk pengujian ini\x81 selesai."
    result = decode(text.encode("latin-1"))
    assert result.text == text
    assert result.encoding == "latin-1"


def test_cyrillic_cp1251_is_still_guessed() -> None:
    text = "Привет, как дела? Это главные новости дня из Москвы."
    result = decode(text.encode("cp1251"))
    assert result.text == text


def test_truncated_utf8_keeps_what_came_before() -> None:
    result = decode("Harga naik di café".encode()[:-1])
    assert result.text == "Harga naik di caf"
    assert result.encoding == "utf-8"


# -- mojibake ----------------------------------------------------------------------------


def test_mojibake_quotes_repaired() -> None:
    broken = "Presiden Jokowi mengatakan â€œkitaâ€\x9d harus bersatu"
    result = decode(broken.encode("utf-8"))
    assert result.text == "Presiden Jokowi mengatakan “kita” harus bersatu"
    assert result.repaired
    assert result.encoding == "utf-8"


def test_mojibake_accents_repaired() -> None:
    result = decode("CafÃ© Ã  la carte".encode())
    assert result.text == "Café à la carte"
    assert result.repaired


def test_mojibake_inside_cp1252_page_repaired() -> None:
    # A cp1252 page (curly quotes as single bytes) into which mojibake was pasted.
    page = "Kata dia: “CafÃ© ini enak”, lalu pergi.".encode("cp1252")
    result = decode(page)
    assert result.encoding == "cp1252"
    assert result.text == "Kata dia: “Café ini enak”, lalu pergi."
    assert result.repaired


def test_correct_text_with_marker_letters_is_left_alone() -> None:
    text = "Ärzte in Åland und Ñandú: Ã is a letter too, as in São Paulo."
    result = decode(text.encode("utf-8"))
    assert result.text == text
    assert not result.repaired


def test_repair_keeps_curly_quotes_and_entities() -> None:
    # Only encoding errors are fixed: no uncurling, no HTML unescaping, no width folding.
    text = "â€œDia bilang â€˜yaâ€™â€\x9d &amp; ｆｕｌｌ ﬁ"
    result = decode(text.encode("utf-8"))
    assert result.text == "“Dia bilang ‘ya’” &amp; ｆｕｌｌ ﬁ"


# -- normalisation -----------------------------------------------------------------------


def test_line_ends_normalised() -> None:
    assert decode(b"satu\r\ndua\rtiga\nempat").text == "satu\ndua\ntiga\nempat"


def test_nfc() -> None:
    assert decode("cafe\u0301".encode()).text == "caf\u00e9"


def test_leading_bom_character_dropped() -> None:
    # A BOM encoded twice leaves a BOM character after the first is consumed.
    assert decode(codecs.BOM_UTF8 * 2 + b"isi berita").text == "isi berita"


def test_tabs_and_form_feeds_are_not_control_characters() -> None:
    text = "kolom\tkolom\fhalaman baru\n" * 10
    assert decode(text.encode()).text == text


# -- refusals ----------------------------------------------------------------------------


def test_empty() -> None:
    with pytest.raises(EmptyInput) as info:
        decode(b"")
    assert info.value.source == "test"


@pytest.mark.parametrize(
    "data", [b"   ", b"\n\r\n\t ", codecs.BOM_UTF8 + b" \n", "\u3000".encode()]
)
def test_whitespace_only(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        decode(data)


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(NotText, match="contains NUL bytes") as info:
        decode(b"PK\x03\x04\x00\x00\x08\x00 some zip header and more")
    assert info.value.source == "test"
    assert "not_text" in info.value.one_line()


def test_control_characters_are_binary() -> None:
    data = bytes(range(1, 32)) * 10 + b"a few letters"
    with pytest.raises(NotText, match=r"\d+% control"):
        decode(data)


def test_replacement_characters_are_binary() -> None:
    # A UTF-8 BOM in front of bytes that are not UTF-8 at all.
    with pytest.raises(NotText, match=r"\d+% control or replacement"):
        decode(codecs.BOM_UTF8 + bytes(range(0x80, 0xC0)) * 4)


def test_no_letters_is_not_text() -> None:
    with pytest.raises(NotText, match="no letters"):
        decode(b"0123456789 +-*/ " * 8)


def test_short_input_without_letters_is_allowed() -> None:
    assert decode(b"12/08/2024").text == "12/08/2024"


def test_random_bytes_are_not_text() -> None:
    data = os.urandom(64 * 1024)
    with pytest.raises(NotText):
        decode(data)


def test_random_bytes_without_nul_are_not_text() -> None:
    data = os.urandom(64 * 1024).replace(b"\x00", b"\x01")
    with pytest.raises(NotText, match="control"):
        decode(data)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_decode_or_raise_an_input_error(data: bytes) -> None:
    try:
        result = decode(data)
    except (EmptyInput, NotText) as exc:
        assert exc.source == "test"
        assert exc.message
        return
    assert isinstance(result.text, str)
    assert result.text.strip()
    assert "\r" not in result.text
    assert not result.text.startswith("\ufeff")


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_any_utf8_text_never_raises_anything_else(text: str) -> None:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be encoded at all
        return
    try:
        decode(data)
    except WartaError as exc:
        assert isinstance(exc, EmptyInput | NotText)


def test_large_utf8_page_is_fast() -> None:
    data = (INDONESIAN + "\n").encode() * 100_000  # about 17 MB
    start = time.process_time()  # CPU time, not the wall clock of a loaded machine
    result = decode(data)
    elapsed = time.process_time() - start
    assert not result.repaired
    assert elapsed < 2.0  # about 0.2 s on a laptop; generous for slow CI machines
