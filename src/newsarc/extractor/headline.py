"""The headline, voted on by the page's title-like elements.

The ``<h1>``, ``og:title``, the JSON-LD headline and ``<title>`` each decorate the headline
differently (a kicker in the ``<h1>``, " | Section | Site" in the title, a shortened social title,
a "LIVE:" label the page shows as a badge), and the text most of them agree on is the article's
headline. An ``<h1>`` that is the last crumb of a breadcrumb trail is no candidate; the titles
that copy it count less (see ``CRUMB_COPY``). The heading the reader sees above the story has
the last word over a title worded otherwise that only one title-like element writes; where two
or more agree on another wording (an SEO or social headline), theirs is kept: the publisher
gives the story that headline, and news archives and indexes file it under it. See
``choose_headline``'s ``standing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from newsarc.extractor.titlelabels import unescape, unlabelled
from newsarc.extractor.titles import (
    SEPARATOR,
    clean_text,
    join_segments,
    key,
    norm,
    prefixes,
    similarity,
    split_title,
    suffixes,
)

# The JSON-LD headline is the one the publisher declares and counts most, then the <h1>;
# og:title is often a shortened social variant and <title> carries SEO wording.
WEIGHTS = {"h1": 1.05, "jsonld": 1.2, "og": 1.0, "title": 0.9}
# A page whose only <h1> is the last crumb of its breadcrumb trail puts its search-engine title
# there, and <title> and JSON-LD usually copy that one string: copies of it count half, so the
# heading the reader sees (which og:title often repeats) is not outvoted by one string thrice.
CRUMB_COPY = 0.5


def choose_headline(
    h1s: list[str],
    og: str | None,
    jsonld: str | None,
    title: str | None,
    twitter: str | None,
    site_keys: set[str],
    crumbs: Iterable[str] = (),
    labels: Mapping[str, list[str]] | None = None,
    standing: Callable[[str], bool] | None = None,
) -> str | None:
    """The headline most title-like elements agree on (see the module docstring).

    ``crumbs`` are the texts of ``<h1>`` crumbs in a breadcrumb trail or ``<nav>`` (which are
    not headline candidates); a title-like text equal to one counts ``CRUMB_COPY``.
    ``labels`` holds each heading's labels by its text (``heading_parts``). ``standing`` tells
    whether a heading (by its text) stands as the page's own headline
    (``headings.stands_alone``); asked only when it could matter: when the vote picks a text
    worded otherwise that one title alone writes, and not the heading's text with a kicker or
    label added or taken away, such a heading is the headline.
    """
    og = og or twitter  # the Twitter card title is the same social title, as a fallback
    # a CMS that escaped a title twice shows "&amp;" for "&": the entities are written out
    og, jsonld, title = (unescape(x) if x else x for x in (og, jsonld, title))
    fixed = {h: _heading_form(h, site_keys) for h in h1s}
    h1s = list(fixed.values())
    if labels:
        labels = {fixed.get(h, h): found for h, found in labels.items()}
    originals = {form: text for text, form in fixed.items()}
    metas = [clean_text(x) for x in (og, jsonld, title) if x and clean_text(x)]
    candidates: list[tuple[str, str]] = []
    h1 = _best_h1(h1s, metas, site_keys)
    if h1:
        candidates.append(("h1", h1))
    for source, raw in (("jsonld", jsonld), ("og", og), ("title", title)):
        text = clean_text(raw)
        if text:
            candidates.append((source, text))
    if not candidates:
        return None
    # Site and date segments are never part of a headline. Beyond that, a decorated title
    # votes for the text it decorates when another element has that text ("<h1> - Politik").
    candidates = [
        (source, text if source == "h1" else split_title(text, site_keys).headline)
        for source, text in candidates
    ]
    original = list(candidates)
    if len({text for _, text in original}) == 1 and not (h1 and labels and labels.get(h1)):
        # Every element writes the same text (on most pages): none is cut short, labelled or
        # decorated next to another, so nothing below can change it, and it wins the vote.
        return original[0][1] or None
    # A heading whose spans glued a kicker to the headline ('"Es wird bald beginnen"Trump')
    # votes for the title that writes the same words with their separators ('...": Trump').
    keys = {_vote_key(t) for s, t in original if s != "h1"}
    for index, (source, text) in enumerate(original):
        if source == "h1" and _vote_key(text) not in keys:
            letters = _letters(text)
            spelled = [t for s, t in original if s != "h1" and _letters(t) == letters]
            if spelled:
                candidates[index] = (source, spelled[0])
    if h1 and labels and labels.get(h1):
        _drop_labels(candidates, original, h1, labels[h1], keys)
    for index, (source, text) in enumerate(original):
        if source == "h1" or candidates[index][1] != text:
            continue
        # a headline cut short ("...", or at the 110 characters JSON-LD used to be allowed)
        # votes for the whole one; a title that puts a short label before the heading's text
        # ("Politics | <h1>", "Football - <h1>") votes for the heading, as one that puts it after
        whole = _untruncated(text, [t for i, (_, t) in enumerate(original) if i != index])
        if not whole and h1 and any(_vote_key(p) == _vote_key(h1) for p in suffixes(text)):
            whole = h1
        # a title that writes a label before or after the heading's text ("Breaking News:
        # <h1>", "【速報】<h1>", "<h1> (VIDEO)"): the page shows the label as a badge
        bare = unlabelled(text) if h1 and not whole else None
        if bare and _vote_key(bare) == _vote_key(h1 or ""):
            whole = h1
        if whole:
            candidates[index] = (source, whole)
            continue
        others = {_vote_key(t) for i, (_, t) in enumerate(original) if i != index}
        if _vote_key(text) in others:
            continue
        matching = [p for p in prefixes(text) if _vote_key(p) in others]
        if matching:
            candidates[index] = (source, matching[-1])
    # Texts that differ only in spacing are one vote ("Demo:Der" from adjacent <span>s).
    scores: dict[str, float] = {}
    members: dict[str, list[str]] = {}
    seo = {_vote_key(c) for c in crumbs}
    for source, text in candidates:
        n = _vote_key(text)
        weight = _weight(source, text, h1, metas, site_keys)
        if source != "h1" and n in seo:
            weight *= CRUMB_COPY
        scores[n] = scores.get(n, 0.0) + weight
        members.setdefault(n, []).append(text)
    order = {_vote_key(text): i for i, (_, text) in reversed(list(enumerate(candidates)))}
    best = max(scores, key=lambda n: (scores[n], -order[n]))
    # the best-spaced form of the winner: markup glues words that titles keep apart, and its
    # indentation can space a colon off ("Kicker : Headline"); and one that keeps its letters'
    # case over a heading written in capitals ("STORM CHAOS: ...")
    winner = max(members[best], key=_spacing) or None
    # The heading shown over the story stands over a title worded otherwise that only one of
    # the titles writes; where two or more agree (og:title and JSON-LD, say), theirs is the
    # headline the publisher gives the story, and the heading its display form.
    lone = len(members[best]) < 2
    if (
        h1
        and winner
        and lone
        and standing is not None
        and _stands_over(h1, winner, site_keys)
        and standing(originals.get(h1, h1))
    ):
        return h1
    return winner


def _spacing(text: str) -> tuple[int, int, bool]:
    # the chunks with a letter or digit (a word character but "_", as str.isalnum)
    words = sum(1 for c in text.split() if c.isalnum() or _ALNUM.search(c))
    return words, -len(_SPACED_COLON.findall(text)), not text.isupper()


_ALNUM = re.compile(r"[^\W_]")
_SPACED_COLON = re.compile(r"\w\s+:\s")
# text in a script written without spaces between words (Chinese, Japanese, Thai...)
_NO_SPACES = re.compile("[\u0e00-\u0eff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _stands_over(heading: str, winner: str, site_keys: set[str]) -> bool:
    """True when the page's heading, not the titles' ``winner``, is the headline: a sentence
    worded otherwise (a heading of a word or two is a section name or a column's, one that
    starts with the site's name is its logo and motto, and a heading that is the winner with
    a kicker or label added or taken away was voted on)."""
    a, b = _letters(heading), _letters(winner)
    if not a or a in b or b in a:
        return False
    if any(len(k) >= 4 and key(heading).startswith(k) for k in site_keys):
        return False
    return len(heading.split()) >= 5 or (len(a) >= 10 and bool(_NO_SPACES.search(heading)))


def _heading_form(text: str, site_keys: set[str]) -> str:
    """A heading's text as a candidate: entities a CMS escaped twice written out, and the
    site's name cut from its end when the theme prints the SEO title ("<h1> | Site")."""
    text = clean_text(unescape(text))
    parts = SEPARATOR.split(text)
    if len(parts) > 1 and key(parts[-1]) in site_keys:
        seps = SEPARATOR.findall(text)
        return join_segments(parts[:-1], seps)
    return text


def _drop_labels(
    candidates: list[tuple[str, str]],
    original: list[tuple[str, str]],
    h1: str,
    labels: list[str],
    keys: set[str],
) -> None:
    """A heading's label (a "Live" badge) is no part of its headline: a title that writes it
    before the heading's text ("LIVE: Election ...") votes for the heading's text, and a
    heading that runs a leading label into a title's text ("AnalysisWhy ...") votes for that
    title. (A kicker the titles write before the headline stays: "Tarifstreit: Bahn ...".)"""
    marks = [m for m in (_letters(x) for x in labels) if m]
    h1_letters = _letters(h1)
    for index, (source, text) in enumerate(original):
        if source != "h1":
            if any(_letters(text) == m + h1_letters for m in marks):
                candidates[index] = (source, h1)
        elif text == h1 and candidates[index][1] == h1 and _vote_key(h1) not in keys:
            rests = {h1_letters[len(m) :] for m in marks if h1_letters.startswith(m)} - {""}
            spelled = [t for s, t in original if s != "h1" and _letters(t) in rests]
            if spelled:
                candidates[index] = (source, spelled[0])


_ELLIPSIS = re.compile(r"\s*(?:…|\.{3})$")


def _untruncated(text: str, others: list[str]) -> str | None:
    """The whole headline ``text`` was cut from: another candidate it begins, when it ends in
    an ellipsis, in the middle of a word, or at 100 characters or more."""
    stem = norm(_ELLIPSIS.sub("", text))
    if len(stem) < 20:
        return None
    for other in others:
        whole = norm(other)
        if len(whole) > len(stem) and whole.startswith(stem):
            if SEPARATOR.match(whole, len(stem)):
                continue  # the whole text and a site's name: "<text> — Example News"
            mid_word = stem[-1].isalnum() and whole[len(stem)].isalnum()
            if mid_word or len(stem) >= 100 or _ELLIPSIS.search(text):
                return other
    return None


def _vote_key(text: str) -> str:
    return norm(text).replace(" ", "")


def _letters(text: str) -> str:
    return "".join(filter(str.isalnum, norm(text)))


def _weight(source: str, text: str, h1: str | None, metas: list[str], site_keys: set[str]) -> float:
    weight = WEIGHTS[source]
    if source == "h1" and metas and max(similarity(text, m) for m in metas) < 0.3:
        weight = 0.5  # an <h1> unlike every title is often the logo or a section name
    if key(text) in site_keys:
        weight = 0.05
    return weight


def _best_h1(h1s: list[str], metas: list[str], site_keys: set[str]) -> str | None:
    texts = [t for t in (clean_text(h) for h in h1s) if t and key(t) not in site_keys]
    if not texts:
        return None
    if not metas or len(texts) == 1:
        return texts[0]
    return max(texts, key=lambda t: (max(similarity(t, m) for m in metas), -texts.index(t)))
