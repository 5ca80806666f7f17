"""Issue 17, ninth pass: the trigger lexicon's coverage by PLOVER category (affixed verbs, light
verbs, nominalisations, di- passives, English and Malay forms), and the everyday senses that
its actor-type constraints and object vetoes keep out."""

from __future__ import annotations

import pytest

from warta.core.record import Mention
from warta.nlp.events import code_events, load_lexicon

PER, ORG, PLC = "PERSON", "ORGANIZATION", "PLACE"


def _coded(
    text: str, ents: list[tuple[str, str]], lang: str = "id"
) -> list[tuple[str, str | None, str | None]]:
    ms = []
    for surface, typ in ents:
        i = text.index(surface)
        ms.append(Mention(i, i + len(surface), surface, typ, canonical=surface))
    return [(e.category, e.actor, e.target) for e in code_events(text, ms, lang=lang)]


@pytest.mark.parametrize(
    "text,ents,lang,expected",
    [
        # CONSULT: a delegation received by a head of state
        (
            "Presiden Joko Widodo menerima delegasi Jepang di Istana Merdeka.",
            [("Joko Widodo", PER), ("Jepang", PLC), ("Istana Merdeka", PLC)],
            "id",
            ("CONSULT", "Joko Widodo", "Jepang"),
        ),
        # SUPPORT: a congratulation between officials
        (
            "Menteri Retno Marsudi mengucapkan selamat kepada Anwar Ibrahim.",
            [("Retno Marsudi", PER), ("Anwar Ibrahim", PER)],
            "id",
            ("SUPPORT", "Retno Marsudi", "Anwar Ibrahim"),
        ),
        # COOPERATE: a coalition between parties
        (
            "Partai Golkar berkoalisi dengan Partai Gerindra.",
            [("Partai Golkar", ORG), ("Partai Gerindra", ORG)],
            "id",
            ("COOPERATE", "Partai Golkar", "Partai Gerindra"),
        ),
        # AID: a grant between governments
        (
            "Pemerintah Jepang memberikan hibah kepada Indonesia.",
            [("Jepang", PLC), ("Indonesia", PLC)],
            "id",
            ("AID", "Jepang", "Indonesia"),
        ),
        # RETREAT: troops pulled back
        (
            "Rusia menarik mundur pasukan dari Kherson.",
            [("Rusia", PLC), ("Kherson", PLC)],
            "id",
            ("RETREAT", "Rusia", "Kherson"),
        ),
        # REJECT: a summons defied
        (
            "Budi Santoso mangkir dari panggilan KPK.",
            [("Budi Santoso", PER), ("KPK", ORG)],
            "id",
            ("REJECT", "Budi Santoso", "KPK"),
        ),
        # ASSAULT: an acid attack (a passive with an unnamed agent) and a throat cut
        (
            "Novel Baswedan disiram air keras oleh dua orang tak dikenal.",
            [("Novel Baswedan", PER)],
            "id",
            ("ASSAULT", None, "Novel Baswedan"),
        ),
        (
            "Kamal menggorok leher Endang di rumahnya.",
            [("Kamal", PER), ("Endang", PER)],
            "id",
            ("ASSAULT", "Kamal", "Endang"),
        ),
        # ASSAULT: an invasion named as a noun after a light verb
        (
            "Rusia melakukan invasi terhadap Ukraina.",
            [("Rusia", PLC), ("Ukraina", PLC)],
            "id",
            ("ASSAULT", "Rusia", "Ukraina"),
        ),
        # COERCE: a travel ban (a gap between the verb and its complement)
        (
            "KPK mencegah empat orang untuk bepergian ke luar negeri.",
            [("KPK", ORG)],
            "id",
            ("COERCE", "KPK", "orang"),
        ),
        # MOBILIZE: security stepped up, officers posted (a police actor)
        (
            "Polri meningkatkan pengamanan di wilayah perbatasan.",
            [("Polri", ORG)],
            "id",
            ("MOBILIZE", "Polri", None),
        ),
        (
            "Personel Brimob berjaga di sekitar gedung KPU.",
            [("KPU", ORG)],
            "id",
            ("MOBILIZE", "Brimob", "KPU"),
        ),
        # PROTEST: the closed spelling of "berunjuk rasa"
        (
            "Ribuan buruh berunjukrasa di depan Gedung DPR.",
            [("Gedung DPR", PLC)],
            "id",
            ("PROTEST", "buruh", "Gedung DPR"),
        ),
        # SANCTION: an envoy recalled, ties cut
        (
            "Amerika Serikat memanggil pulang duta besar untuk Rusia.",
            [("Amerika Serikat", PLC), ("Rusia", PLC)],
            "id",
            ("SANCTION", "Amerika Serikat", None),
        ),
        (
            "The United States severed ties with Iran.",
            [("United States", PLC), ("Iran", PLC)],
            "en",
            ("SANCTION", "United States", "Iran"),
        ),
        # English: an arrest, thrown objects, a rebuke
        (
            "Police apprehended two suspects in Sydney.",
            [("Sydney", PLC)],
            "en",
            ("COERCE", "Police", "suspects"),
        ),
        (
            "Protesters hurled bottles at police officers.",
            [],
            "en",
            ("ASSAULT", "Protesters", None),
        ),
        (
            "The minister castigated the opposition for the delay.",
            [],
            "en",
            ("ACCUSE", "minister", "opposition"),
        ),
        # ACCUSE: a reprimand by an official; CONCEDE: an institution reversing its decision
        (
            "Mendagri Tito Karnavian menegur Gubernur Papua.",
            [("Tito Karnavian", PER), ("Papua", PLC)],
            "id",
            ("ACCUSE", "Tito Karnavian", "Papua"),
        ),
        (
            "KPU membatalkan keputusan tentang dokumen persyaratan itu.",
            [("KPU", ORG)],
            "id",
            ("CONCEDE", "KPU", None),
        ),
        # Malay: "membidas" (criticised)
        (
            "Menteri Luar Malaysia membidas Israel.",
            [("Malaysia", PLC), ("Israel", PLC)],
            "ms",
            ("ACCUSE", "Malaysia", "Israel"),
        ),
    ],
)
def test_new_trigger_families(
    text: str,
    ents: list[tuple[str, str]],
    lang: str,
    expected: tuple[str, str | None, str | None],
) -> None:
    got = _coded(text, ents, lang)
    assert expected in got, got


@pytest.mark.parametrize(
    "text,ents,lang",
    [
        # a region's share of output is no donation
        ("Jawa Tengah menyumbang 16 persen produksi beras nasional.", [("Jawa Tengah", PLC)], "id"),
        # trust harmed is no injury
        ("Kebijakan itu mencederai kepercayaan publik.", [], "id"),
        # a letter signed is no agreement between parties
        ("Surat itu ditandatangani Ketua KPU Afifuddin.", [("KPU", ORG), ("Afifuddin", PER)], "id"),
        # a central bank calling for applicants is no meeting
        (
            "Bank Indonesia mengundang putra-putri terbaik bangsa untuk mendaftar.",
            [("Bank Indonesia", ORG)],
            "id",
        ),
        # optimism welcomed: the one "greeted" is no party (disambut's target_types)
        (
            "Optimisme tersebut disambut Duta Besar Pakistan Zahid Hafeez.",
            [("Pakistan", PLC), ("Zahid Hafeez", PER)],
            "id",
        ),
        # residents keeping watch are no forces mobilised (berjaga's actor_types)
        ("Warga berjaga di depan rumah masing-masing.", [], "id"),
        # a parent scolding is no reprimand between parties (menegur's actor_types)
        ("Ibu menegur anaknya yang bermain di jalan.", [], "id"),
        # sport and idiom in English
        ("She is the defending champion at Wimbledon.", [("Wimbledon", PLC)], "en"),
        ("He was killing time before the match.", [], "en"),
    ],
)
def test_everyday_senses_code_nothing(text: str, ents: list[tuple[str, str]], lang: str) -> None:
    assert _coded(text, ents, lang) == []


def test_state_guest_welcomed_is_a_meeting() -> None:
    """The same passive as the vetoed optimism codes when a head of state is greeted."""
    got = _coded(
        "Presiden Ramaphosa disambut Menteri Perdagangan Budi Santoso.",
        [("Ramaphosa", PER), ("Budi Santoso", PER)],
    )
    assert ("CONSULT", "Budi Santoso", "Ramaphosa") in got


@pytest.mark.parametrize("lang", ["id", "en", "ms"])
def test_every_trigger_matches_itself(lang: str) -> None:
    """The trigger alternation is grouped by literal prefix (``_prefix_groups``): each phrase
    without a gap, read alone, is matched whole and with its own category (by itself or by a
    longer phrase with an empty gap), never cut short by a shorter phrase that shares its
    beginning."""
    lex = load_lexicon(lang)
    wrong = []
    for key, phrase in lex.phrases.items():
        if "*" in phrase:
            continue
        m = lex.verbs.match(phrase)
        name = m.lastgroup if m is not None else None
        if name is not None and not name.startswith("v"):
            name = next(k for k, v in m.groupdict().items() if k.startswith("v") and v is not None)  # type: ignore[union-attr]
        if (
            m is None
            or m.end() != len(phrase)
            or lex.categories.get(name or "") != lex.categories[key]
        ):
            wrong.append(phrase)
    assert not wrong, wrong[:10]
