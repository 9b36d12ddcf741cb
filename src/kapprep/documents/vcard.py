"""The briefing's numbers as contacts to save: vCard 3.0 (RFC 2426), the version Android's and
Apple's contact apps both read well. One card per person and per number, named for its use
("Clinic — Calm Clinic", "Emergency 999", "Crisis line Samaritans"), its role in the note. A pure
function of the `Document`, like the other renderers.
"""

from __future__ import annotations

from kapprep.documents.model import Document, Phone

__all__ = ["cards", "render_vcard"]

_FOLD = 75
"""The longest line in octets before it is folded (RFC 2426 section 2.6)."""


def _escape(text: str) -> str:
    """A text value: backslash, comma, semicolon and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return "\\n".join(line.strip() for line in text.splitlines() if line.strip())


def _fold(line: str) -> list[str]:
    """`line` in pieces of at most 75 octets, never splitting a character."""
    out: list[str] = []
    current = ""
    for ch in line:
        limit = _FOLD if not out else _FOLD - 1  # a continuation starts with a space
        if len((current + ch).encode("utf-8")) > limit:
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return [out[0]] + [" " + piece for piece in out[1:]]


def cards(briefing: Document) -> list[tuple[str, list[Phone]]]:
    """The contacts: each name once, in the briefing's order, with its numbers (each once)."""
    found: dict[str, list[Phone]] = {}
    for p in briefing.phones:
        if not p.contact:
            continue
        numbers = found.setdefault(p.contact, [])
        if all(n.number != p.number for n in numbers):
            numbers.append(p)
    return list(found.items())


def _types(p: Phone) -> str:
    kinds = (["VOICE"] if p.call else []) + (["MSG"] if p.text else [])
    return ",".join(kinds)


def render_vcard(briefing: Document) -> str:
    """Every card, CRLF line ends as the format asks."""
    lines: list[str] = []
    for name, phones in cards(briefing):
        notes = list(dict.fromkeys(p.note for p in phones if p.note))
        texts = [p.shown for p in phones if p.text]
        if texts and len(phones) > 1 and not any("text" in n for n in notes):  # which one
            notes.append("takes texts: " + ", ".join(texts))
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"N:;{_escape(name)};;;", f"FN:{_escape(name)}"]
        lines += [f"TEL;TYPE={_types(p)}:{p.number}" for p in phones]
        if notes:
            lines.append(f"NOTE:{_escape('; '.join(notes))}")
        lines.append("END:VCARD")
    return "".join(piece + "\r\n" for line in lines for piece in _fold(line))
