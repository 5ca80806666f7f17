"""A generated evaluation set for PII masking: real article paragraphs (detik.com bodies from
../shared/data, read at run time, never copied here) with planted personal data of each kind,
and planted look-alikes that must never be masked (dates, prices, statute and case numbers,
years, times, postcodes).

How it is made: paragraphs are taken from the articles in file order; a paragraph that already
holds something personal-looking (an ``@``, a ``+digit``, a number starting with 0 of 6+
digits, or 9+ digits in a row) is left out by that crude filter — written before and
independently of the masker — so a hit outside the planted spans is a false positive. Into each
remaining paragraph, between sentences, go one to three planted sentences (Indonesian carrier
sentences, some naming the kind, some not) and one to three look-alikes. Values are random
but valid (NIK with a real province code and birth date, cards with an issuer prefix and Luhn
digit, IBANs with their mod-97 digits), written in the formats people use.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DETIK = SHARED / "detik_summ_entity_1000" / "data_berita.csv.gz"

KINDS = ("email", "phone", "nik", "card", "bank_account")


@dataclass
class Doc:
    text: str
    planted: list[tuple[int, int, str]] = field(default_factory=list)
    decoys: list[tuple[int, int, str]] = field(default_factory=list)


def paragraphs(path: Path = DETIK) -> list[str]:
    """Clean-looking paragraphs of the detik bodies (the crude filter above)."""
    bad = re.compile(r"@|\+\d|\b0\d{5,}|\b0\d{2,4}[ -]\d{3,}|\d{9,}")
    out = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for para in row["isi_berita"].split("\n"):
                para = para.strip()
                if len(para) >= 120 and not bad.search(para):
                    out.append(para)
    return out


# -- values -----------------------------------------------------------------------------------

_NAMES = ["budi", "siti", "agus", "dewi", "rina", "andi", "putri", "joko", "wahyu", "fitri",
          "hendra", "nurul", "bambang", "yuni", "rizky", "ayu", "dimas", "indah", "fajar", "lestari"]
_DOMAINS = ["gmail.com", "yahoo.co.id", "yahoo.com", "outlook.com", "kemenkeu.go.id",
            "mail.ugm.ac.id", "ui.ac.id", "detik.com", "kompas.co.id", "hotmail.com", "pt-maju.co.id"]
_PROVINCES = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61,
              62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 94]


def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice(string.digits) for _ in range(n))


def _luhn_complete(r: random.Random, prefix: str, length: int) -> str:
    body = prefix + _digits(r, length - len(prefix) - 1)
    for check in string.digits:
        total = 0
        for i, ch in enumerate(reversed(body + check)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


def email(r: random.Random) -> str:
    a, b = r.sample(_NAMES, 2)
    local = r.choice([a, f"{a}.{b}", f"{a}_{b}", f"{a}{r.randint(1, 99)}", f"{a}.{b}{r.randint(70, 99)}"])
    return f"{local}@{r.choice(_DOMAINS)}"


def phone(r: random.Random) -> str:
    mob = "8" + r.choice(["11", "12", "13", "21", "22", "52", "53", "57", "58", "77", "78", "95", "96", "38"])
    rest = _digits(r, r.choice([7, 8, 8, 8]))
    fmt = r.randrange(12)
    if fmt == 0:
        return f"0{mob}{rest}"
    if fmt == 1:
        return f"0{mob}-{rest[:4]}-{rest[4:]}"
    if fmt == 2:
        return f"0{mob} {rest[:4]} {rest[4:]}"
    if fmt == 3:
        return f"+62 {mob}-{rest[:4]}-{rest[4:]}"
    if fmt == 4:
        return f"+62{mob}{rest}"
    if fmt == 5:
        area = r.choice(["21", "22", "24", "31", "274", "361", "411", "61"])
        return f"(0{area}) {_digits(r, 3 if len(area) == 3 else 4)} {_digits(r, 4)}"
    if fmt == 6:
        return f"0{r.choice(['21', '22', '31', '24'])}-{_digits(r, 7)}"
    if fmt == 7:
        return f"+62 21 {_digits(r, 4)} {_digits(r, 4)}"
    if fmt == 8:
        return f"+44 20 {_digits(r, 4)} {_digits(r, 4)}"
    if fmt == 9:
        return f"+61 4{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}"
    if fmt == 10:
        return r.choice([f"+65 6{_digits(r, 3)} {_digits(r, 4)}", f"+60 12-{_digits(r, 3)} {_digits(r, 4)}"])
    return f"+1 ({r.randint(201, 989)}) {_digits(r, 3)}-{_digits(r, 4)}"


def nik(r: random.Random) -> str:
    day = r.randint(1, 28) + (40 if r.random() < 0.5 else 0)
    return (f"{r.choice(_PROVINCES)}{r.randint(1, 79):02d}{r.randint(1, 40):02d}"
            f"{day:02d}{r.randint(1, 12):02d}{r.randint(50, 99) if r.random() < .7 else r.randint(0, 9):02d}"
            f"{r.randint(1, 9999):04d}")


def card(r: random.Random) -> str:
    prefix, length = r.choice([("4", 16), ("4", 16), ("5" + str(r.randint(1, 5)), 16),
                               (str(r.randint(2221, 2720)), 16), (r.choice(["34", "37"]), 15),
                               ("35" + str(r.randint(28, 89)), 16), ("62", 16)])
    num = _luhn_complete(r, prefix, length)
    fmt = r.randrange(3)
    if length == 15:
        return num if fmt == 0 else f"{num[:4]} {num[4:10]} {num[10:]}"
    if fmt == 0:
        return num
    sep = " " if fmt == 1 else "-"
    return sep.join(num[i : i + 4] for i in range(0, 16, 4))


def _iban(r: random.Random) -> str:
    country, bban = r.choice([("DE", _digits(r, 18)), ("GB", "WEST" + _digits(r, 14)),
                              ("NL", "ABNA" + _digits(r, 10)), ("FR", _digits(r, 23))])
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    s = f"{country}{check:02d}{bban}"
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def bank_account(r: random.Random) -> str:
    fmt = r.randrange(5)
    if fmt == 0:
        return _digits(r, 10)  # BCA, BNI
    if fmt == 1:
        return f"{_digits(r, 3)}-{_digits(r, 2)}-{_digits(r, 7)}-{_digits(r, 1)}"  # Mandiri
    if fmt == 2:
        return f"{_digits(r, 4)}-01-{_digits(r, 6)}-50-{_digits(r, 1)}"  # BRI
    if fmt == 3:
        return _digits(r, 13)
    return _iban(r)


_CARRIERS: dict[str, list[str]] = {
    "email": ["Keluhan dapat dikirim melalui surel {v}.", "Hubungi redaksi di {v} untuk klarifikasi.",
              "Ia mengaku menerima pesan dari alamat {v} sehari sebelumnya.", "Kontak: {v}",
              "Dokumen itu dikirim ke {v}, kata dia."],
    "phone": ["Warga dapat menghubungi {v} untuk informasi lebih lanjut.", "Nomor ponselnya, {v}, kini tidak aktif.",
              "Laporan bisa disampaikan lewat WhatsApp di {v}.", "Hubungi {v} bila menemukan hal mencurigakan.",
              "Pelaku sempat menelepon korban dari nomor {v} sebelum kabur.", "Layanan pengaduan: {v}."],
    "nik": ["Tersangka tercatat dengan NIK {v} di data kependudukan.", "Data yang bocor memuat NIK {v} beserta alamatnya.",
            "Nomor KTP {v} itu dipakai untuk mendaftar pinjaman.", "Identitas pelaku, {v}, telah dikantongi polisi.",
            "Dalam dokumen tertulis nomor induk kependudukan {v}."],
    "card": ["Korban kehilangan kartu kredit bernomor {v}.", "Transaksi memakai kartu {v} ditolak bank.",
             "Nomor kartu debit {v} tersebar di grup percakapan.", "Pelaku menggunakan nomor {v} untuk belanja daring.",
             "Tagihan dibebankan ke kartu {v} milik pelapor."],
    "bank_account": ["Uang ditransfer ke rekening BCA {v} atas nama pelaku.", "Donasi dapat disalurkan melalui rekening Mandiri {v}.",
                     "Polisi memblokir rekening {v} yang menampung dana hasil penipuan.",
                     "Dana dikirim ke nomor rekening BRI {v}.", "Penipu meminta korban mentransfer ke no. rek {v}."],
}
_IBAN_CARRIERS = ["Dana diteruskan ke rekening luar negeri dengan IBAN {v}.", "Transfer ke IBAN {v} sempat tertahan.",
                  "Sisa uang dikirim ke {v} di sebuah bank Eropa."]


def decoy(r: random.Random) -> tuple[str, str]:
    """A sentence and, in it, the look-alike that must stay (its kind)."""
    d, m, y = r.randint(1, 28), r.randint(1, 12), r.randint(1990, 2025)
    choices = [
        ("date", f"{d:02d}-{m:02d}-{y}", "Sidang digelar pada {v} di pengadilan negeri."),
        ("date", f"{y}-{m:02d}-{d:02d}", "Surat itu bertanggal {v}."),
        ("date", f"{d:02d}/{m:02d}/{y}", "Keputusan berlaku sejak {v}."),
        ("date", f"{d:02d}.{m:02d}.{y}", "Tertanggal {v}, surat itu diteken bupati."),
        ("price", f"Rp {r.randint(1, 999)}.{r.randint(0, 999):03d}.{r.randint(0, 999):03d}", "Kerugian ditaksir mencapai {v}."),
        ("price", f"Rp{r.randint(1, 99)}.{r.randint(0, 999):03d}.{r.randint(0, 999):03d}.{r.randint(0, 999):03d}", "Anggaran proyek sebesar {v}."),
        ("price", f"Rp {r.randint(1, 99)},{r.randint(1, 9)} miliar", "Nilai kontraknya {v}."),
        ("price", f"USD {r.randint(1, 999)},{r.randint(0, 999):03d},{r.randint(0, 999):03d}", "Investasi senilai {v} masuk tahun ini."),
        ("price", f"Rp {r.randint(10, 999)}.{r.randint(0, 999):03d},00", "Harga tiket {v} per orang."),
        ("article", f"Pasal {r.randint(1, 500)} ayat ({r.randint(1, 5)})", "Ia dijerat {v} KUHP."),
        ("article", f"UU Nomor {r.randint(1, 40)} Tahun {y}", "Aturan itu tercantum dalam {v}."),
        ("article", f"Nomor {r.randint(1, 200)}/PUU-XXI/{y}", "Putusan MK {v} menjadi rujukan."),
        ("article", f"{r.randint(100, 9999)}/Pid.B/{y}/PN Jkt.Sel", "Perkara bernomor {v} disidangkan hari ini."),
        ("article", f"No. {r.randint(1, 99):02d}/{r.randint(1000, 9999)}/{y}", "Surat edaran {v} dicabut."),
        ("year", f"{y}", "Program ini dimulai sejak {v}."),
        ("time", f"{r.randint(6, 9):02d}.{r.choice(['00', '30'])}-{r.randint(10, 12)}.00 WIB", "Jalan ditutup pukul {v}."),
        ("quantity", f"{r.randint(1, 99)}.{r.randint(0, 999):03d}.{r.randint(0, 999):03d} jiwa", "Penduduknya tercatat {v}."),
        ("postcode", f"{r.randint(10110, 99999)}", "Kantornya di Jakarta {v}."),
    ]
    kind, value, carrier = r.choice(choices)
    return kind, carrier.replace("{v}", value) + "\x00" + value


def generate(n: int = 2000, seed: int = 16, path: Path = DETIK) -> list[Doc]:
    """``n`` documents with planted PII and look-alikes (fixed by ``seed``)."""
    r = random.Random(seed)
    paras = paragraphs(path)
    makers = {"email": email, "phone": phone, "nik": nik, "card": card, "bank_account": bank_account}
    docs = []
    for i in range(n):
        base = paras[i % len(paras)]
        sentences = re.split(r"(?<=[.!?\"”])\s+", base)
        inserts: list[tuple[str, str, str]] = []  # (sentence, value, kind or decoy:kind)
        for _ in range(r.randint(1, 3)):
            kind = KINDS[(i + len(inserts)) % len(KINDS)] if r.random() < 0.6 else r.choice(KINDS)
            value = makers[kind](r)
            carriers = _IBAN_CARRIERS if kind == "bank_account" and value[:2].isalpha() else _CARRIERS[kind]
            inserts.append((r.choice(carriers).replace("{v}", value), value, kind))
        for _ in range(r.randint(1, 3)):
            kind, both = decoy(r)
            sentence, value = both.split("\x00")
            inserts.append((sentence, value, "decoy:" + kind))
        for sentence, _value, kind in inserts:
            sentences.insert(r.randint(0, len(sentences)), "\x01" + kind + "\x02" + sentence)
        doc = Doc("")
        text = ""
        for s in sentences:
            if s.startswith("\x01"):
                kind, sentence = s[1:].split("\x02", 1)
                value = next(v for sen, v, k in inserts if sen == sentence and k == kind)
                at = len(text) + (1 if text else 0) + sentence.index(value)
                span = (at, at + len(value), kind.removeprefix("decoy:"))
                (doc.decoys if kind.startswith("decoy:") else doc.planted).append(span)
                s = sentence
            text = f"{text} {s}" if text else s
        doc.text = text
        docs.append(doc)
    return docs


@dataclass
class Scores:
    tp: dict[str, int]
    fn: dict[str, int]
    fp: dict[str, int]
    wrong_kind: dict[str, int]
    decoys_masked: list[str]
    misses: list[str]
    false_hits: list[str]

    def recall(self, kind: str) -> float:
        n = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / n if n else 1.0

    def precision(self, kind: str) -> float:
        n = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / n if n else 1.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score(docs: list[Doc]) -> Scores:
    """Per kind: a planted value is found when one masked span of its kind covers at least 90%
    of it and reaches at most 10% beyond it; any other masked span is a false positive."""
    from warta.lmcorpus.pii import find_pii

    zero = dict.fromkeys(KINDS, 0)
    s = Scores(dict(zero), dict(zero), dict(zero), dict(zero), [], [], [])
    for doc in docs:
        spans = find_pii(doc.text)
        used: set[int] = set()
        for start, end, kind in doc.planted:
            length = end - start
            hit = None
            for j, p in enumerate(spans):
                ov = _overlap((start, end), (p.start, p.end))
                if ov >= 0.9 * length and (p.end - p.start) - ov <= 0.1 * length:
                    hit = j
                    break
            if hit is not None and spans[hit].kind == kind:
                s.tp[kind] += 1
                used.add(hit)
            else:
                s.fn[kind] += 1
                if hit is not None:
                    s.wrong_kind[kind] += 1
                    used.add(hit)
                    s.fp[spans[hit].kind] += 1
                s.misses.append(f"{kind}: {doc.text[start:end]!r}" + (f" as {spans[hit].kind}" if hit is not None else ""))
        for j, p in enumerate(spans):
            if j in used:
                continue
            s.fp[p.kind] += 1
            s.false_hits.append(f"{p.kind}: {doc.text[max(0, p.start - 30):p.end + 10]!r}")
        for start, end, kind in doc.decoys:
            if any(_overlap((start, end), (p.start, p.end)) for p in spans):
                s.decoys_masked.append(f"{kind}: {doc.text[start:end]!r}")
    return s
