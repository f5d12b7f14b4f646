"""An adversarial web site on loopback, for batch runs through the real CLI.

Every case gets a server of its own on its own loopback address (127.0.0.N), so each is a
separate host to newsarc: one case's timeouts never make the batch give up on another host, and
the per-host politeness never queues one slow case behind another. Servers speak raw HTTP over
sockets, so they can lie, stall, drip and reset as no well-behaved server would; behaviours from
``tests.rawserver`` plug in unchanged. Every behaviour is bounded in bytes and time and stops
once the server is stopping.
"""

from __future__ import annotations

import gzip
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import fixture_path
from tests.rawserver import (
    Behaviour,
    RawServer,
    drip,
    endless_headers,
    reset_after,
    short_body,
    silence,
    stall_after_headers,
)

MIB = 1 << 20

# --- the server -----------------------------------------------------------------------------


class Site(RawServer):
    """A threaded raw-socket HTTP server on one loopback address, routing paths to behaviours.

    Each connection serves one request and is closed; unknown paths get a 404. ``hits``
    counts the requests per request target (path and query).
    """

    def __init__(self, address: str = "127.0.0.1") -> None:
        super().__init__(respond(b"not here", status="404 Not Found"), address)
        self.routes: dict[str, Behaviour] = {}
        self.hits: Counter[str] = Counter()

    def route(self, path: str, behaviour: Behaviour) -> str:
        """Answer GET ``path`` with ``behaviour``; returns the URL."""
        self.routes[path] = behaviour
        return self.url(path)

    def choose(self, head: bytes) -> Behaviour:
        """The route's behaviour (the query never selects it), counting the hit."""
        parts = head.split(b"\r\n", 1)[0].split()
        path = parts[1].decode("latin-1") if len(parts) > 1 else "/"
        with self._lock:
            self.hits[path] += 1
        return self.routes.get(path.split("?", 1)[0], self.behaviour)


@contextmanager
def serving(address: str = "127.0.0.1") -> Iterator[Site]:
    """A running Site on ``address`` for the duration of the block."""
    site = Site(address)
    site.start()
    try:
        yield site
    finally:
        site.stop()


# --- behaviours -----------------------------------------------------------------------------


def _head(status: str, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def respond(
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str | None = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Behaviour:
    """A complete, honest response with Content-Length, then the connection closes."""
    fields = {"Content-Length": str(len(body)), "Connection": "close"}
    if content_type is not None:
        fields["Content-Type"] = content_type
    fields.update(headers or {})
    data = _head(status, fields) + body

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)

    return behave


def redirect(location: str, status: str = "302 Found") -> Behaviour:
    """A redirect to ``location`` (sent as is: relative, other schemes, anything)."""
    return respond(b"", status=status, content_type=None, headers={"Location": location})


class Throttle:
    """How many more responses gated pages may send, and how long each takes to start.

    Pages over the quota wait (bounded) for more; a test changes both between runs.
    """

    def __init__(self, allowed: int | None = None, latency: float = 0.0) -> None:
        self.allowed = allowed  # None: no limit
        self.latency = latency
        self._cond = threading.Condition()

    def set(self, allowed: int | None, latency: float | None = None) -> None:
        """Allow ``allowed`` more responses from now on (None: any number)."""
        with self._cond:
            self.allowed = allowed
            if latency is not None:
                self.latency = latency
            self._cond.notify_all()

    def take(self, stopping: threading.Event, timeout: float = 60.0) -> bool:
        """Use up one response; False when the server stops or ``timeout`` s pass first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            # Each pass waits at most 0.1 s; the deadline bounds the loop.
            while self.allowed is not None and self.allowed <= 0:
                if stopping.is_set() or time.monotonic() >= deadline:
                    return False
                self._cond.wait(0.1)
            if self.allowed is not None:
                self.allowed -= 1
        return not stopping.wait(self.latency)


def gated(body: bytes, throttle: Throttle) -> Behaviour:
    """An honest page, sent when ``throttle`` allows it."""
    inner = respond(body)

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        if throttle.take(stopping):
            inner(conn, stopping)

    return behave


def flood(total: int, *, content_length: bool, chunk: int = 64 * 1024) -> Behaviour:
    """``total`` bytes of page, announced or chunked; stops when the client hangs up."""
    block = b"<p>" + b"flood " * ((chunk - 8) // 6) + b"</p>\n"

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        if content_length:
            fields = {"Content-Length": str(total), "Connection": "close"}
        else:
            fields = {"Transfer-Encoding": "chunked", "Connection": "close"}
        conn.sendall(_head("200 OK", {"Content-Type": "text/html", **fields}))
        conn.sendall(b"<html><body>" if content_length else _chunk(b"<html><body>"))
        sent = 12
        # Each pass sends one block; the byte count bounds the loop.
        while sent < total and not stopping.is_set():
            piece = block[: total - sent]
            conn.sendall(piece if content_length else _chunk(piece))
            sent += len(piece)
        if not content_length:
            conn.sendall(b"0\r\n\r\n")

    return behave


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def gzip_bomb() -> Behaviour:
    """1 MiB of gzip that inflates to 1 GiB of zeros, labelled as an HTML page."""
    bomb = fixture_path("fetch/zeros-1gib.html.gz").read_bytes()
    return respond(bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})


def deflate_bomb(size: int = 256 * MIB) -> Behaviour:
    """A deflate body that inflates to ``size`` bytes of spaces inside a page."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(b"<html><body><p>")]
    parts += [packer.compress(b" " * MIB) for _ in range(size // MIB)]
    body = b"".join(parts) + packer.flush()
    return respond(body, content_type="text/html", headers={"Content-Encoding": "deflate"})


# --- pages ----------------------------------------------------------------------------------

WORDS = (
    "harbour council ferry timetable bridge repairs budget committee river flood warning "
    "school district teachers contract hospital wing opening rail line delays storm damage "
    "farmers market prices library hours museum exhibit mayor statement police inquiry "
    "court ruling airport runway noise residents petition energy tariff wind farm"
).split()


def article_html(marker: str, seed: int, *, paragraphs: int = 6) -> str:
    """A plain English article page whose headline and body carry the word ``marker``."""
    rng = random.Random(seed)
    body = "\n".join(
        "<p>"
        + " ".join(rng.choice(WORDS) for _ in range(35)).capitalize()
        + f" {marker} officials said on Tuesday.</p>"
        for _ in range(paragraphs)
    )
    headline = f"Council report {marker} on the {rng.choice(WORDS)} {rng.choice(WORDS)}"
    return _page("en", "utf-8", headline, body)


def _page(lang: str, charset: str | None, headline: str, body: str) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head>{meta}<title>{headline} | The Loopback Courier</title>
<meta property="og:title" content="{headline}">
<meta property="article:published_time" content="2024-05-02T09:00:00+00:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/world">World</a></nav></header>
<main><article><h1>{headline}</h1><p class="byline">By Loopback Reporter</p>
{body}
</article></main>
<footer><p>Loopback Courier, all rights reserved.</p></footer>
</body></html>
"""


# Words each decoded page must make searchable (texts in fixtures/hostile_batch/).
FRENCH_A_WORD = "présidente"
FRENCH_B_WORD = "sécheresse"
GERMAN_WORD = "Radwegenetzes"
RUSSIAN_WORD = "водоснабжения"


def paragraphs_of(name: str) -> tuple[str, ...]:
    """The paragraphs of ``fixtures/hostile_batch/<name>.txt`` (one per line)."""
    text = fixture_path(f"hostile_batch/{name}.txt").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line.strip())


def language_page(lang: str, paragraphs: tuple[str, ...], *, charset: str | None) -> str:
    """A page of ``paragraphs`` in ``lang``, declaring ``charset`` in a meta tag (or nothing)."""
    headline = paragraphs[0].split(".")[0][:90]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return _page(lang, charset, headline, body)


def nested_divs(depth: int = 100_000) -> bytes:
    """An article whose text sits inside ``depth`` nested divs."""
    text = "".join(f"<p>{p}</p>" for p in (article_paragraphs("nestedmarker", 7)))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Deep page nestedmarker</title>"
        "</head><body>" + "<div>" * depth + text + "</div>" * depth + "</body></html>"
    ).encode()


def article_paragraphs(marker: str, seed: int, count: int = 6) -> list[str]:
    """``count`` paragraphs of article-like text carrying ``marker``."""
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(35)).capitalize() + f" {marker} said."
        for _ in range(count)
    ]


def many_paragraphs(count: int = 100_000) -> bytes:
    """An article of ``count`` short paragraphs (a few MB, under the size cap)."""
    lead = "".join(f"<p>{p}</p>" for p in article_paragraphs("paramarker", 8))
    filler = "".join(f"<p>Update {n}: the harbour ferry ran on time.</p>" for n in range(count))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Live blog paramarker</title>"
        f"</head><body><article><h1>Live blog paramarker</h1>{lead}{filler}</article></body></html>"
    ).encode()


def js_only_page() -> bytes:
    """A single-page app: an empty root, a big script, a notice for browsers without JS."""
    script = "window.__STATE__=" + "{" + ",".join(f'"k{n}":{n}' for n in range(5000)) + "};"
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Loopback News</title>"
        f"<script>{script}</script><script src='/app.js'></script></head>"
        "<body><div id='root'></div>"
        "<noscript>You need to enable JavaScript to run this app.</noscript></body></html>"
    ).encode()


def pdf_bytes() -> bytes:
    """The start of a PDF document, with enough binary after it to look real."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + _noise(1, 8192)


def png_bytes() -> bytes:
    """A PNG signature and an IHDR chunk, then noise."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + _noise(2, 8192)


def _noise(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


# --- the catalogue --------------------------------------------------------------------------


@dataclass
class Case:
    """One item of the hostile batch: how its server behaves and what newsarc must make of it.

    ``make`` builds the behaviour (only when the site starts, so listing the cases is cheap).
    ``reason`` is a regular expression the one-line failure reason must match; None means the
    page must be archived, and ``word`` is then a word its stored body must contain (and that
    ``newsarc search`` must find). ``requests`` bounds how often the server may be asked.
    """

    name: str
    make: Callable[[], Behaviour]
    reason: str | None = None
    word: str | None = None
    requests: int = 1
    url: str = field(default="", init=False)


def _html(
    body: Callable[[], bytes],
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    headers: dict[str, str] | None = None,
) -> Callable[[], Behaviour]:
    return lambda: respond(body(), content_type=content_type, status=status, headers=headers)


def _text(page: Callable[[], str], codec: str, content_type: str) -> Callable[[], Behaviour]:
    return _html(lambda: page().encode(codec), content_type)


TOO_BIG = r"body larger than 10 MiB"
AFTER_RETRY = r" \(gave up after 1 retry\)"


def hostile_cases() -> list[Case]:
    """Every hostile case of issue 6, in the order the URL list gives them.

    The reasons assume ``--deadline 3 --timeout 1 --retries 1 --max-retry-after 1`` and the
    default ``--max-bytes 10M`` and ``--max-redirects 10``.
    """

    def page(lang: str, name: str, charset: str | None) -> Callable[[], str]:
        return lambda: language_page(lang, paragraphs_of(name), charset=charset)

    french_a = page("fr", "fr-lycees", "utf-8")
    french_b = page("fr", "fr-secheresse", "iso-8859-1")
    german = page("de", "de-radwege", None)
    russian = page("ru", "ru-vodoprovod", None)
    return [
        # Size.
        Case("gzip-bomb", gzip_bomb, TOO_BIG),
        Case("deflate-bomb", deflate_bomb, TOO_BIG),
        Case("50mb-with-length", lambda: flood(50 * MIB, content_length=True), TOO_BIG),
        Case("50mb-chunked", lambda: flood(50 * MIB, content_length=False), TOO_BIG),
        # Time. A byte a second races the 1 s read timeout: either limit may stop it first.
        Case(
            "drip-1-byte-per-s",
            lambda: drip(1.0, total=3600),
            r"timed out after 3 s|no data for 1 s",
        ),
        Case(
            "drip-no-length",
            lambda: drip(0.25, total=3600, content_length=False),
            r"timed out after 3 s",
        ),
        Case("stall-after-headers", lambda: stall_after_headers(600), r"no data for 1 s"),
        Case("endless-headers", lambda: endless_headers(0.25, cap=3600), r"timed out after 3 s"),
        Case("silence", lambda: silence(600), r"no response within 1 s"),
        # Redirects.
        Case(
            "redirect-loop",
            lambda: redirect("/redirect-loop-b"),
            r"too many redirects \(11\); it loops back to http://\S+/redirect-loop",
            requests=6,
        ),
        Case("redirect-chain-30", lambda: redirect("/chain/1"), r"too many redirects \(11\)"),
        Case(
            "redirect-file",
            lambda: redirect("file:///etc/passwd"),
            r"redirect to unsupported scheme file:///etc/passwd",
        ),
        Case(
            "redirect-ftp",
            lambda: redirect("ftp://127.0.0.1/pub/story.html"),
            r"redirect to unsupported scheme ftp://127\.0\.0\.1/pub/story\.html",
        ),
        Case(
            "redirect-javascript",
            lambda: redirect("javascript:alert(1)"),
            r"redirect to unsupported scheme javascript:alert\(1\)",
        ),
        # Not a page, whatever the label says.
        Case(
            "pdf-as-html",
            _html(pdf_bytes, "text/html"),
            r"binary content labelled text/html \(looks like application/pdf\)",
        ),
        Case(
            "png-as-html",
            _html(png_bytes),
            r"binary content labelled text/html \(looks like image/png\)",
        ),
        Case(
            "binary-as-html",
            _html(lambda: _noise(3, 64 * 1024), "text/html"),
            r"binary content labelled text/html \(looks like application/octet-stream\)",
        ),
        Case(
            "gzip-file-as-html",
            _html(lambda: gzip.compress(b"x" * 10_000), "text/html"),
            r"binary content labelled text/html \(looks like application/gzip\)",
        ),
        Case("empty-200", _html(lambda: b""), r"empty body"),
        Case("blank-200", _html(lambda: b"  \r\n\t\n  "), r"empty body"),
        # Error statuses, one with a body that reads like an article.
        Case(
            "404",
            _html(lambda: article_html("notfoundmarker", 40).encode(), status="404 Not Found"),
            r"HTTP 404 Not Found",
        ),
        Case("410", _html(lambda: b"<h1>Gone</h1>", status="410 Gone"), r"HTTP 410 Gone"),
        Case(
            "500",
            _html(lambda: b"<h1>Oops</h1>", status="500 Internal Server Error"),
            r"HTTP 500 Internal Server Error",
        ),
        Case(
            "429-retry-after",
            _html(
                lambda: b"slow down", status="429 Too Many Requests", headers={"Retry-After": "1"}
            ),
            r"HTTP 429 Too Many Requests" + AFTER_RETRY,
            requests=2,
        ),
        Case(
            "503-retry-after-long",
            _html(
                lambda: b"later", status="503 Service Unavailable", headers={"Retry-After": "3600"}
            ),
            r"HTTP 503 Service Unavailable: Retry-After 3600 s exceeds the 1 s cap",
        ),
        Case(
            "503-retry-after-short",
            _html(lambda: b"later", status="503 Service Unavailable", headers={"Retry-After": "0"}),
            r"HTTP 503 Service Unavailable" + AFTER_RETRY,
            requests=2,
        ),
        # Broken transfers.
        Case(
            "reset-mid-body",
            lambda: reset_after(article_html("resetmarker", 41).encode()[:2000], 20_000),
            r"connection reset" + AFTER_RETRY,
            requests=2,
        ),
        Case(
            "short-body",
            lambda: short_body(article_html("shortmarker", 42).encode()[:2000], 9000),
            r"incomplete body \(got 2000 of 9000 bytes\)" + AFTER_RETRY,
            requests=2,
        ),
        # Pages with no article in them.
        Case(
            "error-page-200",
            _html(lambda: fixture_path("hostile/soft-404.html").read_bytes()),
            r"no article text found",
        ),
        Case("js-only", _html(js_only_page), r"no article text found"),
        # Decodable pages: archived, and their text reads right.
        Case(
            "latin1-declared-utf8",
            _text(french_a, "latin-1", "text/html; charset=utf-8"),
            word=FRENCH_A_WORD,
        ),
        Case(
            "utf8-declared-latin1",
            _text(french_b, "utf-8", "text/html; charset=iso-8859-1"),
            word=FRENCH_B_WORD,
        ),
        Case("cp1251-undeclared", _text(russian, "cp1251", "text/html"), word=RUSSIAN_WORD),
        Case("utf16-bom", _text(german, "utf-16", "text/html"), word=GERMAN_WORD),
        Case(
            "malformed-html",
            _html(lambda: fixture_path("hostile/malformed.html").read_bytes()),
            word="pensions",
        ),
        # Markup built to exhaust the parser: the text in it is still an article.
        Case("nested-divs-100k", _html(nested_divs), word="nestedmarker"),
        Case("paragraphs-100k", _html(many_paragraphs), word="paramarker"),
    ]


def _extra_routes(case: Case, site: Site) -> None:
    """Second paths some cases need (the other end of a loop, the rest of a chain)."""
    if case.name == "redirect-loop":
        site.route("/redirect-loop-b", redirect(f"/{case.name}"))
    if case.name == "redirect-chain-30":
        for hop in range(1, 30):
            site.route(f"/chain/{hop}", redirect(f"/chain/{hop + 1}"))
        site.route("/chain/30", respond(article_html("chainmarker", 43).encode()))


class HostileWeb:
    """The hostile cases and some good article pages, each case on its own loopback host.

    Good pages live on ``good`` (127.0.0.2); case ``i`` on 127.0.0.(10 + i).
    """

    def __init__(self, good_pages: int = 6) -> None:
        self.cases = hostile_cases()
        self.good_pages = good_pages
        self.sites: list[Site] = []
        self.good_urls: list[str] = []
        self.good_words: list[str] = []
        self._stack = ExitStack()

    def __enter__(self) -> HostileWeb:
        try:
            good = self._stack.enter_context(serving("127.0.0.2"))
            for n in range(self.good_pages):
                word = f"goodmarker{chr(97 + n)}"
                self.good_words.append(word)
                self.good_urls.append(
                    good.route(f"/news/{word}.html", respond(article_html(word, n).encode()))
                )
            self.sites.append(good)
            for index, case in enumerate(self.cases):
                site = self._stack.enter_context(serving(f"127.0.0.{10 + index}"))
                case.url = site.route(f"/{case.name}", case.make())
                _extra_routes(case, site)
                self.sites.append(site)
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for site in self.sites:  # all at once: each then stops within one accept timeout
            site.stopping.set()
        self._stack.close()

    def url_list(self) -> list[str]:
        """Good and hostile URLs interleaved, so good pages come before, among and after them."""
        urls: list[str] = []
        good = iter(self.good_urls)
        for index, case in enumerate(self.cases):
            if index % 6 == 0:
                urls.extend(u for u in [next(good, None)] if u)
            urls.append(case.url)
        urls.extend(good)
        return urls


# --- the CLI and the archive, from outside ------------------------------------------------

# Runs a command as a child and reports, after it ends, the peak resident memory of the
# largest process among the descendants it waited for (in KiB on Linux): the wrapper starts
# fresh, so earlier children of the test process cannot inflate the figure.
_PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(code)\n"
)


@dataclass
class Run:
    """What one ``newsarc`` command did."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mib: float | None = None

    def errors(self) -> list[str]:
        """The ``Error: ...`` lines on stderr."""
        return [line for line in self.stderr.splitlines() if line.startswith("Error: ")]


def newsarc_command(*args: str) -> list[str]:
    """The argv of ``python -m newsarc ARGS`` with this interpreter."""
    return [sys.executable, "-m", "newsarc", *args]


def run_newsarc(
    *args: str,
    timeout: float = 120,
    peak_file: Path | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``python -m newsarc ARGS`` to its end (killed after ``timeout`` s).

    With ``peak_file`` the command runs under a small wrapper that measures its peak memory.
    """
    argv = newsarc_command(*args)
    if peak_file is not None:
        argv = [sys.executable, "-c", _PEAK_RSS, str(peak_file), *argv]
    started = time.monotonic()
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, env=env or _env(), check=False
    )
    seconds = time.monotonic() - started
    peak = int(peak_file.read_text()) / 1024 if peak_file is not None else None
    return Run(list(args), done.returncode, done.stdout, done.stderr, seconds, peak)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NEWSARC_DB", None)  # every test names its archive with --db
    env["PYTHONWARNINGS"] = "ignore"
    return env


@contextmanager
def read_only(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection that never upgrades or writes (safe while newsarc writes)."""
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def archived_urls(db: Path) -> set[str]:
    """The URLs of every committed article (empty while the archive is not created yet)."""
    try:
        with read_only(db) as conn:
            return {row[0] for row in conn.execute("SELECT url FROM articles")}
    except sqlite3.Error:  # not created, or not migrated, yet
        return set()


def archive_problems(db: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` and the FTS5 integrity checks find ([] when sound)."""
    conn = sqlite3.connect(db, timeout=30)
    problems: list[str] = []
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            problems.extend(rows)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        for fts in ("articles_fts", "articles_cjk"):
            if fts not in tables:
                continue
            try:
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{fts}: {exc}")
        conn.rollback()
    finally:
        conn.close()
    return problems


# UTF-8 read as Latin-1/cp1252 (Ã©, Ã¨, Â«, Ð¾, Ñ), replacement characters, control bytes.
_MOJIBAKE = re.compile("[ÃÂÐÑ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]|\ufffd")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def junk_in(text: str) -> str | None:
    """Why ``text`` cannot be a clean article body (mojibake, binary residue), else None."""
    found = _MOJIBAKE.search(text)
    if found:
        return f"mojibake {found.group()!r} at {found.start()}"
    found = _CONTROL.search(text)
    if found:
        return f"control character {found.group()!r} at {found.start()}"
    return None
