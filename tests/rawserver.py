"""A tiny threaded TCP server on 127.0.0.1 for responses no well-behaved HTTP server sends.

Each connection reads the request head, counts it, and hands the socket to a behaviour
function. Behaviours are bounded (a byte cap or a time cap) and stop early once the client
has gone or the server is stopping, so a test never leaves a thread spinning.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Behaviour = Callable[[socket.socket, threading.Event], None]

HEAD_LIMIT = 64 * 1024


class RawServer:
    """Serves every connection with one behaviour; ``requests`` counts request heads read."""

    def __init__(self, behaviour: Behaviour, address: str = "127.0.0.1") -> None:
        self.behaviour = behaviour
        self.address = address
        self.requests = 0
        self.heads: list[bytes] = []
        self.stopping = threading.Event()
        self._listener = socket.create_server((address, 0))
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._accepter = threading.Thread(target=self._accept_loop, daemon=True)

    def url(self, path: str = "/") -> str:
        """The http URL of ``path`` on this server."""
        return f"http://{self.address}:{self.port}{path}"

    def start(self) -> None:
        """Start accepting connections in a background thread."""
        self._accepter.start()

    def stop(self) -> None:
        """Stop accepting, tell behaviours to end, and wait (bounded) for the threads."""
        self.stopping.set()
        self._accepter.join(timeout=5)
        self._listener.close()
        for thread in list(self._threads):
            thread.join(timeout=5)

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            head = b""
            try:
                while b"\r\n\r\n" not in head and len(head) < HEAD_LIMIT:
                    data = conn.recv(4096)
                    if not data:
                        return
                    head += data
            except OSError:
                return
            with self._lock:
                self.requests += 1
                self.heads.append(head)
            try:
                self.choose(head)(conn, self.stopping)
            except OSError:
                pass  # the client hung up: exactly what most behaviours provoke

    def choose(self, head: bytes) -> Behaviour:
        """The behaviour that answers a request head (subclasses route by path)."""
        return self.behaviour


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[RawServer]:
    """A running RawServer for the duration of the block."""
    server = RawServer(behaviour)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def head(status: str = "200 OK", headers: dict[str, str] | None = None) -> bytes:
    """A response head: status line, headers and the blank line."""
    lines = [f"HTTP/1.1 {status}"]
    for name, value in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _pause(stopping: threading.Event, seconds: float) -> bool:
    """Sleep up to ``seconds``; True when the server is stopping."""
    return stopping.wait(seconds)


def drip(interval: float, total: int = 10_000, content_length: bool = True) -> Behaviour:
    """Send a page one byte every ``interval`` seconds, at most ``total`` bytes."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        extra = {"Content-Length": str(total)} if content_length else {"Connection": "close"}
        conn.sendall(head(headers=extra))
        for _ in range(total):
            if _pause(stopping, interval):
                return
            conn.sendall(b"x")

    return behave


def stall_after_headers(seconds: float = 30.0) -> Behaviour:
    """Send the head and the first bytes, then nothing for ``seconds``."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(head(headers={"Content-Length": "1000"}) + b"<html><body>")
        _pause(stopping, seconds)

    return behave


def silence(seconds: float = 30.0) -> Behaviour:
    """Read the request and answer nothing for ``seconds``."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        _pause(stopping, seconds)

    return behave


def endless_headers(interval: float, cap: int = 100_000) -> Behaviour:
    """A status line, then one more header line every ``interval`` seconds, never a blank line."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        for n in range(cap):
            if interval and _pause(stopping, interval):
                return
            if stopping.is_set():
                return
            conn.sendall(f"X-Filler-{n}: {'a' * 20}\r\n".encode())

    return behave


def long_header_line(length: int = 100_000) -> Behaviour:
    """A status line, then one header line of ``length`` bytes."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * length + b"\r\n\r\n")

    return behave


def reset_after(body: bytes, content_length: int | None = None) -> Behaviour:
    """Send the head and ``body``, then reset the connection (RST, not a clean close)."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        length = content_length if content_length is not None else len(body) * 10
        conn.sendall(head(headers={"Content-Length": str(length)}) + body)
        time.sleep(0.05)  # let the bytes leave before the RST overtakes them
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behave


def short_body(body: bytes, content_length: int) -> Behaviour:
    """Announce ``content_length`` bytes, send ``body`` (fewer), then close cleanly."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(head(headers={"Content-Length": str(content_length)}) + body)
        conn.shutdown(socket.SHUT_WR)

    return behave


def reply(data: bytes) -> Behaviour:
    """Send ``data`` verbatim and close."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)

    return behave


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def unanswered_port() -> Iterator[int]:
    """A loopback port whose handshake never completes: new connections hang in ``connect``.

    It listens with no room for a pending connection and never accepts; once one connection
    fills the queue, Linux drops every further SYN, as a host behind a firewall that drops
    packets does (the client retries until its connect timeout).
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = int(listener.getsockname()[1])
        filler: list[socket.socket] = []
        try:
            while True:  # bounded: the queue is full after a connection or two
                probe = socket.create_connection(("127.0.0.1", port), timeout=0.5)
                filler.append(probe)
                if len(filler) > 8:
                    raise RuntimeError("the listen queue never filled")
        except TimeoutError:
            pass  # this connect hung: so will the next ones
        try:
            yield port
        finally:
            for probe in filler:
                probe.close()


def connecting_to(port: int) -> bool:
    """Whether some socket of this machine is in the middle of a handshake with ``port`` on
    127.0.0.1 (a SYN sent, no answer yet), from /proc/net/tcp (Linux)."""
    target = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            if fields[2] == target and fields[3] == "02":  # 02: SYN_SENT
                return True
    return False
