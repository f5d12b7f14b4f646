"""robots.txt parsing and matching after RFC 9309, with no I/O.

``parse_robots(body)`` reads a file into groups; ``RobotsTxt.group_for(user_agent)`` picks the
rules for one crawler (groups naming its product token, merged; else the ``*`` groups, merged);
``Group.allowed(path)`` applies them: the longest matching pattern wins, Allow wins a tie, ``*``
matches any run of characters and a final ``$`` anchors the end. ``RobotsCache`` (polite.py)
fetches and keeps the files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# RFC 9309 section 2.5: crawlers must parse at least the first 500 KiB; we parse exactly that.
MAX_ROBOTS_BYTES = 500 * 1024
# Crawl-delay is not in RFC 9309 but widely used; a site asking for minutes between requests
# would stall a batch for days, so the delay we apply is capped.
MAX_CRAWL_DELAY = 60.0

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left as they are: RFC 3986 unreserved and reserved ones. Everything else (spaces,
# non-ASCII, a stray "%") is percent-encoded as UTF-8, so both sides compare in one form.
_SAFE = re.escape("".join(sorted(_UNRESERVED)) + ":/?#[]@!&'()+,;=")
# In a URL, "*" and "$" are plain characters and are compared in their encoded form
# (%2A, %24), which is how a robots.txt pattern spells them literally (RFC 9309 2.2.3).
_PATH_ESCAPES = re.compile(rf"%([0-9A-Fa-f]{{2}})|[^{_SAFE}]")
_PATTERN_ESCAPES = re.compile(rf"%([0-9A-Fa-f]{{2}})|[^{_SAFE}*$]")
_LINE_END = re.compile(r"\r\n|\r|\n")
_TOKEN = re.compile(r"[A-Za-z_-]*")
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_BOM = b"\xef\xbb\xbf"
# Misspellings common enough in the wild that honouring them is the polite reading.
_KEYS = {
    "user-agent": "user-agent",
    "useragent": "user-agent",
    "user agent": "user-agent",
    "allow": "allow",
    "disallow": "disallow",
    "dissallow": "disallow",
    "disalow": "disallow",
    "crawl-delay": "crawl-delay",
    "crawldelay": "crawl-delay",
}


def _escape(match: re.Match[str]) -> str:
    hex_pair = match.group(1)
    if hex_pair is not None:
        char = chr(int(hex_pair, 16))
        # %62 and "b" are the same URL; %2F and "/" are not (RFC 3986 section 2.2).
        return char if char in _UNRESERVED else "%" + hex_pair.upper()
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8", "surrogatepass"))


def normalise_path(path: str) -> str:
    """``path`` (path and query of a URL) in the percent-encoded form rules are compared in."""
    return _PATH_ESCAPES.sub(_escape, path) or "/"


def request_path(url: str) -> str:
    """The part of ``url`` that robots.txt rules are matched against: path and query."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def product_token(user_agent: str) -> str:
    """The lower-cased product name that robots.txt groups name: ``newsarc`` in ``newsarc/1.0``."""
    match = _TOKEN.match(user_agent.strip())
    return match.group(0).lower() if match else ""


@dataclass(frozen=True)
class Rule:
    """One Allow or Disallow line; ``pattern`` is normalised and starts with "/" or "*"."""

    allow: bool
    pattern: str

    @classmethod
    def parse(cls, allow: bool, value: str) -> Rule:
        """A rule from a line's value as written in the file."""
        if not value.startswith(("/", "*")):
            # "Disallow: private" can only have meant /private; as written it matches nothing.
            value = "/" + value
        pattern = _PATTERN_ESCAPES.sub(_escape, value)
        anchor = "$" if pattern.endswith("$") else ""
        # Only a final "$" anchors; one anywhere else is a literal dollar sign.
        return cls(allow, pattern[: len(pattern) - len(anchor)].replace("$", "%24") + anchor)

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` (already normalised) from its start."""
        anchored = self.pattern.endswith("$")
        pieces = (self.pattern[:-1] if anchored else self.pattern).split("*")
        head, tail = pieces[0], pieces[-1]
        if not path.startswith(head):
            return False
        if len(pieces) == 1:
            return not anchored or len(path) == len(head)
        pos = len(head)
        # Placing each literal piece as early as possible leaves the most room for the rest,
        # so one left-to-right pass decides; no backtracking, O(len(path) * len(pattern)).
        for piece in pieces[1:-1]:
            found = path.find(piece, pos)
            if found < 0:
                return False
            pos = found + len(piece)
        if anchored:
            return len(path) - len(tail) >= pos and path.endswith(tail)
        return path.find(tail, pos) >= 0


@dataclass(frozen=True)
class Group:
    """The rules robots.txt sets for one crawler, and the Crawl-delay it asks (seconds)."""

    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None

    def allowed(self, path: str) -> bool:
        """Whether ``path`` (a URL's path and query) may be fetched: the longest match decides."""
        target = normalise_path(path)
        if target == "/robots.txt":
            return True  # RFC 9309 section 2.3.1: always allowed, whatever the rules say
        # Ties in length go to Allow, since True > False (RFC 9309 section 2.2.2).
        best = max(
            ((len(rule.pattern), rule.allow) for rule in self.rules if rule.matches(target)),
            default=None,
        )
        return best is None or best[1]


@dataclass
class _Draft:
    agents: set[str] = field(default_factory=set)
    rules: list[Rule] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class RobotsTxt:
    """A parsed robots.txt: each group as (the agents it names, lower-cased; its rules)."""

    groups: tuple[tuple[frozenset[str], Group], ...] = ()

    def group_for(self, user_agent: str) -> Group:
        """The merged rules for ``user_agent`` (by product token), else for ``*``, else none."""
        token = product_token(user_agent)
        chosen = [group for agents, group in self.groups if token and token in agents]
        if not chosen:
            chosen = [group for agents, group in self.groups if "*" in agents]
        delays = [g.crawl_delay for g in chosen if g.crawl_delay is not None]
        # Merged groups may each ask a delay; the longest one is the polite reading.
        return Group(tuple(r for g in chosen for r in g.rules), max(delays, default=None))


def parse_robots(body: bytes | str) -> RobotsTxt:
    """Parse a robots.txt body (first 500 KiB, UTF-8, BOM and any line ends); never raises.

    Lines that are not ``key: value`` records, unknown keys (Sitemap, Host, ...), and rules
    before the first User-agent line are ignored. Consecutive User-agent lines share a group;
    a User-agent line after a rule starts a new one. Crawl-delay takes seconds as a
    non-negative decimal number; other values are ignored.
    """
    drafts: list[_Draft] = []
    naming = False  # whether the previous record was a User-agent line
    for line in _LINE_END.split(_decode(body)):
        key, colon, value = line.split("#", 1)[0].partition(":")
        record = _KEYS.get(" ".join(key.split()).lower())
        value = value.strip()
        if not colon or record is None:
            continue
        if record == "user-agent":
            if not naming:
                drafts.append(_Draft())
                naming = True
            first = value.split(maxsplit=1)[0] if value else ""
            drafts[-1].agents.add("*" if first == "*" else product_token(first))
            continue
        if not drafts:
            continue  # a rule outside any group applies to nobody
        naming = False
        if record == "crawl-delay":
            if _SECONDS.fullmatch(value) and math.isfinite(float(value)):
                drafts[-1].delays.append(float(value))
        elif value:  # "Disallow:" with no path is a rule that matches nothing
            drafts[-1].rules.append(Rule.parse(record == "allow", value))
    return RobotsTxt(
        tuple(
            (frozenset(d.agents - {""}), Group(tuple(d.rules), max(d.delays, default=None)))
            for d in drafts
        )
    )


def _decode(body: bytes | str) -> str:
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    if len(body) > MAX_ROBOTS_BYTES:
        head = body[:MAX_ROBOTS_BYTES]
        if body[MAX_ROBOTS_BYTES] not in b"\r\n":
            # Drop the line the cap cut in two rather than read half a rule.
            head = head[: max(head.rfind(b"\n"), head.rfind(b"\r")) + 1]
        body = head
    if body.startswith(_BOM):
        body = body[len(_BOM) :]
    return body.decode("utf-8", errors="replace")
