"""URL checks and normalization: one canonical form per article address."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from newsarc.errors import InputError

# Query parameters that only say where a reader came from. Feeds stamp their links with them,
# often differently per feed or per day (`?xtor=RSS-3208`, `?wt_mc=rss.red...`), and one left
# in an address makes an archived article look new to every run that lists it.
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|igshid|"
    r"_ga|_gl|ocid|cmpid|ito|icid|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|"
    r"sr_share|share|smid|s_cid|taid|__twitter_impression|"
    # AT Internet (xtor), Webtrends (wt_mc), Matomo/Piwik, HubSpot, Marketo, Guardian-style
    # campaign codes, Condé Nast, Yahoo/AOL, CNET, Facebook and Twitter shares, Outbrain,
    # Taboola, Yahoo's consent redirect
    r"xtor|wt_mc|wt_zmc|pk_(campaign|kwd|keyword|source|medium|content|cid)|mtm_\w+|"
    r"piwik_(campaign|kwd|keyword)|_hsenc|_hsmi|mkt_tok|cmp|intcmp|mbid|ncid|ftag|soc_src|"
    r"soc_trk|fb_ref|fb_source|fb_action_ids|fb_action_types|mibextid|ref_src|obOrigUrl|"
    r"tblci|guccounter|guce_referrer|guce_referrer_sig|"
    # a referrer's tag (`?ref=homepage`, Ghost's `?ref=newsletter`), share sheets' marks
    # (`smid=nytcore-ios-share&sgrp=c-cb`, `share_id`), AT Internet's other `at_` parameters,
    # ad click ids (TikTok, Twitter, LinkedIn, Google Merchant, Pinterest), MSN, Webtrends'
    # `WT.mc_id`, Omeda and Vero newsletters. Not `mod`, `s`, `r` or `src`: some sites pick a
    # page with them.
    r"ref|ref_url|referringsource|smtyp|sgrp|share_id|shareid|at_\w+|ttclid|twclid|"
    r"li_fat_id|srsltid|epik|cvid|wt\.mc_id|oly_anon_id|oly_enc_id|vero_id|"
    # a server-side session's id, new for every visit (and every feed request)
    r"jsessionid|phpsessid)$",
    re.IGNORECASE,
)
# A Java servlet's session id written into the path (`/story.html;jsessionid=8F3A...`).
_PATH_SESSION = re.compile(r";jsessionid=[^/;?]*", re.IGNORECASE)
# A percent-escape in a path: the unreserved characters it may spell (RFC 3986 2.3) are
# written out, the others' hex digits upper-cased (RFC 3986 6.2.2: the same address).
_PATH_ESCAPE = re.compile("%([0-9a-fA-F]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SCHEMES = ("http", "https")
# Whitespace (str.isspace's set: re's \s on str patterns is the same) or a C0 control character.
_BAD_CHAR = re.compile(r"[\s\x00-\x1f]")
# What a browser drops from a link before reading it (WHATWG URL parsing): C0 controls and
# spaces at either end, tabs and newlines anywhere. Other whitespace at the ends goes too, as
# it always did here (a feed's <link> padded with a no-break space).
_LINK_EDGES = re.compile(r"^[\s\x00-\x1f]+|[\s\x00-\x1f]+$")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_ABSOLUTE = ("http://", "https://")


def check_url(url: str) -> str:
    """Return ``url`` stripped, or raise InputError if it is not an absolute http(s) URL."""
    candidate = url.strip()
    if not candidate or _BAD_CHAR.search(candidate):
        raise InputError(f"not a valid URL: {url!r}")
    try:
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise InputError(f"not a valid URL: {url!r} ({exc})") from None
    if parts.scheme.lower() not in _SCHEMES:
        raise InputError(f"not an http(s) URL: {url!r}")
    if not parts.hostname:
        raise InputError(f"URL has no host: {url!r}")
    return candidate


def link_url(base: str, link: str) -> str:
    """``link`` (a feed entry's link, a sitemap's <loc>, an href) read as browsers and feed
    readers read it, made absolute against ``base`` and checked as ``check_url`` does.

    Feeds and sitemaps do carry links such as ``/a/with space``: a browser percent-encodes the
    space and fetches the page, so refusing the link would lose the article. As in WHATWG URL
    parsing, whitespace and control characters around the link are dropped, tabs and
    newlines inside it removed, and any whitespace or control character left in the path,
    query or fragment is percent-encoded (as UTF-8: ``%20``, ``%C2%A0``). One left in the host
    still makes it no URL (InputError), and so does an empty link. A link without such
    characters is only joined: an absolute one comes back as given.
    """
    cleaned = _TAB_NEWLINE.sub("", _LINK_EDGES.sub("", link))
    if not cleaned:  # joined, it would be ``base`` itself
        raise InputError(f"not a valid URL: {link!r}")
    joined = cleaned if cleaned.lower().startswith(_ABSOLUTE) else urljoin(base, cleaned)
    if _BAD_CHAR.search(joined):
        try:
            parts = urlsplit(joined)
        except ValueError as exc:
            raise InputError(f"not a valid URL: {link!r} ({exc})") from None
        path, query, fragment = (_encode_bad(part) for part in parts[2:])
        joined = urlunsplit((parts.scheme, parts.netloc, path, query, fragment))
    return check_url(joined)


def _encode_bad(part: str) -> str:
    return _BAD_CHAR.sub(lambda match: quote(match.group(), safe=""), part)


def source_address(url: str) -> str:
    """A feed's or sitemap's address in one spelling: scheme and host lower-cased, the root
    dot of a fully qualified host, a default port and the fragment dropped, and in path and
    query the spellings RFC 3986 (6.2.2) makes equivalent made one: a percent-encoded letter,
    digit or ``-._~`` written out (``%66eed.xml`` is ``feed.xml``), the hex digits of other
    escapes in capitals. Path and query stay otherwise as given, every parameter kept in its
    order (they are the server's to read), and so do credentials (a private feed's token may
    be in them)."""
    parts = urlsplit(check_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = f"[{host}]" if ":" in host else host
    port = parts.port
    if port and not (scheme == "http" and port == 80 or scheme == "https" and port == 443):
        netloc = f"{netloc}:{port}"
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        netloc = f"{userinfo}@{netloc}"
    path, query = _unescaped(parts.path) or "/", _unescaped(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


# A percent-encoded octet; RFC 3986's unreserved characters, which an escape never changes.
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _unescaped(part: str) -> str:
    """``part`` with its escaped unreserved characters written out and the hex digits of its
    other escapes in capitals (RFC 3986 6.2.2.1 and 6.2.2.2)."""
    if "%" not in part:
        return part

    def one(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else match.group().upper()

    return _ESCAPED.sub(one, part)


@lru_cache(maxsize=4096)
def normalize_url(url: str) -> str:
    """The canonical form of an article URL.

    Lower-cases scheme and host, drops default ports, the fragment and tracking parameters,
    sorts the remaining query parameters, writes out the path's percent-escapes of letters,
    digits and ``-._~`` (upper-casing the others' hex digits) and turns an empty path into
    ``/``. Cached: a batch normalizes each address several times on its way from the source
    to the archive.
    """
    parts = urlsplit(check_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host
    if parts.username or parts.password:
        netloc = host  # credentials never belong in an archived address
    if port and not (scheme == "http" and port == 80 or scheme == "https" and port == 443):
        netloc = f"{host}:{port}"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    query.sort()
    path = _PATH_SESSION.sub("", parts.path) or "/"
    if "%" in path:
        path = _PATH_ESCAPE.sub(_path_escape, path)
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def _path_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else match.group().upper()


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` ('' when there is none)."""
    return (urlsplit(url).hostname or "").lower()


def same_site(a: str, b: str) -> bool:
    """Whether two addresses are on one site: the same host, a leading ``www.`` aside, one
    host a subdomain of the other (``example.com`` and ``news.example.com``), or two hosts
    under one registrable domain (``news.example.co.uk`` and ``sport.example.co.uk``).

    The registrable domain comes from the public suffix list (the ``tld`` package, which
    trafilatura's courlan uses too), so that two sites under one public suffix
    (``a.github.io``, ``b.github.io``) stay two. It is looked up only for two hosts that
    the first rules do not join; the list loads once, in about 70 ms.
    """
    first, second = site_host(a), site_host(b)
    if not first or not second:
        return False
    if first == second or first.endswith("." + second) or second.endswith("." + first):
        return True
    domain = _registrable(first)
    return domain is not None and domain == _registrable(second)


@lru_cache(maxsize=8192)
def site_host(url: str) -> str:
    """``url``'s lower-cased host without a leading ``www.`` ('' when there is none):
    remembered, as the story linker compares each new article's address with those of every
    member of its candidates' stories."""
    return host_of(url).removeprefix("www.")


@lru_cache(maxsize=4096)
def _registrable(host: str) -> str | None:
    """The registrable domain of ``host`` by the public suffix list (None for an address,
    or a host under no known suffix)."""
    from tld import get_fld

    found = get_fld(host, fix_protocol=True, fail_silently=True)
    return found if isinstance(found, str) else None
