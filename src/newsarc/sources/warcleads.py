"""What a WARC's redirect and revisit records say (``read_warc(leads=...)``): the address
of the page each one leads to (see ``newsarc.ingest_leads`` for what ingest does with it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, NamedTuple

from newsarc.errors import InputError
from newsarc.urls import check_url, link_url

log = logging.getLogger("newsarc.sources.warc")

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECTS = frozenset({"301", "302", "303", "307", "308"})
# The revisit profiles that say the payload is the one of an earlier capture (WARC 1.0 and
# 1.1 spell them with their own version in the URI): its page is known, its bytes not here.
_SAME_PAYLOAD = ("/revisit/identical-payload-digest", "/revisit/server-not-modified")


def warc_date(value: str | None) -> str | None:
    """WARC-Date as newsarc's UTC ISO 8601 (seconds precision)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value.strip()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat()


class Lead(NamedTuple):
    """A record that leads to a page without holding one: ``url`` redirects to ``target``
    (``kind`` "redirect"), or holds again the payload ``target`` had when captured at
    ``target_date`` (``kind`` "revisit"; ``target`` may be ``url`` itself). ``at`` is the
    record's WARC-Date as newsarc's UTC ISO 8601."""

    kind: str
    url: str
    target: str
    at: str | None
    target_date: str | None = None


Leads = Callable[[Lead], None]


@dataclass
class Originals:
    """The pages read so far in one file, by WARC-Record-ID and by WARC-Payload-Digest:
    what a revisit without WARC-Refers-To-Target-URI repeats. Only kept for a caller that
    asked for leads (two short strings a page)."""

    told: Leads
    pages: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def remember(self, record: Any, url: str, at: str | None) -> None:
        for name in ("WARC-Record-ID", "WARC-Payload-Digest"):
            value = (record.rec_headers.get_header(name) or "").strip()
            if value:
                self.pages[value] = (url, at)


def tell(record: Any, leads: Originals) -> None:
    """Tell ``leads`` of a redirect or revisit record leading to another address."""
    target = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    at = warc_date(record.rec_headers.get_header("WARC-Date"))
    try:
        url = check_url(target)
    except InputError:
        return
    http = record.http_headers
    if record.rec_type == "response":
        location = (http.get_header("Location") or "").strip() if http is not None else ""
        if location:
            try:
                leads.told(Lead("redirect", url, link_url(url, location), at))
            except InputError:  # a Location that is no address: a page of no use
                log.info("%s: redirect to %r, no http(s) address; passed over", url, location)
        return
    profile = (record.rec_headers.get_header("WARC-Profile") or "").strip().rstrip("/")
    if not profile.endswith(_SAME_PAYLOAD):
        return
    if http is not None:  # an image's or a script's revisit is no page
        media = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
        if media and media not in HTML_TYPES:
            return
    refers = (record.rec_headers.get_header("WARC-Refers-To-Target-URI") or "").strip("<> ")
    date = warc_date(record.rec_headers.get_header("WARC-Refers-To-Date"))
    if not refers:
        for name in ("WARC-Refers-To", "WARC-Payload-Digest"):
            known = leads.pages.get((record.rec_headers.get_header(name) or "").strip())
            if known is not None:
                refers, date = known[0], date or known[1]
                break
    # With neither, the page it repeats is unknown: said as a revisit of no address.
    leads.told(Lead("revisit", url, refers, at, date))
