"""What the third-party client tests share (stdlib only, so it imports into
every client's own venv): the servers scripts/client-tests started, the demo
accounts, a recording relay that sees each client's requests on the wire,
and the mode-A sign-in (OAuth authorization code + PKCE, the browser's part
done with plain HTTP) that yields an access token a client sends as a
bearer."""

from __future__ import annotations

import base64
import hashlib
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MCP_URL = os.environ.get("MALGOMO_MCP_URL", "http://127.0.0.1:8080/mcp")
OAUTH_URL = os.environ.get("MALGOMO_OAUTH_URL")
SIM_URL = os.environ.get("MALGOMO_SIM_URL", "http://127.0.0.1:54321")
OWNER = ("owner@agency-a.test", "owner-a-pass")
MEMBER = ("member@agency-a.test", "member-a-pass")
REDIRECT = "http://127.0.0.1:9/callback"
SESSION_ERA = "2025-11-25"
STATELESS_ERA = "2026-07-28"
# Hop-by-hop headers a relay must not copy.
_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"}


@dataclass
class Exchange:
    """One request a client sent, as the server saw it."""

    verb: str
    rpc: str | None
    version_header: str | None
    session_id: str | None
    status: int
    body: dict | None


@dataclass
class Wire:
    """A loopback relay in front of `target` (an http://host:port base):
    forwards every request as it is, streams the answer back (held SSE GETs
    included), and records each exchange before the client sees its answer
    — so a test reads the wire after a call returns, with no waiting."""

    target: str
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlsplit(self.target)
        wire = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                try:
                    parsed_body = json.loads(body) if body else None
                except ValueError:
                    parsed_body = None
                rpc = parsed_body.get("method") if isinstance(parsed_body, dict) else None
                if urllib.parse.urlsplit(self.path).path == "/mcp":
                    wire.exchanges.append(Exchange(
                        self.command, rpc, self.headers.get("mcp-protocol-version"),
                        self.headers.get("mcp-session-id"), answer.status,
                        parsed_body if isinstance(parsed_body, dict) else None,
                    ))
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                if answer.status in (204, 304):  # no body allowed
                    self.end_headers()
                    upstream.close()
                    return
                self.send_header("transfer-encoding", "chunked")
                self.end_headers()
                try:
                    while chunk := answer.read1(65536):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass  # the client left (a held stream it closed)
                finally:
                    upstream.close()

            do_GET = do_POST = do_DELETE = do_OPTIONS = _relay

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        """The relay's /mcp URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/mcp"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rpc_methods(self) -> list[str]:
        return [e.rpc for e in self.exchanges if e.verb == "POST" and e.rpc]

    def eras(self) -> set[str]:
        """The protocol versions the client's requests named: initialize's
        body and every MCP-Protocol-Version header."""
        seen = {e.version_header for e in self.exchanges if e.version_header}
        for e in self.exchanges:
            if e.rpc == "initialize" and e.body:
                seen.add(e.body.get("params", {}).get("protocolVersion"))
        return seen

    def assert_session_era(self) -> None:
        """Landed in a 2025 session: initialize was sent and every data call
        carried its session id (a discover probe before it is allowed)."""
        methods = self.rpc_methods()
        assert "initialize" in methods, methods
        assert STATELESS_ERA not in {e.version_header for e in self.exchanges
                                     if e.rpc not in (None, "server/discover")}, self.exchanges
        calls = [e for e in self.exchanges if e.rpc == "tools/call"]
        assert calls and all(e.session_id for e in calls), calls

    def assert_stateless_era(self) -> None:
        """Spoke 2026-07-28: no initialize, no session, the header on every call."""
        methods = self.rpc_methods()
        assert "initialize" not in methods, methods
        calls = [e for e in self.exchanges if e.rpc == "tools/call"]
        assert calls and all(e.version_header == STATELESS_ERA for e in calls), calls
        assert all(e.session_id is None for e in calls), calls


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _json(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> dict:
    with opener.open(request, timeout=30) as response:
        return json.loads(response.read())


def sim_bearer(account: tuple[str, str] = OWNER) -> str:
    """Mode B's bearer: the simulator's Supabase password grant."""
    body = json.dumps({"email": account[0], "password": account[1]}).encode()
    request = urllib.request.Request(
        f"{SIM_URL}/auth/v1/token?grant_type=password", data=body,
        headers={"apikey": "demo-anon-key", "content-type": "application/json"})
    return _json(urllib.request.build_opener(), request)["access_token"]


def oauth_access_token(base: str, account: tuple[str, str] = OWNER) -> str:
    """Mode A's sign-in as a client and its user do it: dynamic client
    registration, the authorization request with PKCE (S256), the sign-in
    page's form (CSRF token and cookie), the code off the 303, the token."""
    meta = _json(urllib.request.build_opener(),
                 urllib.request.Request(f"{base}/.well-known/oauth-authorization-server"))
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )
    registration = json.dumps({
        "client_name": "malgomo third-party client test",
        "redirect_uris": [REDIRECT],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }).encode()
    client = _json(opener, urllib.request.Request(
        meta["registration_endpoint"], data=registration,
        headers={"content-type": "application/json"}))
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
        "code_challenge": challenge, "code_challenge_method": "S256", "state": "s",
        "resource": f"{base}/mcp",
    })
    with opener.open(f"{meta['authorization_endpoint']}?{query}", timeout=30) as page:
        html = page.read().decode()
    form = lambda name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # noqa: E731
    login = urllib.parse.urlencode({
        "request_id": form("request_id"), "csrf_token": form("csrf_token"),
        "email": account[0], "password": account[1],
    }).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/oauth/login", data=login), timeout=30)
        raise AssertionError("the sign-in did not redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303, redirect.read()[:300]
        location = redirect.headers["location"]
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
    token = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
        "client_id": client["client_id"], "code_verifier": verifier, "resource": f"{base}/mcp",
    }).encode()
    tokens = _json(opener, urllib.request.Request(meta["token_endpoint"], data=token))
    return tokens["access_token"]
