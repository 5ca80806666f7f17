"""warta.meta.language: Indonesian, English, Malay, Javanese, or undetermined.

All sample sentences below are SELF-WRITTEN for these tests (no third-party text). The
Malay and Javanese ones are also the only Malay/Javanese evaluation material in the project:
bench/language_id.py reports them separately, because ../shared/data holds none.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.lang import load_words
from warta.meta.language import MAX_CHARS, detect_language

# Self-written, in the style of Indonesian news.
ID_SAMPLES = [
    (
        "Presiden mengatakan bahwa pemerintah akan menaikkan anggaran pendidikan tahun depan "
        "karena jumlah siswa terus bertambah."
    ),
    (
        "Polisi masih menyelidiki penyebab kebakaran yang terjadi di sebuah gudang di Jakarta "
        "Utara pada Senin malam. Tidak ada korban jiwa dalam peristiwa tersebut."
    ),
    (
        "Harga beras di sejumlah pasar tradisional naik sekitar 10 persen sejak awal pekan ini, "
        "ujar seorang pedagang yang enggan disebutkan namanya."
    ),
    (
        "Menurut dia, kebijakan itu sudah dibahas bersama DPR dan akan segera diterapkan setelah "
        "peraturan pelaksananya terbit."
    ),
    (
        "Banjir yang melanda tiga kecamatan sejak kemarin membuat ribuan warga harus mengungsi ke "
        "tempat yang lebih aman."
    ),
    "Saya enggak tahu kenapa dia tiba-tiba pergi, padahal kami sudah janji mau ketemu di kantor.",
]

# Self-written English news sentences.
EN_SAMPLES = [
    (
        "The president said on Monday that the government would raise the education budget "
        "next year because the number of students keeps growing."
    ),
    (
        "Police are still investigating the cause of the fire, which broke out at a warehouse "
        "in North Jakarta. No one was hurt."
    ),
    (
        "Rice prices in several traditional markets have risen by about 10 percent since the "
        "start of the week, a trader told reporters."
    ),
    (
        "It is not clear whether the new rules will apply to companies that have already "
        "signed contracts with the state."
    ),
]

# Self-written Malay (Malaysian standard) paragraphs.
MS_SAMPLES = [
    (
        "Kerajaan akan mengumumkan pakej bantuan baharu minggu depan bagi membantu rakyat yang "
        "terjejas akibat banjir, kata Perdana Menteri semalam."
    ),
    (
        "Polis sedang menyiasat kejadian tersebut dan meminta orang ramai yang mempunyai maklumat "
        "supaya menghubungi balai polis berhampiran. Beliau berkata siasatan awal mendapati "
        "mangsa dipercayai terjatuh selepas cuba memanjat tembok."
    ),
    (
        "Harga minyak masak dijangka turun bulan depan kerana bekalan daripada pengeluar tempatan "
        "semakin stabil, menurut kenyataan kementerian pada hari Isnin."
    ),
    (
        "Saya tak tahu apa yang berlaku sebab masa itu saya berada di pejabat. Bila balik ke "
        "rumah, pintu sudah terbuka dan wang dalam laci hilang."
    ),
    (
        "Pasukan kebangsaan akan bertolak ke Bangkok pada Khamis ini untuk menghadapi perlawanan "
        "persahabatan. Jurulatih berkata semua pemain berada dalam keadaan baik dan mahu menang."
    ),
    (
        "Sekiranya anda mahu memohon bantuan tersebut, sila lengkapkan borang dalam talian "
        "sebelum 31 Ogos. Permohonan yang tidak lengkap tidak akan diproses."
    ),
    (
        "Syarikat itu mencatatkan keuntungan sebanyak RM2.3 bilion bagi suku tahun ketiga, "
        "meningkat 12 peratus berbanding tempoh yang sama tahun lalu."
    ),
    (
        "Menteri Kesihatan berkata bahawa kes jangkitan menurun sejak awal bulan ini, namun orang "
        "ramai dinasihatkan supaya terus memakai pelitup muka di tempat awam."
    ),
]

# Self-written Javanese paragraphs: the first four ngoko, the last four krama.
JV_SAMPLES = [
    (
        "Aku wis ngomong karo kowe yen sesuk aku ora bisa teka, amarga kudu nunggoni ibu ing "
        "rumah sakit."
    ),
    (
        "Wong-wong padha ngumpul ing alun-alun kanggo nonton pagelaran wayang kulit sing digelar "
        "nganti esuk."
    ),
    (
        "Bocah-bocah iku seneng banget dolanan ing kali, nanging saiki banyune wis reged lan akeh "
        "sampahe."
    ),
    "Pak lurah kandha yen dalan menyang desa iki bakal didandani sawise mangsa rendheng rampung.",
    "Bapak sampun tindak dhateng peken wiwit enjing, dados piyambakipun mboten wonten ing griya.",
    "Kula nyuwun pangapunten menawi wonten atur kula ingkang mboten mranani panjenengan sedaya.",
    (
        "Para warga ingkang badhe nderek kerja bakti dinten Minggu mangga kempal wonten ing balai "
        "desa jam pitu enjing."
    ),
    "Menawi panjenengan badhe tindak dhateng Yogyakarta, saged nitih sepur saking Stasiun Gambir.",
]

SAMPLES = [
    *(("id", s) for s in ID_SAMPLES),
    *(("en", s) for s in EN_SAMPLES),
    *(("ms", s) for s in MS_SAMPLES),
    *(("jv", s) for s in JV_SAMPLES),
]


@pytest.mark.parametrize(("lang", "text"), SAMPLES)
def test_self_written_samples(lang: str, text: str) -> None:
    code, confidence = detect_language(text)
    assert code == lang, (code, confidence, text)
    assert 0.3 <= confidence <= 1.0


def test_whole_paragraphs_are_confident() -> None:
    for lang, samples in (("id", ID_SAMPLES), ("en", EN_SAMPLES), ("jv", JV_SAMPLES)):
        code, confidence = detect_language(" ".join(samples))
        assert code == lang and confidence > 0.9, (lang, code, confidence)
    code, confidence = detect_language(" ".join(MS_SAMPLES))
    assert code == "ms" and confidence > 0.9


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "Halo", "OK", "12345 678", "Jokowi Resmikan Tol Trans Jawa", "!!! ???", "di"],
)
def test_short_or_no_evidence_is_undetermined(text: str) -> None:
    assert detect_language(text) == ("und", 0.0)


def test_unlisted_language_has_low_confidence() -> None:
    german = (
        "Der Bundestag hat heute nach langer Debatte ein neues Gesetz beschlossen, das ab "
        "Januar gelten soll und viele Bürger betrifft."
    )
    code, confidence = detect_language(german)
    assert code == "und" or confidence < 0.3


def test_more_evidence_more_confidence() -> None:
    _, short = detect_language("Dia bilang bahwa harga naik karena")
    _, long = detect_language(" ".join(ID_SAMPLES))
    assert short < long


def test_malay_versus_indonesian_spelling() -> None:
    assert (
        detect_language("Dia berkata bahawa wang itu hilang kerana pintu tidak berkunci.")[0]
        == "ms"
    )
    assert (
        detect_language("Dia berkata bahwa uang itu hilang karena pintu tidak terkunci.")[0] == "id"
    )


def test_case_and_accents() -> None:
    assert detect_language("AKU WIS NGOMONG KARO KOWE YEN ORA ISO TEKA")[0] == "jv"
    assert detect_language("Kabèh wong padha teka ing omah, nanging aku durung mangan.")[0] == "jv"


def test_reads_only_the_start() -> None:
    head = " ".join(ID_SAMPLES)
    head = (head + " ") * (MAX_CHARS // len(head) + 1)
    tail = " ".join(EN_SAMPLES) * 20
    assert detect_language(head + tail) == detect_language(head[:MAX_CHARS])


def test_every_language_has_a_word_list() -> None:
    for code in ("id", "en", "ms", "jv"):
        assert len(load_words(code, "function_words")) >= 150, code


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_any_text(text: str) -> None:
    code, confidence = detect_language(text)
    assert code in {"id", "en", "ms", "jv", "und"}
    assert 0.0 <= confidence <= 1.0
    if code == "und":
        assert confidence == 0.0
