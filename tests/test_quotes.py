"""Quotes: the seed article's six statements, scare quotes, and hand-made cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.core.record import Mention
from warta.nlp.quotes import QuoteStage, find_quotes

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def _m(
    body: str, text: str, canonical: str, qid: str, source: str = "ner", nth: int = 0
) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, "PERSON", qid, canonical, source)


@pytest.mark.skipif(not SEED.is_dir(), reason="../shared/seed absent")
def test_seed_quotes_exactly() -> None:
    from warta.api import extract_text

    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))
    page = next(p for p in SEED.iterdir() if p.suffix == ".txt")
    a = extract_text(page.read_bytes())
    got = find_quotes(a.body, a.entities)
    as_dicts = [{"speaker": q.speaker, "kind": q.kind, "text": q.text, "cue": q.cue} for q in got]
    for want in expected["quotes"]:
        assert want in as_dicts
    assert len(as_dicts) == len(expected["quotes"])
    for q in got:
        assert a.body[q.start : q.end] == q.text
        assert q.speaker_id == "Q76"
    texts = [q.text for q in got]
    for scare in expected["not_quotes"]:
        assert scare not in texts


def test_direct_postposed_and_nya() -> None:
    body = '"Kami akan terus bekerja," kata Jokowi di Jakarta.\n\n"Tidak ada masalah," ujarnya.'
    ms = [_m(body, "Jokowi", "Joko Widodo", "Q3318231")]
    got = find_quotes(body, ms)
    assert [(q.kind, q.text, q.cue, q.speaker) for q in got] == [
        ("direct", "Kami akan terus bekerja", "kata Jokowi", "Joko Widodo"),
        ("direct", "Tidak ada masalah", "ujarnya", "Joko Widodo"),
    ]


def test_scare_quote_is_not_a_quote() -> None:
    body = 'Mereka membentuk "koalisi tunggal dan besar" di kawasan itu.'
    assert find_quotes(body, []) == []


def test_title_without_mention_kept_as_speaker() -> None:
    body = '"Pelaku sudah kami tangkap," kata Kapolri.'
    (q,) = find_quotes(body, [])
    assert (q.speaker, q.speaker_id, q.cue) == ("Kapolri", None, "kata Kapolri")


def test_indirect_with_bahwa_and_menurutnya() -> None:
    body = (
        "Menteri Retno Marsudi menyatakan bahwa Indonesia menolak rencana itu. "
        "Menurutnya, rencana itu melanggar hukum internasional."
    )
    ms = [_m(body, "Retno Marsudi", "Retno Marsudi", "Q1")]
    got = find_quotes(body, ms)
    assert [(q.kind, q.text, q.cue, q.speaker) for q in got] == [
        (
            "indirect",
            "Indonesia menolak rencana itu",
            "Menteri Retno Marsudi menyatakan",
            "Retno Marsudi",
        ),
        ("indirect", "rencana itu melanggar hukum internasional", "Menurutnya", "Retno Marsudi"),
    ]


def test_quote_across_paragraphs() -> None:
    body = (
        '"Kami siap membantu warga yang terdampak banjir.\n\n"Bantuan akan tiba besok," kata Anies.'
    )
    ms = [_m(body, "Anies", "Anies Baswedan", "Q2")]
    (q,) = find_quotes(body, ms)
    assert q.kind == "direct" and q.speaker == "Anies Baswedan"
    assert q.text.startswith("Kami siap") and q.text.endswith("tiba besok")


def test_english_cues() -> None:
    body = (
        '"We are ready to work with Russia," Obama said on Wednesday. '
        "According to Obama, Russia still wants Assad in power. "
        '"It is a mistake," said Putin.'
    )
    ms = [
        _m(body, "Obama", "Barack Obama", "Q76"),
        _m(body, "Obama", "Barack Obama", "Q76", nth=1),
        _m(body, "Putin", "Vladimir Putin", "Q7747"),
    ]
    got = find_quotes(body, ms)
    assert [(q.kind, q.text, q.cue, q.speaker) for q in got] == [
        ("direct", "We are ready to work with Russia", "Obama said", "Barack Obama"),
        ("indirect", "Russia still wants Assad in power", "According to Obama", "Barack Obama"),
        ("direct", "It is a mistake", "said Putin", "Vladimir Putin"),
    ]


def test_stage_contract() -> None:
    assert QuoteStage.name == "nlp.quotes.v1"
    assert QuoteStage.requires == frozenset({"body", "entities"})
    assert QuoteStage.provides == frozenset({"quotes"})


def _typed(body: str, text: str, kind: str, canonical: str, nth: int = 0) -> Mention:
    m = _m(body, text, canonical, f"warta:{kind.lower()}:{canonical.lower()}", nth=nth)
    return Mention(m.start, m.end, m.text, kind, m.entity_id, m.canonical, m.source)


def test_role_before_the_name_in_a_postposed_cue() -> None:
    body = (
        '"Kami sedang menyelidiki," kata Kepala Unit Reskrim Polsek Tamansari '
        "Ajun Komisaris Roland Manurung di Jakarta, Senin."
    )
    ms = [
        _typed(body, "Polsek Tamansari", "ORGANIZATION", "Polsek Tamansari"),
        _m(body, "Roland Manurung", "Roland Manurung", "Q9"),
    ]
    (q,) = find_quotes(body, ms)
    assert q.speaker == "Roland Manurung" and q.speaker_id == "Q9"
    assert q.cue is not None and q.cue.startswith("kata Kepala") and q.cue.endswith("Manurung")


def test_nya_goes_to_the_person_just_introduced_not_the_last_quoted() -> None:
    body = (
        '"Kapal sudah beroperasi," kata Kusnawan.\n\n'
        "Abdian Saputra, koordinator kapal cepat, juga menyampaikan harapan serupa.\n\n"
        '"Kami sudah jalan lagi," tuturnya.'
    )
    ms = [
        _m(body, "Kusnawan", "Lalu Kusnawan", "Q1"),
        _m(body, "Abdian Saputra", "Abdian Saputra", "Q2"),
    ]
    got = find_quotes(body, ms)
    assert [(q.text, q.speaker) for q in got] == [
        ("Kapal sudah beroperasi", "Lalu Kusnawan"),
        ("Kami sudah jalan lagi", "Abdian Saputra"),
    ]


def test_katanya_and_kata_dia_take_the_salient_person() -> None:
    body = (
        "Menteri Retno Marsudi menyatakan bahwa Indonesia menolak rencana itu.\n\n"
        '"Kami tidak akan mundur," katanya.\n\n"Itu sikap kami," kata dia.'
    )
    ms = [_m(body, "Retno Marsudi", "Retno Marsudi", "Q1")]
    got = find_quotes(body, ms)
    assert [(q.kind, q.cue, q.speaker) for q in got] == [
        ("indirect", "Menteri Retno Marsudi menyatakan", "Retno Marsudi"),
        ("direct", "katanya", "Retno Marsudi"),
        ("direct", "kata dia", "Retno Marsudi"),
    ]


def test_title_speaker_is_the_person_named_with_that_title() -> None:
    body = (
        "Presiden Joko Widodo meminta bantuan sosial segera disalurkan.\n\n"
        '"Ini sudah sangat mendesak," kata Presiden dalam rapat terbatas, Senin.'
    )
    ms = [_m(body, "Joko Widodo", "Joko Widodo", "Q3318231")]
    (q,) = find_quotes(body, ms)
    assert (q.speaker, q.speaker_id, q.cue) == ("Joko Widodo", "Q3318231", "kata Presiden")


def test_things_that_are_no_name_never_speak() -> None:
    body = (
        "Doni Monardo memimpin rapat itu.\n\n"
        "Pandemi Covid-19 membuat pandemi makin sulit ditangani di daerah.\n\n"
        '"Kami terus bekerja," ujarnya.'
    )
    ms = [
        _m(body, "Doni Monardo", "Doni Monardo", "Q4"),
        _typed(body, "Pandemi", "PERSON", "Pandemi"),
        _typed(body, "Covid", "PERSON", "Covid"),
    ]
    (q,) = find_quotes(body, ms)
    assert q.speaker == "Doni Monardo"


def test_a_name_ner_typed_as_place_is_still_the_person_named_before() -> None:
    body = (
        "Komisaris Besar Mokhamad Ngajib memimpin patroli.\n\n"
        '"Kami berpatroli setiap hari," ujar Ngajib.'
    )
    ms = [
        _m(body, "Mokhamad Ngajib", "Mokhamad Ngajib", "Q5"),
        _typed(body, "Ngajib", "PLACE", "Ngajib", nth=1),
    ]
    (q,) = find_quotes(body, ms)
    assert (q.speaker, q.speaker_id) == ("Mokhamad Ngajib", "Q5")


def test_a_name_no_mention_covers_speaks_as_written_without_an_id() -> None:
    """One of the two speakers that are no entity mention: a capitalised run the NER missed."""
    body = '"Kami siap," kata Krishnadi di Jakarta.'
    (q,) = find_quotes(body, [])
    assert (q.speaker, q.speaker_id, q.cue) == ("Krishnadi", None, "kata Krishnadi")


def test_a_titled_name_a_place_mention_swallowed_still_speaks() -> None:
    """A place mention that runs on into a titled name leaves the name after the title free
    (the entity stage splits such a mention at its first title, under more conditions)."""
    body = '"Kami siap," kata Kapolda Sultra Komisaris Besar Ferry Walintukan.'
    ms = [_typed(body, "Sultra Komisaris Besar Ferry Walintukan", "PLACE", "Sultra")]
    (q,) = find_quotes(body, ms)
    assert (q.speaker, q.speaker_id, q.role, q.affiliation) == (
        "Ferry Walintukan",
        None,
        "Kapolda",
        "Sultra",
    )


# --------------------------------------------------------------- role and affiliation (issue 5)


def _role(page: str) -> list[tuple[str | None, str | None, str | None]]:
    from warta.api import extract_text

    return [(q.speaker, q.role, q.affiliation) for q in extract_text(page).quotes]


@pytest.mark.parametrize(
    "page, speaker_word, role, affiliation",
    [
        (
            'Jakarta - "Kami masih menyelidiki kasus ini," kata Kepala Unit Reskrim Polres Metro'
            " Jakarta Barat AKP Roland Manurung di Jakarta, Senin.",
            "Roland",
            "Kepala Unit Reskrim",
            "Polres Metro Jakarta Barat",
        ),
        (
            'Jakarta - "Defisit anggaran tetap terjaga," ujar Menteri Keuangan Sri Mulyani'
            " Indrawati.",
            "Mulyani",
            "Menteri Keuangan",
            None,
        ),
        (
            "Jakarta - Presiden AS Barack Obama mengatakan, Rusia harus menarik pasukannya dari"
            " wilayah itu.",
            "Obama",
            "Presiden",
            "AS",
        ),
        (
            'Jakarta - "Kami siap," ujar Kepala Bidang Humas Polda Metro Jaya Kombes Yusri Yunus.',
            "Yusri",
            "Kepala Bidang Humas",
            "Polda Metro Jaya",
        ),
        (
            'Jakarta - "Data ini harus dibuka," kata Aziz Yanuar, anggota tim kuasa hukum.',
            "Aziz",
            "anggota tim kuasa hukum",
            None,
        ),
        (
            'Jakarta - "We will cut the tax next year," said John Smith, a spokesman for the'
            " ministry.",
            "Smith",
            "spokesman",
            "the ministry",
        ),
    ],
)
def test_role_and_affiliation_as_stated(
    page: str, speaker_word: str, role: str, affiliation: str | None
) -> None:
    got = _role(page)
    assert len(got) == 1
    speaker, got_role, got_affiliation = got[0]
    assert speaker is not None and speaker_word in speaker
    assert (got_role, got_affiliation) == (role, affiliation)


def test_no_role_stated_gives_none() -> None:
    assert _role('Jakarta - "Kami siap menghadapi banjir," kata Budi Santoso.') == [
        ("Budi Santoso", None, None)
    ]
    assert _role('Jakarta - "We are ready for the storm," said John Smith.') == [
        ("John Smith", None, None)
    ]


def test_a_title_alone_is_the_role() -> None:
    assert _role('Jakarta - "Kami tidak tahu soal itu," kata Kapolri.')[0][1:] == ("Kapolri", None)


# ------------------------------------------------- an apposition or aside around the name


@pytest.mark.parametrize(
    ("page", "speaker", "role", "affiliation"),
    [
        (
            "Jakarta - Juru bicara KPK, Ali Fikri, mengatakan, penyidik telah memeriksa tiga"
            " saksi.",
            "Ali Fikri",
            "Juru bicara",
            "KPK",
        ),
        (
            "Makassar - Kepala BPBD Kota Makassar, Rudi Hartono, mengatakan air laut mulai masuk.",
            "Rudi Hartono",
            "Kepala",
            "BPBD Kota Makassar",
        ),
        (
            "Jakarta - Abhan, yang juga Ketua Bawaslu, mengatakan pengawasan akan diperketat.",
            "Abhan",
            "Ketua",
            "Bawaslu",
        ),
        (
            "Jakarta - Menurut pengamat politik dari Universitas Indonesia, Budi Santoso,"
            " koalisi itu rapuh.",
            "Budi Santoso",
            "pengamat politik",
            "Universitas Indonesia",
        ),
        (
            "Jakarta - John Smith, a spokesman for the ministry, said the plan was ready.",
            "John Smith",
            "spokesman",
            "the ministry",
        ),
    ],
)
def test_speaker_phrase_spans_an_apposition(
    page: str, speaker: str, role: str, affiliation: str
) -> None:
    from warta.api import extract_text

    (q,) = extract_text(page).quotes
    assert q.kind == "indirect"
    assert (q.speaker, q.role, q.affiliation) == (speaker, role, affiliation)
    assert q.cue is not None and speaker in q.cue


def test_apposition_role_goes_to_the_later_nya_quote() -> None:
    from warta.api import extract_text

    page = (
        "Jakarta - Juru bicara KPK, Ali Fikri, mengatakan, penyidik telah memeriksa tiga saksi."
        '\n\n"Pemeriksaan akan dilanjutkan pekan depan," ujarnya.'
    )
    got = [(q.kind, q.speaker, q.role, q.affiliation) for q in extract_text(page).quotes]
    assert got == [
        ("indirect", "Ali Fikri", "Juru bicara", "KPK"),
        ("direct", "Ali Fikri", "Juru bicara", "KPK"),
    ]


def test_a_clause_or_list_before_the_cue_is_no_apposition() -> None:
    from warta.api import extract_text

    # a place adjunct, then a common noun: no named speaker, no quote (as before)
    assert (
        extract_text("Jakarta - Di Jakarta, polisi mengatakan pelaku sudah ditangkap.").quotes == []
    )
    # a time clause before the speaker: the speaker is the titled person after the comma
    (q,) = extract_text(
        "Jakarta - Setelah rapat, Menteri Basuki mengatakan proyek itu selesai tahun depan."
    ).quotes
    assert (q.speaker, q.cue) == ("Basuki", "Menteri Basuki mengatakan")
    # a list of names is no role and its name: the speaker stays the one next to the verb
    (q,) = extract_text("Jakarta - Budi, Ani, dan Joko mengatakan mereka akan datang besok.").quotes
    assert q.speaker == "Joko"
    # two names between commas, neither a role: no apposition, no quote
    assert (
        extract_text("Jakarta - Budi Santoso, Ani Lestari, mengatakan hal itu benar.").quotes == []
    )
    # an aside naming someone else's role is not taken for the speaker's
    assert all(
        q.speaker != "Rajiun"
        for q in extract_text(
            "Jakarta - Syarifudin, kuasa hukum Rajiun Tumada, mengatakan laporan itu benar."
        ).quotes
    )


def test_a_currency_before_an_amount_is_never_a_speaker() -> None:
    """'Rp' before '10.600' was taken for a name the NER missed and spoke quotes of a real
    IndoSum article; a capitalised word before a number is an amount's unit."""
    body = (
        "Ketua APTRI Agus menyatakan bahwa harga gula terlalu rendah .\n\n"
        "Adapun besarnya BPP gula tani , kata dia , sebesar Rp 10.600 per kilogramnya ."
    )
    ms = [_m(body, "Agus", "Agus", "Q2")]
    speakers = [q.speaker for q in find_quotes(body, ms)]
    assert "Rp" not in speakers and speakers[0] == "Agus", speakers
