"""What titles add to a headline that is no part of it: a content label the page shows as a
badge ("Live updates:", "Breaking News:", "【速報】", "(VIDEO)") or a generic one after it
("- Latest news"), a byline segment ("- by Jane Doe"), and HTML entities a CMS escaped twice
("Fish &amp; chips", "It&#8217;s").

The labels are kept as data: words that say what kind of item a page is or how new it is, never
what it is about. A topical kicker ("Tarifstreit: ...") is no label and stays with the titles.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Content and urgency labels by language, case-folded. A title that writes one before the
# heading's text ("LIVE: <h1>") votes for the heading.
_LABEL_WORDS = re.split(
    r"\s*\|\s*",
    """live|live updates|live update|latest|latest updates|breaking|breaking news|just in|
    developing|exclusive|watch|video|videos|photos|pictures|in pictures|gallery|photo gallery|
    opinion|analysis|comment|editorial|explainer|podcast|listen|update|updated|urgent|
    sponsored|advertorial|news|latest news|top news|news updates|
    eilmeldung|liveticker|live-ticker|newsblog|news-blog|liveblog|exklusiv|kommentar|meinung|
    analyse|bildergalerie|fotostrecke|fotos|
    en direct|direct|vidéo|exclusif|tribune|éditorial|édito|alerte|
    en vivo|en directo|directo|última hora|urgente|exclusiva|vídeo|fotogalería|opinión|
    análisis|minuto a minuto|
    diretta|in diretta|foto|esclusivo|esclusiva|ultim'ora|ultima ora|editoriale|commento|
    ao vivo|exclusivo|opinião|análise|
    net binnen|exclusief|opinie|
    na żywo|pilne|wideo|zdjęcia|opinia|komentarz|tylko u nas|
    son dakika|son dakika haberleri|güncel|güncel haberler|haberler|canlı|canlı yayın|
    foto galeri|özel|flaş|flaş haber|
    онлайн|видео|фото|эксклюзив|срочно|мнение|прямая трансляция|наживо|відео|ексклюзив|
    терміново|
    عاجل|فيديو|صور|بالفيديو|بالصور|مباشر|حصري|
    מבזק|וידאו|צפו|בלעדי|
    速報|動画|写真|独自|詳報|号外|快讯|独家|视频|组图|直播|突发|속보|단독|영상|포토|사진""",
)


def _fold(text: str) -> str:
    # case and accents folded: "SON DAKİKA" and "son dakika", "VIDÉO" and "vidéo" are one label
    text = unicodedata.normalize("NFKD", " ".join(text.replace("+", " ").split()).casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


LABELS = frozenset(_fold(x) for x in _LABEL_WORDS)

# What ends a leading label: "LABEL: rest", "LABEL | rest", "LABEL - rest", "DIRECT. rest",
# "+++ LABEL +++ rest"
_LEAD_END = re.compile(r"\s*(?::|\||\.(?=\s)|\s[-–—]|\+{3})\s*")
# What starts a trailing label: "rest - Latest news", "rest | Güncel haberler"
_TRAIL_START = re.compile(r"\s+[-–—|]\s+")
# "【速報】rest", "[Video] rest": a bracketed label of a few characters
_BRACKETED = re.compile(r"^\s*[【\[〔［](?P<label>[^】\]〕］]{1,12})[】\]〕］]\s*")
# "rest (VIDEO)", "rest [Photos]"
_TRAILING = re.compile(r"\s*[(\[](?P<label>[^)\]]{1,20})[)\]]\s*$")
# "Headline - by Jane Doe" (a newsletter platform's title): "by" and a capitalized name
_BYLINE = re.compile(r"^by\s+(?:[A-Z][\w.'’-]*\s*){1,4}$")
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")


def unlabelled(text: str) -> str | None:
    """``text`` without a leading or trailing content label, or None when it has none.

    A bracketed label ("【速報】", "[Video]") is taken whatever its word, since brackets set a
    label off from a headline; a label before a separator must be one of ``LABELS``.
    """
    match = _BRACKETED.match(text)
    if match and match.end() < len(text):
        return text[match.end() :]
    for match in _LEAD_END.finditer(text, 0, 40):
        if match.end() < len(text) and _is_label(text[: match.start()]):
            return text[match.end() :]
    match = _TRAILING.search(text)
    if match and match.start() > 0 and _is_label(match.group("label")):
        return text[: match.start()]
    ends = list(_TRAIL_START.finditer(text, max(0, len(text) - 40)))
    if ends and ends[-1].start() > 0 and _is_label(text[ends[-1].end() :]):
        return text[: ends[-1].start()]
    return None


def _is_label(text: str) -> bool:
    return _fold(text) in LABELS


def is_byline_segment(segment: str) -> bool:
    """True for a title segment that names the author ("by Jane Doe")."""
    return bool(_BYLINE.match(segment.strip()))


def unescape(text: str) -> str:
    """``text`` with the entities a CMS escaped once too often written out ("&amp;" gives "&")."""
    if "&" not in text or not _ENTITY.search(text):
        return text
    return html.unescape(text)
