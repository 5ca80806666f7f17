"""PII masking: on real article paragraphs with planted personal data of each kind (generated
at run time by bench/pii_eval.py from ../shared/data), recall >= 0.99 and precision >= 0.95 per
kind, and no planted date, price, statute number, year, time or postcode is ever masked."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from warta.lmcorpus.pii import find_pii, iban_ok, luhn_ok, mask_pii, nik_ok

from conftest import require_shared

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from pii_eval import KINDS, generate, score  # noqa: E402


def test_on_planted_pii_in_real_text_each_kind_reaches_its_figures() -> None:
    path = require_shared("data", "detik_summ_entity_1000", "data_berita.csv.gz")
    scores = score(generate(1500, seed=7, path=path))
    for kind in KINDS:
        assert scores.tp[kind] + scores.fn[kind] >= 200, kind  # enough planted to measure
        assert scores.recall(kind) >= 0.99, (kind, scores.misses[:10])
        assert scores.precision(kind) >= 0.95, (kind, scores.false_hits[:10])
    assert scores.decoys_masked == []


@pytest.mark.parametrize(
    "text",
    [
        "Sidang digelar 08-12-2023 pukul 06.00-09.00 WIB.",
        "Kerugian Rp 1.250.000.000 dan USD 1,200,000 serta Rp1.500.000,00.",
        "Ia dijerat Pasal 27 ayat (3) UU Nomor 11 Tahun 2008 dan Putusan Nomor 90/PUU-XXI/2023.",
        "Perkara 1234/Pid.B/2023/PN Jkt.Sel, periode 2021-2022, tahun 1998, kode pos 12190.",
        "Penduduknya 12.345.678 jiwa; rekening itu menampung Rp 5.000.000.000.",
    ],
)
def test_numbers_that_are_not_personal_stay(text: str) -> None:
    assert find_pii(text) == []


def test_each_kind_is_masked_and_counted() -> None:
    text = (
        "Hubungi budi.santoso@gmail.com atau 0812-3456-7890, kantor (021) 5795 1234, "
        "+44 20 7946 0958. NIK 3171234501900001, kartu 4111 1111 1111 1111, "
        "rekening BCA 1234567890, IBAN DE89 3704 0044 0532 0130 00."
    )
    masked, counts = mask_pii(text)
    assert counts == {"email": 1, "phone": 3, "nik": 1, "card": 1, "bank_account": 2}
    assert "[EMAIL]" in masked and "[NIK]" in masked and "[CARD]" in masked
    assert "1234567890" not in masked and "gmail" not in masked


def test_the_checks() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert nik_ok("3171234501900001") and nik_ok("3171236501900001")  # day + 40: a woman
    assert not nik_ok("9971234501900001") and not nik_ok("3171233301900001")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")
