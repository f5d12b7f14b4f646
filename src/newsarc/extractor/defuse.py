"""Markup that would make libxml2 (and so lxml and trafilatura) lose or choke on a page, defused.

libxml2's HTML parser, as lxml runs it (``huge_tree`` off), has hard limits that fail silently:

- nesting deeper than 255 elements stops the parse: everything after that point is lost, so a
  page wrapped in a few hundred ``<div>`` (or with a few hundred unclosed ``<font>``) comes out
  empty even though its text is all there;
- a single text node (or script) over 10,000,000 bytes makes it give up on the whole document.

And trafilatura slows down faster than linearly with the number of elements (a page of 100,000
paragraphs takes half a minute and 400 MB). So before parsing, one linear scan over the tags:

- estimates the depth libxml2 will build (its implied closes and its end-tag priorities are
  mirrored below, measured on libxml2 2.14) and, past ``max_wrapper_depth``, unwraps generic
  containers (their text stays, their tags go); past ``max_depth`` every tag is unwrapped. An
  unwrapped block tag becomes a ``<br>`` when text precedes it, so paragraphs stay apart;
- drops text runs and script/style contents longer than ``max_run`` characters;
- cuts the page after ``max_elements`` elements, ``max_tags`` start tags or ``max_chars``
  characters kept;
- removes a ``</body>`` or ``</html>`` that content follows: libxml2 ignores everything after
  ``</html>``, where browsers carry on (widgets and concatenated templates put them mid-page).

A page within all limits is returned unchanged (the same string object).

The scan is a Python loop over every tag, a few milliseconds on a real page, and nearly every
page comes out of it unchanged: ``newsarc.extractor.precheck`` tells most of those apart
without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class MarkupLimits:
    """How much structure a page may have before newsarc defuses it."""

    max_wrapper_depth: int = 100  # generic containers (div, span, font...) deeper than this go
    max_depth: int = 160  # nothing deeper than this (libxml2 stops at 255)
    max_elements: int = 50_000  # the page is cut after this many elements (kept start tags)
    max_tags: int = 500_000  # ... or after this many start tags, unwrapped ones included
    max_run: int = 2_000_000  # characters in one text node or script (libxml2: 10 MB of UTF-8)
    max_chars: int = 10_000_000  # the page is cut here; fetch caps a download at 10 MiB too

    def __post_init__(self) -> None:
        if not 0 < self.max_wrapper_depth <= self.max_depth <= 250:
            raise ValueError("need 0 < max_wrapper_depth <= max_depth <= 250")
        if min(self.max_elements, self.max_tags, self.max_run, self.max_chars) <= 0:
            raise ValueError("markup limits must be positive")


@dataclass
class Defused:
    """The page after defusing, and what the scan saw."""

    html: str
    elements: int = 0  # elements kept (up to the cut)
    tags: int = 0  # start tags read (up to the cut)
    depth: int = 0  # deepest nesting kept, as estimated
    unwrapped: int = 0  # start tags removed for depth
    dropped_runs: int = 0  # oversized text runs or script bodies emptied
    stray_ends: int = 0  # </body> and </html> removed because content followed them
    cut_at: int | None = None  # offset where the page was cut, if it was
    has_markup: bool = False  # at least one tag
    has_text: bool = False  # at least one word outside tags, scripts and styles

    @property
    def changed(self) -> bool:
        """Whether the returned markup differs from the input."""
        return bool(
            self.unwrapped or self.dropped_runs or self.stray_ends or self.cut_at is not None
        )


# The start of a tag, a comment or a declaration / processing instruction. Where a tag ends is
# found by _tag_end, which skips quoted attribute values (pages keep whole HTML templates in
# them) with str.find, so the scan stays linear whatever the quotes do.
TOKEN = re.compile(r"<(?:(/?)([a-zA-Z][^\s/<>]*)|(!--)|[!?])")
_TAG_STOP = re.compile(r"[>\"']")
_SPACE = " \t\n\r\f"
_WORD = re.compile(r"\w")
_ENTITY = re.compile(r"&#?\w+;?")
_NONSPACE = re.compile(r"\S")

# libxml2's empty elements. Not HTML5's list: libxml2 nests <source>, <embed>, <track>, <wbr>
# like any container, so they count towards its depth.
_VOID = frozenset("area base basefont br col frame hr img input isindex link meta param".split())
# Elements whose content is text to libxml2, not markup.
_RAW = frozenset("script style title textarea xmp iframe noembed noframes".split())
_RAW_END = {name: re.compile(rf"</{name}[\s/>]", re.IGNORECASE) for name in _RAW}
# What may follow </body></html> without making them stray: nothing a reader sees.
_AFTER_END_OK = frozenset("script style link meta noscript template img iframe".split())
_BLOCK = frozenset(
    "address article aside blockquote caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
# Kept down to max_depth: the structure trafilatura reads paragraphs and headings from.
_STRUCTURAL = frozenset(
    "article main p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre figure figcaption table "
    "caption thead tbody tfoot tr td th".split()
)
# libxml2's implied closes: opening the key closes the current element when it is one of these
# (measured with lxml 6 / libxml2 2.14; only the current element is ever checked).
_CLOSES = {
    "div": {"p"},
    "p": {"p", "b", "i", "u", "small", "big", "h1", "h2", "h3"},
    "center": {"p", "b", "i", "font"},
    "ul": {"p", "pre"},
    "ol": {"p"},
    "li": {"p", "li", "dl", "pre", "h1", "h2", "h3"},
    "dl": {"p", "dt", "pre"},
    "dt": {"p", "dd", "pre"},
    "dd": {"p", "dt", "pre"},
    "table": {"p", "a", "pre", "h1", "h2", "h3"},
    "tbody": {"p", "thead", "tbody", "tr", "td", "th"},
    "tr": {"p", "tr", "td", "th"},
    "td": {"p", "span", "a", "b", "i", "u", "font", "td", "th"},
    "th": {"p", "span", "a", "b", "i", "u", "font", "td", "th"},
    "blockquote": {"p"},
    "pre": {"p", "ul"},
    "h1": {"p"},
    "h2": {"p"},
    "h3": {"p"},
    "form": {"p", "ul", "ol", "dl", "pre", "h1", "h2", "h3", "form"},
    "a": {"a"},
    "option": {"option"},
}
# libxml2 ignores an end tag that would have to close an element of higher priority than its own.
_PRIORITY = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180,
             "tfoot": 180, "table": 190, "head": 200, "body": 200, "html": 220}  # fmt: skip
_DEFAULT_PRIORITY = 100
# How far down the stack an end tag looks for its element; past this it is left alone, which
# keeps a flood of stray end tags over a deep stack linear.
_SCAN = 512


class _Scan:
    """One pass over a page's tags; see the module docstring."""

    def __init__(self, html: str, limits: MarkupLimits) -> None:
        self.html = html
        self.limits = limits
        # The open elements as two parallel lists, which stay small when a page opens a
        # million tags: names are interned through self.names.
        self.stack: list[str] = []
        self.stack_kept: list[bool] = []
        self.names: dict[str, str] = {}
        self.open_count: dict[str, int] = {}
        self.kept_at: list[int] = []  # stack indices of kept elements: libxml2's own stack
        self.edits: list[tuple[int, int, str]] = []  # (start, stop, replacement), disjoint
        self.ends: list[tuple[int, int]] = []  # </body> and </html> not yet known to be stray
        self.removed = 0  # characters the edits take out
        self.break_from = 0  # text after this offset has no <br> or block tag after it yet
        self.result = Defused(html)

    def run(self) -> Defused:
        html, limits, result = self.html, self.limits, self.result
        size = len(html)
        pos = 0
        while pos < size:
            match = TOKEN.search(html, pos)
            start = match.start() if match else size
            self._text(pos, start)
            # max_chars counts what is kept, so a dropped giant run does not use it up
            if start - self.removed > limits.max_chars:
                result.cut_at = self.removed + limits.max_chars
                break
            if match is None:
                break
            if match.group(3):  # a comment runs to "-->" or, unclosed, to the end
                close = html.find("-->", start + 2)
                pos = size if close < 0 else close + 3
                continue
            name = match.group(2)
            if name is None:  # <!doctype>, <?xml?>: to the next ">"
                close = html.find(">", match.end())
                pos = size if close < 0 else close + 1
                continue
            pos = self._tag_end(match.end(), size)
            name = name.lower()
            name = self.names.setdefault(name, name)
            result.has_markup = True
            if match.group(1):
                if name in ("body", "html"):
                    self.ends.append((start, pos))
                else:
                    self._end_tag(name, start, pos)
                continue
            if self.ends and name not in _AFTER_END_OK:
                self._drop_ends()
            if result.tags >= limits.max_tags or result.elements >= limits.max_elements:
                result.cut_at = start
                break
            result.tags += 1
            self._start_tag(name, start, pos, self._self_closing(match.end(), pos))
            if name in _RAW:
                pos = self._raw(name, pos, size)
        if result.cut_at is None and size - self.removed > limits.max_chars:
            result.cut_at = self.removed + limits.max_chars  # inside one giant tag
        return self._finish(size if result.cut_at is None else result.cut_at)

    def _tag_end(self, pos: int, end: int) -> int:
        """The offset just past the ">" that ends a tag whose attributes start at ``pos``."""
        html = self.html
        while True:
            stop = _TAG_STOP.search(html, pos, end)
            if stop is None:
                return end
            if stop.group() == ">":
                return stop.end()
            if not self._after_equals(stop.start(), pos):
                pos = stop.end()  # a stray quote, part of a name or an unquoted value
                continue
            close = html.find(stop.group(), stop.end(), end)
            if close < 0:
                return end  # an unclosed value swallows the rest of the page
            pos = close + 1

    def _after_equals(self, quote: int, floor: int) -> bool:
        """Whether the quote at ``quote`` opens an attribute value (follows "=")."""
        html = self.html
        index = quote - 1
        lowest = max(floor - 1, quote - 64)
        while index > lowest and html[index] in _SPACE:
            index -= 1
        return index >= 0 and html[index] == "="

    def _self_closing(self, attrs_from: int, tag_end: int) -> bool:
        """Whether a start tag ends in "/>" outside an unquoted attribute value (libxml2 then
        closes the element at once, as ``<div/>`` or ``<path d="..."/>``)."""
        html = self.html
        if tag_end - 2 < attrs_from or html[tag_end - 2 : tag_end] != "/>":
            return False
        word_start = max(html.rfind(c, attrs_from, tag_end - 2) for c in _SPACE + "\"'")
        return "=" not in html[max(word_start, attrs_from) : tag_end - 2]

    def _finish(self, end: int) -> Defused:
        result = self.result
        if not result.changed:
            return result
        pieces = []
        copied = 0
        for start, stop, replacement in sorted(self.edits):
            if start >= end:
                break
            pieces += [self.html[copied:start], replacement]
            copied = stop
        pieces.append(self.html[copied:end])
        result.html = "".join(pieces)
        return result

    def _skip(self, start: int, stop: int, replacement: str = "") -> None:
        self.edits.append((start, stop, replacement))
        self.removed += stop - start - len(replacement)

    def _drop_ends(self) -> None:
        """Content follows a </body> or </html>: drop them, or libxml2 would drop the content."""
        self.result.stray_ends += len(self.ends)
        for start, stop in self.ends:
            self._skip(start, stop)
        self.ends.clear()

    def _text(self, start: int, stop: int) -> None:
        if stop - start > self.limits.max_run:
            self.result.dropped_runs += 1
            self._skip(start, stop)
            return
        if self.ends and _NONSPACE.search(self.html, start, stop):
            self._drop_ends()
        if not self.result.has_text and stop > start and _WORD.search(self.html, start, stop):
            # "&nbsp;" alone is not text
            self.result.has_text = bool(_WORD.search(_ENTITY.sub("", self.html[start:stop])))

    def _raw(self, name: str, pos: int, end: int) -> int:
        """Skip a script/style body (it may hold "<" that are not tags); returns its end."""
        close = _RAW_END[name].search(self.html, pos, end)
        stop = close.start() if close else end
        if stop - pos > self.limits.max_run:
            self.result.dropped_runs += 1
            self._skip(pos, stop)
        elif name in ("textarea", "xmp", "iframe"):  # shown as text
            self._text(pos, stop)
        return stop

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            self.open_count[self.stack.pop()] -= 1
            self.stack_kept.pop()
        while self.kept_at and self.kept_at[-1] >= index:
            self.kept_at.pop()

    def _start_tag(self, name: str, start: int, stop: int, self_closing: bool) -> None:
        closes = _CLOSES.get(name)
        # libxml2 checks only its current element, which is the last kept one
        while closes and self.kept_at and self.stack[self.kept_at[-1]] in closes:
            self._pop_to(self.kept_at[-1])
        if name in _VOID or self_closing:
            if name in _BLOCK:
                self.break_from = stop
            return
        limits = self.limits
        depth = len(self.kept_at)
        keep = depth < limits.max_wrapper_depth or (
            name in _STRUCTURAL and depth < limits.max_depth
        )
        self.stack.append(name)
        self.stack_kept.append(keep)
        self.open_count[name] = self.open_count.get(name, 0) + 1
        if keep:
            self.result.elements += 1
            self.kept_at.append(len(self.stack) - 1)
            self.result.depth = max(self.result.depth, depth + 1)
            if name in _BLOCK:
                self.break_from = stop
        else:
            self._unwrap(name, start, stop, opening=True)

    def _end_tag(self, name: str, start: int, stop: int) -> None:
        if not self.open_count.get(name):
            return  # stray: libxml2 ignores it too
        priority = _PRIORITY.get(name, _DEFAULT_PRIORITY)
        blocked = False
        lowest = max(-1, len(self.stack) - 1 - _SCAN)
        for index in range(len(self.stack) - 1, lowest, -1):
            other = self.stack[index]
            if other == name:
                break
            if self.stack_kept[index] and _PRIORITY.get(other, _DEFAULT_PRIORITY) > priority:
                blocked = True
        else:
            return  # too deep to look for; leave the tag to libxml2
        if not self.stack_kept[index]:
            self._unwrap(name, start, stop, opening=False)
        elif name in _BLOCK:
            self.break_from = stop
        if not blocked:
            self._pop_to(index)

    def _unwrap(self, name: str, start: int, stop: int, *, opening: bool) -> None:
        """Remove a tag for depth; a block tag after text becomes a line break."""
        self.result.unwrapped += opening
        separate = name in _BLOCK and _NONSPACE.search(self.html, self.break_from, start)
        self._skip(start, stop, "<br>" if separate else "")
        if name in _BLOCK:
            self.break_from = stop


def defuse(html: str, limits: MarkupLimits | None = None) -> Defused:
    """Scan ``html`` once and return it within ``limits`` (unchanged when it already is)."""
    return _Scan(html, limits or MarkupLimits()).run()
