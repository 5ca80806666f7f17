"""Personal data masked out of training text: e-mail addresses, phone numbers (Indonesian
mobile and landline, international with a ``+``/``00`` prefix), 16-digit NIK numbers (the
Indonesian resident number), payment card numbers (Luhn) and bank account numbers (IBAN by its
mod-97 check; Indonesian accounts, which carry no public checksum, only after a word that says
"account": *rekening*, *no. rek*, a bank's name).

Each detector checks the shape a real number has — a NIK's province code and birth date, a
card's issuer prefix and Luhn digit, a phone number's trunk prefix and digit count — so the
numbers news text is full of (dates, prices in rupiah, statute and case numbers, years, times,
quantities) are left alone. Where one digit string fits two kinds (a 16-digit string may be a
valid NIK and pass Luhn), the words before it decide, then the way it is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["KINDS", "PiiSpan", "find_pii", "luhn_ok", "mask_pii", "nik_ok", "iban_ok"]

#: the kinds, in the order they win an overlap
KINDS: tuple[str, ...] = ("email", "card", "nik", "bank_account", "phone")

#: what each kind's text becomes
PLACEHOLDER: dict[str, str] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "nik": "[NIK]",
    "card": "[CARD]",
    "bank_account": "[ACCOUNT]",
}


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of personal data: ``text[start:end]`` is of ``kind``."""

    start: int
    end: int
    kind: str


# -- checksums and structure ------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    """The Luhn check digit of payment cards (ISO/IEC 7812)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


#: province codes of the NIK's first two digits (Dukcapil), the 2022 Papua provinces included
_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53]
    + [61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96]
)


def nik_ok(digits: str) -> bool:
    """A NIK's structure: province, regency and district codes, the birth date (day + 40 for
    women), then a serial number that is not 0000."""
    if len(digits) != 16 or not digits.isdigit():
        return False
    if int(digits[:2]) not in _PROVINCES or digits[2:4] == "00" or digits[4:6] == "00":
        return False
    day, month = int(digits[6:8]), int(digits[8:10])
    if day > 40:
        day -= 40
    return 1 <= day <= 31 and 1 <= month <= 12 and digits[12:] != "0000"


def iban_ok(text: str) -> bool:
    """An IBAN's ISO 13616 mod-97 check."""
    s = text.replace(" ", "").upper()
    if not (15 <= len(s) <= 34) or not s[:2].isalpha() or not s[2:4].isdigit():
        return False
    moved = s[4:] + s[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _card_prefix_ok(digits: str) -> bool:
    """Issuer prefixes of the card networks (Visa, Mastercard, Amex, JCB, Discover, UnionPay,
    Diners, GPN debit cards issued in Indonesia start with 9 too)."""
    n = len(digits)
    if digits[0] == "4":
        return n in (13, 16, 19)
    two, four = int(digits[:2]), int(digits[:4])
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16
    if two in (34, 37):
        return n == 15
    if two in (35, 36, 38, 30, 60, 62, 64, 65, 81):
        return 14 <= n <= 19
    return digits[0] == "9" and n in (16, 18, 19)  # GPN (Gerbang Pembayaran Nasional)


# -- patterns ---------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"
)
#: digit strings written with single spaces, dashes or dots between groups
_DIGITS = re.compile(r"(?<![\w.,/+-])\d(?:[ \-.]?\d){7,22}(?![\w/]|[.,-]\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_PHONE = re.compile(
    r"(?<![\w+(.,])(?<!\d[ \-])(?:"
    r"\+\d{1,3}[ \-.]?(?:\(0?\d{1,4}\)[ \-.]?)?\d{1,4}(?:[ \-.]?\d{2,5}){1,5}"  # +62 812-..., +44 20 ...
    r"|00[1-9]\d{0,2}[ \-.]\d{1,4}(?:[ \-.]?\d{2,5}){1,5}"  # 0061 2 ...
    r"|\(0\d{1,3}\)[ \-.]?\d{2,5}(?:[ \-.]?\d{2,5}){0,3}"  # (021) 500-454
    r"|0\d{1,4}(?:[ \-.]?\d{2,5}){1,4}"  # 0812-3456-7890, 021 5795 1234
    r")(?![\w]|[.,-]\d)"
)
_YEARS = re.compile(r"(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d")
_DATE_SHAPE = re.compile(r"^\d{1,4}[ \-.]\d{1,2}[ \-.]\d{1,4}$")
#: words right before a number that make it money, never an account or a phone
_MONEY_BEFORE = re.compile(r"(?:Rp\.?|IDR|USD|US\$|\$|€|£|S\$|RM|¥)\s*$", re.IGNORECASE)
_ACCOUNT_CUE = re.compile(
    r"\b(?:rekening|rek\.?|norek|no\.?\s*rek|account|acct|a/c|virtual\s+account|VA)\b"
    r"|\b(?:BCA|BRI|BNI|Mandiri|BSI|BTN|CIMB(?:\s+Niaga)?|Danamon|Maybank|OCBC(?:\s+NISP)?"
    r"|Muamalat|Jenius|SeaBank)\b|\b[Bb]ank\s+[A-Z][a-z]+\b",
)
_NIK_CUE = re.compile(r"\b(?:NIK|KTP|e-?KTP|nomor\s+induk|kependudukan|KK)\b", re.IGNORECASE)
_CARD_CUE = re.compile(
    r"\b(?:kartu|card|kredit|credit|debit|visa|master\s?card|amex|jcb|cvv|gpn|transaksi|belanja|tagihan)\b", re.IGNORECASE
)
_PHONE_CUE = re.compile(
    r"\b(?:telepon|telp|tel|hp|ponsel|handphone|whatsapp|wa|(?:meng)?hubungi|phone|call|sms|hotline|fax|faks)\b",
    re.IGNORECASE,
)


_SENTENCE_END = re.compile(r"[.!?][\"”')]*\s|\n|[,;]?[\"”]\s")


def _before(text: str, start: int, width: int = 48) -> str:
    """The words before a match, up to the start of its sentence."""
    left = text[max(0, start - width) : start]
    ends = list(_SENTENCE_END.finditer(left))
    return left[ends[-1].end() :] if ends else left


def _groups(s: str) -> list[str]:
    return re.split(r"[ \-.]", s)


def _thousands(s: str) -> bool:
    """1.500.000 or 1,500,000: a quantity, never an identifier."""
    return re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s) is not None


def _phone_ok(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    if s.startswith(("+", "00")):
        national = digits[2:] if s.startswith("00") else digits
        if national.startswith("62"):
            rest = national[2:]
            return rest.startswith("8") and 9 <= len(rest) <= 12 or 8 <= len(rest) <= 11
        return 8 <= len(national) <= 15
    if _DATE_SHAPE.match(s) or _thousands(s):
        return False
    groups = _groups(s.replace("(", "").replace(")", ""))
    if any(len(g) < 3 for g in groups[1:]) and len(groups) > 2:
        return False  # 08-12-2023 and such
    if digits.startswith("08"):
        return 10 <= len(digits) <= 13
    if digits.startswith("0") and not digits.startswith("00"):
        return 9 <= len(digits) <= 12 and not digits.startswith("0800") or len(digits) == 11
    return False


# -- finding ----------------------------------------------------------------------------------


def _digit_kind(text: str, start: int, raw: str) -> str | None:
    """What a bare digit string is: card, NIK or account (or nothing)."""
    digits = re.sub(r"\D", "", raw)
    before = _before(text, start)
    if _MONEY_BEFORE.search(before) or _thousands(raw) or _DATE_SHAPE.match(raw):
        return None
    if _YEARS.fullmatch(raw):
        return None
    grouped = raw != digits
    nik = nik_ok(digits) and (not grouped or len(_groups(raw)) <= 4)
    card = 13 <= len(digits) <= 19 and luhn_ok(digits) and _card_prefix_ok(digits)
    account = _ACCOUNT_CUE.search(before) and not _PHONE_CUE.search(before)
    if account and not _CARD_CUE.search(before) and not _NIK_CUE.search(before):
        if 8 <= len(digits) <= 16 and not _card_grouped(raw):
            return "bank_account"
    if nik and card:
        if _CARD_CUE.search(before):
            return "card"
        if _NIK_CUE.search(before):
            return "nik"
        return "card" if grouped else "nik"
    if nik:
        return "nik"
    if card:
        return "card"
    if 8 <= len(digits) <= 16 and account:
        return "bank_account"
    return None


def _card_grouped(raw: str) -> bool:
    """Written as cards are: groups of four (Amex: 4-6-5)."""
    sizes = [len(g) for g in _groups(raw)]
    return len(sizes) > 1 and (all(n == 4 for n in sizes[:-1]) or sizes == [4, 6, 5])


def find_pii(text: str) -> list[PiiSpan]:
    """Every piece of personal data in ``text``, in text order, without overlaps."""
    found: list[PiiSpan] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, kind: str) -> None:
        found.append(PiiSpan(a, b, kind))
        taken.append((a, b))

    for m in _EMAIL.finditer(text):
        add(m.start(), m.end(), "email")
    for m in _IBAN.finditer(text):
        if free(m.start(), m.end()) and iban_ok(m.group()):
            add(m.start(), m.end(), "bank_account")
    for m in _DIGITS.finditer(text):
        raw = m.group().rstrip(" -.")
        end = m.start() + len(raw)
        if not free(m.start(), end):
            continue
        kind = _digit_kind(text, m.start(), raw)
        if kind is not None:
            add(m.start(), end, kind)
    for m in _PHONE.finditer(text):
        raw = m.group()
        if free(m.start(), m.end()) and not _MONEY_BEFORE.search(_before(text, m.start())):
            if _phone_ok(raw):
                add(m.start(), m.end(), "phone")
    found.sort(key=lambda s: s.start)
    return found


def mask_pii(text: str) -> tuple[str, Counter[str]]:
    """``text`` with each piece of personal data replaced by its kind's placeholder, and how
    many of each kind were masked."""
    spans = find_pii(text)
    counts: Counter[str] = Counter(s.kind for s in spans)
    if not spans:
        return text, counts
    out: list[str] = []
    at = 0
    for s in spans:
        out.append(text[at : s.start])
        out.append(PLACEHOLDER[s.kind])
        at = s.end
    out.append(text[at:])
    return "".join(out), counts
