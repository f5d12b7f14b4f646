"""newsarc's requests session: the proxy and CA environment, read once per origin, with the
same outcome as requests' own reading of it."""

from __future__ import annotations

import pytest
import requests
from pytest_httpserver import HTTPServer

import newsarc.httpsession
from newsarc.fetch import fetch
from newsarc.httpsession import NewsarcSession, make_session, user_agent

PROXY = "http://proxy.invalid:3128"


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", PROXY)
    monkeypatch.setenv("HTTPS_PROXY", PROXY)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost,.internal.invalid")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/bundle-for-tests.pem")


def settings(session: requests.Session, url: str) -> dict:
    return dict(session.merge_environment_settings(url, {}, None, None, None))


@pytest.mark.parametrize(
    "url",
    [
        "http://news.invalid/world/story",
        "https://news.invalid/world/story",
        "http://127.0.0.1:8000/story",
        "https://wire.internal.invalid/story",
        "http://LOCALHOST/story",
    ],
)
def test_same_settings_as_requests(proxy_env: None, url: str) -> None:
    ours, theirs = settings(make_session(), url), settings(requests.Session(), url)
    assert ours == theirs
    assert ours["verify"] == "/etc/ssl/certs/bundle-for-tests.pem"


def test_proxy_for_other_hosts_none_for_no_proxy_hosts(proxy_env: None) -> None:
    session = make_session()
    assert settings(session, "http://news.invalid/a")["proxies"]["http"] == PROXY
    assert "http" not in settings(session, "http://127.0.0.1:8000/a")["proxies"]


def test_environment_read_once_per_origin(proxy_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = newsarc.httpsession.get_environ_proxies

    def counting(url: str, no_proxy: str | None = None) -> dict[str, str]:
        asked.append(url)
        return real(url, no_proxy=no_proxy)

    monkeypatch.setattr(newsarc.httpsession, "get_environ_proxies", counting)
    session = make_session()
    for n in range(5):
        settings(session, f"http://news.invalid/story/{n}")
    settings(session, "https://news.invalid/story/1")
    settings(session, "http://other.invalid/story/1")
    assert len(asked) == 3  # one per scheme and host
    # A per-call no_proxy is honoured for that call and not remembered.
    call = session.merge_environment_settings(
        "http://news.invalid/x", {"no_proxy": "news.invalid"}, None, None, None
    )
    assert "http" not in call["proxies"]
    assert settings(session, "http://news.invalid/y")["proxies"]["http"] == PROXY


def test_caller_proxies_and_verify_win(proxy_env: None) -> None:
    session = make_session()
    mine = {"http": "http://mine.invalid:8080"}
    result = session.merge_environment_settings("http://news.invalid/a", mine, None, False, None)
    assert result["proxies"]["http"] == "http://mine.invalid:8080"
    assert result["verify"] is False


def test_trust_env_off_ignores_the_environment(proxy_env: None) -> None:
    session = make_session()
    session.trust_env = False
    result = settings(session, "http://news.invalid/a")
    assert "http" not in result["proxies"]
    assert result["verify"] is True


def test_fetch_goes_through_the_environment_proxy(
    proxy_env: None, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    # The test server plays the proxy: the request for a host that does not exist reaches it.
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("NO_PROXY", "")
    httpserver.expect_request("/proxied/story").respond_with_data(
        "<html><body><p>via the proxy</p></body></html>", content_type="text/html"
    )
    page = fetch("http://news.invalid/proxied/story", session=make_session())
    assert b"via the proxy" in page.content


def test_no_proxy_host_is_fetched_directly(
    proxy_env: None, monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    httpserver.expect_request("/direct").respond_with_data(
        "<p>direct</p>", content_type="text/html"
    )
    session = make_session()
    for _ in range(2):  # the second answer comes from the remembered environment
        assert fetch(httpserver.url_for("/direct"), session=session).content == b"<p>direct</p>"


def test_make_session_is_a_newsarc_session() -> None:
    session = make_session()
    assert isinstance(session, NewsarcSession)
    assert session.headers["User-Agent"] == user_agent()


def prepared_as_requests_does(session: requests.Session, request: requests.Request) -> dict:
    """What matters of a prepared request: method, URL, headers, body and hooks."""
    prepared = session.prepare_request(request)
    return {
        "method": prepared.method,
        "url": prepared.url,
        "headers": dict(prepared.headers),
        "body": prepared.body,
        "hooks": prepared.hooks,
    }


def log_hook(response: requests.Response, *args: object, **kwargs: object) -> None:
    """A response hook for the preparation tests (never called)."""


@pytest.mark.parametrize(
    "request_args",
    [
        {"headers": {"Accept": "text/html", "Accept-Encoding": "gzip"}},
        {"headers": {"User-Agent": None, "X-Trace": "1"}},  # None drops the session's
        {"params": {"page": "2", "q": "border talks"}},
        {"params": [("a", "1"), ("a", "2")]},
        {"auth": ("reporter", "secret")},
        {"cookies": {"consent": "yes"}},
        {"data": {"field": "value"}},
        {"json": {"key": ["value"]}},
        {"hooks": {"response": [log_hook]}},
    ],
    ids=[
        "headers",
        "none-header",
        "params",
        "params-list",
        "auth",
        "cookies",
        "data",
        "json",
        "hooks",
    ],
)
def test_requests_are_prepared_as_requests_prepares_them(
    request_args: dict, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))  # type: ignore[operator]
    sessions = [make_session(), requests.Session()]
    for session in sessions:
        session.headers["User-Agent"] = user_agent()
        session.headers["X-Session"] = "kept"
        session.params = {"lang": "en"}
        session.cookies.set("session-cookie", "from-an-earlier-response", domain="news.invalid")
    method = "POST" if {"data", "json"} & request_args.keys() else "get"
    ours, theirs = (
        prepared_as_requests_does(
            session, requests.Request(method, "http://news.invalid/world/ström?x=1", **request_args)
        )
        for session in sessions
    )
    assert ours == theirs


def test_netrc_login_is_used_and_read_once_per_host(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"  # type: ignore[operator]
    netrc.write_text("machine paywall.invalid login reader password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    asked: list[str] = []
    real = newsarc.httpsession.get_netrc_auth

    def counting(url: str, raise_errors: bool = False) -> tuple[str, str] | None:
        asked.append(url)
        return real(url, raise_errors)

    monkeypatch.setattr(newsarc.httpsession, "get_netrc_auth", counting)
    session = make_session()
    for n in range(3):
        for host in ("paywall.invalid", "free.invalid"):
            ours = session.prepare_request(requests.Request("GET", f"http://{host}/story/{n}"))
            theirs = requests.Session().prepare_request(
                requests.Request("GET", f"http://{host}/story/{n}")
            )
            assert ours.headers.get("Authorization") == theirs.headers.get("Authorization")
    assert (
        session.prepare_request(requests.Request("GET", "http://paywall.invalid/x"))
        .headers["Authorization"]
        .startswith("Basic ")
    )
    assert len(asked) == 2  # one per host
    session.trust_env = False  # as in requests: no netrc without the environment
    bare = session.prepare_request(requests.Request("GET", "http://paywall.invalid/y"))
    assert "Authorization" not in bare.headers
