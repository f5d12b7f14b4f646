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
