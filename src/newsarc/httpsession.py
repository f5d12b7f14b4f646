"""The requests session newsarc fetches with: our User-Agent, guarded adapters, and the
process environment (proxies, CA bundle, ~/.netrc) read once per origin instead of once per
request.

requests consults the environment on every request: it walks the whole of ``os.environ``
twice looking for ``*_proxy`` variables, checks ``no_proxy`` against the host, and looks for
(and parses, when there is one) ``~/.netrc``. On a batch of thousands of pages that costs more
CPU than the HTTP exchange itself, and the fetch threads queue for the interpreter behind it.
A run's environment does not change under it, so ``NewsarcSession`` asks once per scheme and
host and reuses the answer; the result is the same as requests' own (``trust_env = False``
still turns the environment off).

Merging the session's settings into each request is done as requests does it, but without
requests' generic conversion of every mapping (a runtime protocol check, several per
request), which costs as much CPU as the rest of the request's preparation.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from http.cookiejar import CookieJar
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.cookies import RequestsCookieJar, cookiejar_from_dict, merge_cookies
from requests.models import PreparedRequest
from requests.sessions import merge_hooks
from requests.structures import CaseInsensitiveDict
from requests.utils import get_environ_proxies, get_netrc_auth

from newsarc.httpguard import AlarmClock, GuardedAdapter

__all__ = ["NewsarcSession", "make_session", "user_agent"]


@functools.cache
def user_agent() -> str:
    """The User-Agent newsarc sends: ``newsarc/<version> (+https://github.com/newsarc/newsarc)``,
    with the contact in the environment variable ``NEWSARC_CONTACT`` (an e-mail address or a
    URL, for site operators who want to reach whoever runs the crawl) added after a ``;``.
    robots.txt groups match it by its product token, ``newsarc``."""
    try:
        version = importlib.metadata.version("newsarc")
    except importlib.metadata.PackageNotFoundError:
        version = "0+unknown"
    about = "+https://github.com/newsarc/newsarc"
    contact = " ".join(os.environ.get("NEWSARC_CONTACT", "").split())  # no header injection
    contact = "".join(c for c in contact if c.isprintable() and c not in "()")[:200]
    return f"newsarc/{version} ({about}; {contact})" if contact else f"newsarc/{version} ({about})"


class NewsarcSession(requests.Session):
    """A ``requests.Session`` that reads the proxy and CA-bundle environment once per origin,
    and whose fetches share one thread for their deadlines (``alarms``)."""

    def __init__(self) -> None:
        super().__init__()
        self.alarms = AlarmClock()
        self._environ: dict[tuple[str, str], tuple[dict[str, str], str | None]] = {}
        self._netrc: dict[str, tuple[str, str] | None] = {}
        self._environ_lock = threading.Lock()

    def abandon(self) -> None:
        """Give up every fetch of this session, on the wire now or started from now on: each
        ends at once as if its deadline had passed (its sockets shut, ``FetchError``), so no
        slow or silent server keeps its caller waiting (a batch run that stops)."""
        self.alarms.ring_all()

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        """requests' reading of a redirect's Location, or None when it is no UTF-8.

        newsarc follows redirects itself (``fetch``, which reads such a Location as Latin-1),
        but ``Session.send`` still works out the next request of every redirect, and failed
        there with a UnicodeDecodeError before newsarc saw the response.
        """
        try:
            return super().get_redirect_target(resp)
        except UnicodeDecodeError:
            return None

    def prepare_request(self, request: requests.Request) -> PreparedRequest:
        """requests' own preparation (``Session.prepare_request``), with ~/.netrc read once
        per host and the settings merged without its generic mapping conversion."""
        url = request.url
        cookies = request.cookies or {}
        if not isinstance(cookies, CookieJar):
            cookies = cookiejar_from_dict(cookies)
        merged_cookies = merge_cookies(merge_cookies(RequestsCookieJar(), self.cookies), cookies)
        auth = request.auth
        if self.trust_env and not auth and not self.auth:
            auth = self._netrc_auth(url)
        prepared = PreparedRequest()
        prepared.prepare(
            method=request.method.upper(),
            url=url,
            files=request.files,
            data=request.data,
            json=request.json,
            headers=_merge(request.headers, self.headers, CaseInsensitiveDict),
            params=_merge(request.params, self.params),
            auth=_merge(auth, self.auth),
            cookies=merged_cookies,
            hooks=merge_hooks(request.hooks, self.hooks),
        )
        return prepared

    def _netrc_auth(self, url: Any) -> tuple[str, str] | None:
        """The ~/.netrc login for ``url``'s host (as requests finds it), asked once per host."""
        text = url.decode("utf-8") if isinstance(url, bytes) else str(url)
        host = (urlsplit(text).hostname or "").lower()
        with self._environ_lock:
            if host in self._netrc:
                return self._netrc[host]
        found = get_netrc_auth(text)
        with self._environ_lock:
            self._netrc[host] = found
        return found

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
            "proxies": _merge(proxies, self.proxies),
            "stream": _merge(stream, self.stream),
            "verify": _merge(verify, self.verify),
            "cert": _merge(cert, self.cert),
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


def _merge(request_setting: Any, session_setting: Any, dict_class: type = OrderedDict) -> Any:
    """``requests.sessions.merge_setting``: the request's setting over the session's, both
    mappings merged (keys set to None dropped), with the mappings' items read directly."""
    if session_setting is None:
        return request_setting
    if request_setting is None:
        return session_setting
    if not (isinstance(session_setting, Mapping) and isinstance(request_setting, Mapping)):
        return request_setting
    merged = dict_class(session_setting.items())
    merged.update(request_setting.items())
    for key in [key for key, value in merged.items() if value is None]:
        del merged[key]
    return merged


def make_session() -> NewsarcSession:
    """A session with newsarc's User-Agent and deadline-guarded connections."""
    session = NewsarcSession()
    session.headers["User-Agent"] = user_agent()
    session.mount("http://", GuardedAdapter())
    session.mount("https://", GuardedAdapter())
    return session
