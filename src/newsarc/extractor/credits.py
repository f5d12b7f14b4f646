"""A byline's text before it is split into names: which of its labelled credits name the
story's authors ("Texto:", "作者：") and which name someone else ("Fotos:", "Editing by",
"写真："); an agency's code in brackets ("Claire Martin (AFP)"); a name written surname
first ("Doe, Jane").
"""

from __future__ import annotations

import re

from newsarc.extractor.agencies import is_agency
from newsarc.extractor.nameshape import name_suffix, written_as_name
from newsarc.extractor.placenames import is_place

# Credits on a byline line for work other than the text: photos, video, graphics, editing,
# translation, a medical review. What follows one of them, up to the next author's credit,
# names no author ("Texto: Ana Souza | Fotos: Pedro Lima", "Reporting by Jane Doe; Editing
# by Mark Potter"). Not "Quelle:"/"Source:": German sites credit the agency a story came
# from that way ("Quelle: dpa"), and it is the author then.
_OTHER_WORDS = (
    r"fotos?|photos?|photograph(?:s|y)?|fotograf(?:ie|ía|ia|ias|ías)?|bilder?|images?|imagen(?:es)?|"
    r"imagens|imágenes|videos?|vídeos?|grafik(?:en)?|graphics?|infograf(?:ik|ía|ia)|"
    r"illustrations?|ilustraci[oó]n|ilustração|kamera|camera|cámara|schnitt|montage|"
    r"edici[oó]n|edição|edizione|editing|redigering|lektorat|übersetzung|translation|"
    r"traducci[oó]n|tradução|traduzione|фото|видео|редактор|صورة|تصوير"
)
# ... written "<word> by" ("Photos by", "Edited by", "Medically reviewed by")
_OTHER_BY = (
    r"(?:photos?|photography|pictures|images?|video|graphics|illustrations?|design|"
    r"editing|edited|fact[- ]checked|(?:medically\s+)?reviewed|translated|translation)\s+by|"
    # ... and in the other languages we read: "Redigiert von", "Relu par", "Revisado por"
    r"(?:redigiert|lektoriert|(?:fakten)?geprüft|überprüft)\s+von|"
    r"(?:relu|vérifié|corrigé|édité)e?\s+par|"
    r"(?:revisad|editad|verificad|corregid)[oa]\s+por|(?:rivist|verificat|revisionat)[oa]\s+da|"
    r"(?:geredigeerd|nagekeken|gecontroleerd)\s+door"
)
# CJK credits (Chinese, Japanese): photos, editing, the editor in charge, proofreading,
# translation. Written with a colon (or a slash, a middle dot) after them.
_OTHER_CJK = (
    r"写真|撮影|摄影|图片|圖片|图|圖|责任编辑|責任編輯|责编|編集|编辑|編輯|"
    r"校对|校對|翻译|翻訳|翻譯|审校|審校"
)
# Author credits written as labels: these start the names again after another credit.
_AUTHOR_WORDS = (
    r"texto?|texte|testo|tekst|autor(?:a|in|e)?|authors?|auteur|текст|автор|بقلم|"
    r"(?:(?:additional|with)\s+)?reporting\s+by|written\s+by|words\s+by|story\s+by"
)
_AUTHOR_CJK = r"作者|记者|記者|撰文|文字|文|筆者|著者|执笔|執筆"
_COLON = r"\s*[:：]"
_CJK_MARK = r"\s*[:：/／・·]"
_CREDIT = re.compile(
    r"(?:^|(?<=[\s|/·•;,(（）)]))(?:"
    rf"(?P<other>(?:{_OTHER_WORDS}){_COLON}|{_OTHER_BY}\b|(?:{_OTHER_CJK}){_CJK_MARK})|"
    rf"(?P<author>(?:{_AUTHOR_WORDS}){_COLON}|(?:{_AUTHOR_CJK}){_CJK_MARK})"
    r")\s*",
    re.IGNORECASE,
)


# An other credit at the end of a text: "Reviewed by", "Fotos:", the words before a name
# that is the reviewer's or the photographer's.
_ENDS_OTHER = re.compile(
    rf"(?:^|(?<=[\s|/·•;,(]))(?:(?:{_OTHER_WORDS}){_COLON}|{_OTHER_BY})\s*$", re.IGNORECASE
)


def ends_other_credit(text: str) -> bool:
    """True when ``text`` ends with a credit for work other than the text ("Medically
    reviewed by", "Fact-checked by", "Fotos:"): the name after it is not an author's."""
    return _ENDS_OTHER.search(text) is not None


def authors_credits(text: str) -> str:
    """``text`` without the credits that name someone other than its authors: "Texto: Ana
    Souza | Fotos: Pedro Lima" is "Ana Souza", "文：山田太郎 写真：佐藤花子" is "山田太郎".
    The author's labels go too; a text with no credit label is returned as it is."""
    kept: list[str] = []
    start, keeping, labelled = 0, True, False
    for match in _CREDIT.finditer(text):
        labelled = True
        if keeping:  # "By Jane Doe. Photos by ...": the full stop ends the credit
            kept.append(text[start : match.start()].rstrip(" ."))
        keeping = match.group("author") is not None
        start = match.end()
    if not labelled:
        return text
    if keeping:
        kept.append(text[start:])
    return " | ".join(part.strip(" |;,/") for part in kept if part.strip(" |;,/()（）"))


# An agency's code in brackets after a name: "Claire Martin (AFP)", "Max Muster [dpa]".
_BRACKETED = re.compile(r"\s*[(\[]\s*([^()\[\]]{2,24}?)\s*[)\]]")


def unbracket_agencies(text: str) -> str:
    """``text`` with an agency's code in brackets set off as a name of its own ("Claire
    Martin, AFP"); other brackets are left for the name cleaning to drop."""

    def replace(match: re.Match[str]) -> str:
        codes = [c.strip() for c in match.group(1).split("/")]
        return ", " + "/".join(codes) if all(is_agency(c) for c in codes) else match.group(0)

    return _BRACKETED.sub(replace, text)


# A surname, a comma, then the given names ("Doe, Jane", "Müller, Anna Maria", "Doe, J. R.")
_INVERTED = re.compile(r"([^\W\d_][\w'’-]+),\s+([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*)?)")
# A degree or title after a comma is no given name ("Doe, PhD", "Doe, MD").
_CREDENTIAL = re.compile(r"ph\.?d\.?|m\.?d\.?|mba|esq\.?|dr\.?|prof\.?|rn|dds", re.IGNORECASE)


def uninvert(text: str, roles: frozenset[str] | set[str]) -> str:
    """ "Doe, Jane" as "Jane Doe": a byline or a catalogue's name written surname first, the
    whole ``text`` (one name). Not when either part is an agency, a place ("Kyiv, Ukraine"),
    a role (``roles``), a credential ("Doe, MD") or a suffix ("King, Jr."), nor when the
    parts are not written as names."""
    match = _INVERTED.fullmatch(text.strip())
    if match is None:
        return text
    surname, given = match.groups()
    for part in (surname, given):
        if (
            not written_as_name(part)
            or is_agency(part)
            or is_place(part)
            or name_suffix(part)
            or _CREDENTIAL.fullmatch(part)
            or part.casefold() in roles
            or (part.isupper() and len(part) <= 4)
        ):
            return text
    return f"{given} {surname}"
