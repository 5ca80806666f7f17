"""URL normalisation, the SSRF address policy, body decoding and link extraction."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warta.crawl.crawler import decode_body, extract_links
from warta.crawl.fetch import address_blocked
from warta.crawl.urls import normalize_url, registered_domain, same_site, site_host


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # case, default ports, fragments, empty path
        ("HTTP://WWW.Kompas.COM:80", "http://www.kompas.com/"),
        ("https://www.kompas.com:443/a#komentar", "https://www.kompas.com/a"),
        ("https://www.kompas.com:8443/a", "https://www.kompas.com:8443/a"),
        ("https://user:pw@www.kompas.com/a", "https://www.kompas.com/a"),
        ("https://www.kompas.com./a", "https://www.kompas.com/a"),
        # dot segments and escapes
        ("https://x.com/a/./b/../c", "https://x.com/a/c"),
        ("https://x.com/%7euser/%e2%82%ac", "https://x.com/~user/%E2%82%AC"),
        ("https://x.com/berita ekonomi", "https://x.com/berita%20ekonomi"),
        # query: sorted, tracking removed, meaningful kept
        ("https://x.com/a?b=2&a=1", "https://x.com/a?a=1&b=2"),
        (
            "https://x.com/a?utm_source=fb&utm_medium=social&id=7&fbclid=Iw",
            "https://x.com/a?id=7",
        ),
        ("https://x.com/a?gclid=1&mc_cid=2&mc_eid=3&_ga=4&UTM_Campaign=x", "https://x.com/a"),
        ("https://x.com/read/1?page=all", "https://x.com/read/1?page=all"),
        ("https://x.com/a?", "https://x.com/a"),
        # AMP variants
        (
            "https://www.tribunnews.com/amp/nasional/2024/05/06/judul",
            "https://www.tribunnews.com/nasional/2024/05/06/judul",
        ),
        ("https://x.com/read/2024/judul/amp", "https://x.com/read/2024/judul"),
        ("https://x.com/read/2024/judul/amp/", "https://x.com/read/2024/judul/"),
        ("https://x.com/read/judul.amp.html", "https://x.com/read/judul.html"),
        ("https://x.com/read/1?amp", "https://x.com/read/1"),
        ("https://x.com/read/1?amp=1&page=2", "https://x.com/read/1?page=2"),
        ("https://x.com/read/1?outputType=amp", "https://x.com/read/1"),
        ("https://x.com/read/1?outputType=print", "https://x.com/read/1?outputType=print"),
        ("https://amp.kompas.com/read/1", "https://www.kompas.com/read/1"),
        (
            "https://www-kompas-com.cdn.ampproject.org/c/s/www.kompas.com/read/1?amp_js_v=0.1",
            "https://www.kompas.com/read/1",
        ),
        # mobile variants
        ("https://m.detik.com/news/d-1", "https://www.detik.com/news/d-1"),
        ("https://m.news.detik.com/berita/d-1", "https://news.detik.com/berita/d-1"),
        ("https://mobile.example.co.id/x", "https://www.example.co.id/x"),
        ("https://m.kompas.com/amp/read/1?utm_source=x#top", "https://www.kompas.com/read/1"),
        # internationalised host
        ("https://bücher.example/a", "https://xn--bcher-kva.example/a"),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected
    assert normalize_url(expected) == expected  # idempotent


@pytest.mark.parametrize(
    "raw",
    [
        "mailto:redaksi@kompas.com",
        "javascript:void(0)",
        "ftp://x.com/a",
        "",
        "http://",
        "https://x.com:99999/",
    ],
)
def test_not_crawlable(raw: str) -> None:
    assert normalize_url(raw) is None


def test_relative_against_base() -> None:
    assert normalize_url("../b?utm_term=x", "https://x.com/a/c/d") == "https://x.com/a/b"
    assert normalize_url("//m.x.com/p", "https://x.com/") == "https://www.x.com/p"


def test_variants_deduplicate_to_one() -> None:
    variants = [
        "https://www.kompas.com/read/2024/05/06/judul",
        "https://WWW.KOMPAS.COM:443/read/2024/05/06/judul#para-3",
        "https://m.kompas.com/read/2024/05/06/judul?utm_source=wa",
        "https://amp.kompas.com/read/2024/05/06/judul",
        "https://www.kompas.com/amp/read/2024/05/06/judul?fbclid=abc",
        "https://www.kompas.com/read/2024/05/06/judul?outputType=amp",
    ]
    assert len({normalize_url(v) for v in variants}) == 1


def test_site_helpers() -> None:
    assert site_host("m.kompas.com") == site_host("www.kompas.com") == "kompas.com"
    assert registered_domain("nasional.kompas.com") == "kompas.com"
    assert registered_domain("www.tempo.co.id") == "tempo.co.id"
    assert same_site("https://www.x.com/a", "https://x.com/b")
    assert not same_site("https://news.x.com/a", "https://x.com/b")
    assert same_site("https://news.x.com/a", "https://x.com/b", domain=True)
    assert not same_site("http://127.0.0.1:1/a", "http://127.0.0.1:2/a")


_URL_PART = st.text(alphabet="abcAB09-._~%/?&=#:;+ éü", max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    host=st.sampled_from(["x.com", "M.X.COM", "amp.x.co.id", "127.0.0.1", "www.x.com"]),
    rest=_URL_PART,
)
def test_normalize_is_idempotent(host: str, rest: str) -> None:
    first = normalize_url(f"https://{host}/{rest}")
    if first is not None:
        assert normalize_url(first) == first


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_private_addresses_are_blocked(address: str) -> None:
    assert address_blocked(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:2800:220:1::1"])
def test_public_addresses_pass(address: str) -> None:
    assert not address_blocked(ipaddress.ip_address(address))


def test_decode_body_trusts_valid_utf8_over_declaration() -> None:
    data = "Harga kopi naik – café di Jakarta".encode()
    assert decode_body(data, "iso-8859-1") == "Harga kopi naik – café di Jakarta"


def test_decode_body_falls_back_when_declaration_is_wrong() -> None:
    data = "Kafe Kopi – café, naïve; harga Rp 5.000".encode("cp1252")
    assert decode_body(data, "utf-8") == "Kafe Kopi – café, naïve; harga Rp 5.000"
    assert decode_body(data, "iso-8859-1") == "Kafe Kopi – café, naïve; harga Rp 5.000"


def test_extract_links() -> None:
    html = (
        '<html><head><base href="/berita/"></head><body>'
        '<a href="satu">1</a><a href="/dua#x">2</a><a href="#top">t</a>'
        '<a href="https://lain.com/x">3</a><a>no href</a><area href="empat"></body></html>'
    )
    assert extract_links(html, "https://x.com/a/b") == [
        "https://x.com/berita/satu",
        "https://x.com/dua#x",
        "https://lain.com/x",
        "https://x.com/berita/empat",
    ]
