"""Deterministic synthetic plain-text news pages for speed and memory benchmarks.

The sentences are generated from small word pools written for warta (no third-party text);
furniture lines are the standard phrases of Indonesian news templates. Pages average about
40 lines and 450 words, close to a real scraped article.
"""

from __future__ import annotations

import random

SUBJECTS = [
    "Pemerintah",
    "Gubernur Jawa Barat",
    "Menteri Keuangan",
    "Polisi",
    "Warga desa",
    "Kepala BMKG",
    "Ketua KPU",
    "Direktur utama perusahaan itu",
    "Tim SAR gabungan",
    "Presiden",
    "Wali kota",
    "Juru bicara kementerian",
    "Para petani",
    "Bank Indonesia",
]
VERBS = [
    "mengumumkan",
    "menyatakan",
    "meninjau",
    "membahas",
    "menolak",
    "menyetujui",
    "memeriksa",
    "meresmikan",
    "mengevaluasi",
    "menyiapkan",
    "mendukung",
    "mengkritik",
]
OBJECTS = [
    "rencana anggaran tahun depan",
    "pembangunan jalan tol baru",
    "harga beras di pasar",
    "penanganan banjir di wilayah utara",
    "program bantuan sosial",
    "jadwal pemilihan",
    "kebijakan suku bunga",
    "laporan keuangan semester pertama",
    "jalur evakuasi warga",
    "sistem peringatan dini gempa",
    "rencana relokasi pasar tradisional",
]
TAILS = [
    "di Jakarta pada Senin (12/3/2018)",
    "dalam rapat terbatas kemarin",
    "setelah menerima laporan dari daerah",
    "di hadapan wartawan",
    "sejak awal pekan ini",
    "dengan melibatkan sejumlah pihak terkait",
    "meski masih menuai perdebatan",
]
FURNITURE_TOP = [
    "Beranda",
    "Nasional",
    "Regional",
    "Ekonomi",
    "Login",
    "Daftar",
    "Baca berita tanpa iklan. Gabung Kompas.com+",
    "ADVERTISEMENT",
]
FURNITURE_MID = [
    "Baca juga: Harga Cabai Naik Lagi Jelang Akhir Tahun",
    "SCROLL TO CONTINUE WITH CONTENT",
    "ADVERTISEMENT",
    "[Gambas:Video 20detik]",
    "Simak Video: Banjir Rendam Jalan Utama",
]
FURNITURE_END = [
    "Sumber: Antara",
    "(rdp/imk)",
    "Bagikan artikel ini melalui",
    "Video rekomendasi",
    "Terkini Lainnya",
    "Copyright © 2024 Kompas.com",
    "Halaman 1 2 Selanjutnya",
    "Tag: ekonomi, anggaran, banjir",
    "Oke",
    "Close Ads",
]
OUTLETS = [
    "KOMPAS.com - ",
    "JAKARTA, KOMPAS.com - ",
    "Jakarta (ANTARA) - ",
    "TEMPO.CO, Jakarta - ",
    "Jakarta, CNN Indonesia -- ",
    "Liputan6.com, Jakarta - ",
    "Jakarta - ",
]


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(TAILS)}, {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    )


def make_page(i: int) -> str:
    rng = random.Random(i)
    lines = rng.sample(FURNITURE_TOP, 4)
    lines.append(
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS).title()}"
    )
    lines.append(
        f"Kompas.com - {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/20{rng.randint(10, 25)}, "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d} WIB"
    )
    for p in range(rng.randint(8, 16)):
        para = " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
        lines.append((rng.choice(OUTLETS) + para) if p == 0 else para)
        if rng.random() < 0.2:
            lines.append(rng.choice(FURNITURE_MID))
    lines.extend(rng.sample(FURNITURE_END, 6))
    return "\n\n".join(lines) + "\n"


def pages(n: int, start: int = 0) -> list[str]:
    return [make_page(i) for i in range(start, start + n)]
