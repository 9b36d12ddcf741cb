"""Phone numbers as a phone dials them: `tel:` and `sms:` targets for the briefing's phone page,
its saved contacts and its QR code. No I/O, no Textual.

Full numbers become international form ("+441134960000", from the plan's region or the crisis
line's country); short numbers stay short (`tel:988`, `tel:116123`, `tel:000`), since the phone
library would make "+1988" of 988 (kap-guides.md, "Crisis lines"). A number is short when it has
at most six digits and no leading "+". Which lines take texts is the crisis directory's word
(`Entry.sms`, from kap-guides.md), never guessed here.
"""

from __future__ import annotations

import re
from typing import Final

from kapprep.crisis import Entry
from kapprep.documents.model import Phone

__all__ = ["SHORT_MAX", "dialable", "entry_phones", "is_mobile", "parts", "phone", "tel_number"]

SHORT_MAX: Final = 6
"""The most digits a short number has (116 123, 13 11 14, 741741)."""
_IN_BRACKETS = re.compile(r"\(([^()]*\d[^()]*)\)")
_BETWEEN = re.compile(r"\s*(?:/|,|;|\bor\b)\s*")
"""What parts two numbers typed in one field ("+44 20 7946 0000 / 0161 496 0000", "112/999")."""
_NUMBER = re.compile(r"\+?\(?\d[\d\s().-]*\d|\d")
"""A number's own characters: what follows (an extension, "#2", "x12") is not dialled by a link."""


def dialable(shown: str) -> str:
    """The part of `shown` that is the number: "623-473-7433" of "62-FIRESIDE (623-473-7433)"
    (a number spelt in letters is dialled by its digits, given in brackets)."""
    found = _IN_BRACKETS.search(shown)
    if found and re.search(r"[A-Za-z]", shown):
        return found.group(1).strip()
    return shown.strip()


def parts(shown: str) -> list[str]:
    """The numbers `shown` holds, each as printed: one, or each of two typed in one field
    ("112/999"), each cut before an extension or a code to key in after ("555-0100 #2"), and
    none of a service code that starts with * or # (a link cannot dial it as shown)."""
    out: list[str] = []
    for piece in _BETWEEN.split(dialable(shown)):
        found = _NUMBER.match(piece.strip())
        if found is not None:
            out.append(found.group(0).rstrip(" (-."))
    return out


def tel_number(shown: str, region: str | None) -> str | None:
    """What a phone dials for `shown` (its first number, `parts`): international form for a
    full number, the digits of a short one; None when `shown` holds no digits."""
    found = parts(shown)
    if not found:
        return None
    text = found[0]
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    plus = text.lstrip().startswith("+")
    if not plus and len(digits) <= SHORT_MAX:
        return digits
    # phonenumbers is imported here only: the briefing's rows already paid for it (format_phone).
    import phonenumbers

    try:
        parsed = phonenumbers.parse(text, None if plus else (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return f"+{digits}" if plus else digits
    if phonenumbers.is_valid_number(parsed):
        return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))
    return f"+{digits}" if plus else digits


def is_mobile(number: str) -> bool:
    """Whether `number` (as `tel_number` gives it) is a mobile's, so it takes texts: only where
    the phone library says MOBILE. FIXED_LINE_OR_MOBILE (every number in the US and Canada) is
    not enough: a Text button that sends to a landline fails without a word to the helper."""
    if not number.startswith("+"):
        return False
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE)


def phone(
    shown: str,
    region: str | None,
    *,
    contact: str = "",
    note: str = "",
    text: bool = False,
    call: bool = True,
    mobile_texts: bool = False,
) -> tuple[Phone, ...]:
    """The `Phone`s for a printed number (one for each it holds, `parts`), or () when it holds
    none (a "not set" row). With `mobile_texts` (a person's own number) a mobile takes texts."""
    out: list[Phone] = []
    for part in parts(shown):
        number = tel_number(part, region)
        if number is not None and all(p.number != number for p in out):
            texts = text or (mobile_texts and is_mobile(number))
            out.append(Phone(part, number, call, texts, contact, note))
    return tuple(out)


def entry_phones(entry: Entry, contact: str, note: str = "") -> tuple[Phone, ...]:
    """A crisis line's numbers: each it is called on, texts where the directory says it takes
    them (on the same number, or its own text number as `Entry.sms`)."""
    region = entry.country if entry.country != "EU" else None
    text_only = entry.how.startswith("text only")
    sms = tel_number(entry.sms, region) if entry.sms else None
    out: list[Phone] = []
    for shown in (entry.number, *entry.also):
        number = tel_number(shown, region)
        if number is not None:
            out.append(Phone(dialable(shown), number, not text_only, number == sms, contact, note))
    if sms is not None and all(p.number != sms for p in out):
        out.append(Phone(dialable(entry.sms), sms, False, True, contact, note))
    return tuple(out)
