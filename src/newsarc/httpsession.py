"""The requests session newsarc fetches with: our User-Agent, guarded adapters, and the
process environment (proxies, CA bundle) read once per origin instead of once per request.

requests consults the environment on every request: it walks the whole of ``os.environ``
twice looking for ``*_proxy`` variables and checks ``no_proxy`` against the host. On a batch
of thousands of pages that costs more CPU than the HTTP exchange itself, and the fetch
threads queue for the interpreter behind it. A run's environment does not change under it,
so ``NewsarcSession`` asks once per scheme and host and reuses the answer; the result is
the same as requests' own (``trust_env = False`` still turns the environment off).
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import threading
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies

from newsarc.httpguard import AlarmClock, GuardedAdapter

__all__ = ["NewsarcSession", "make_session", "user_agent"]


@functools.cache
def user_agent() -> str:
    """The User-Agent newsarc sends: ``newsarc/<version> (+https://github.com/newsarc/newsarc)``."""
    try:
        version = importlib.metadata.version("newsarc")
    except importlib.metadata.PackageNotFoundError:
        version = "0+unknown"
    return f"newsarc/{version} (+https://github.com/newsarc/newsarc)"


class NewsarcSession(requests.Session):
    """A ``requests.Session`` that reads the proxy and CA-bundle environment once per origin,
    and whose fetches share one thread for their deadlines (``alarms``)."""

    def __init__(self) -> None:
        super().__init__()
        self.alarms = AlarmClock()
        self._environ: dict[tuple[str, str], tuple[dict[str, str], str | None]] = {}
        self._environ_lock = threading.Lock()

    def merge_environment_settings(
        self,
        url: Any,
        proxies: Any,
        stream: Any,
        verify: Any,
        cert: Any,
    ) -> Any:
        """requests' merge of the call's settings, the environment's and the session's."""
        if not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        url = url.decode("utf-8", "replace") if isinstance(url, bytes) else str(url)
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        env_proxies, env_verify = self._environment(url, no_proxy)
        if proxies is not None:
            for key, value in env_proxies.items():
                proxies.setdefault(key, value)
        if verify is True or verify is None:
            verify = env_verify or verify
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }

    def _environment(self, url: str, no_proxy: str | None) -> tuple[dict[str, str], str | None]:
        """The environment's proxies for ``url`` and its CA bundle, asked once per origin."""
        parts = urlsplit(url)
        key = (parts.scheme.lower(), (parts.netloc or "").lower())
        if no_proxy is None:
            with self._environ_lock:
                found = self._environ.get(key)
            if found is not None:
                return dict(found[0]), found[1]
        env_verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        found = (get_environ_proxies(url, no_proxy=no_proxy), env_verify)
        if no_proxy is None:  # a per-call no_proxy answers for that call only
            with self._environ_lock:
                self._environ[key] = found
        return dict(found[0]), found[1]


def make_session() -> NewsarcSession:
    """A session with newsarc's User-Agent and deadline-guarded connections."""
    session = NewsarcSession()
    session.headers["User-Agent"] = user_agent()
    session.mount("http://", GuardedAdapter())
    session.mount("https://", GuardedAdapter())
    return session
