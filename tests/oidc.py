"""A real OpenID Connect provider on loopback for the single sign-on tests, and ways to talk to it.

`tests/oidc_provider/server.mjs` runs the oidc-provider package (installed by `make test` with
`npm ci` in that folder). The tests reach it the way the app does in production: discovery,
authorization with its own sign-in page, the token endpoint, JWKS and userinfo over HTTP.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
PROVIDER_NAME = "Test District ID"
PROVIDER_ID = "sso"
APP_CLIENT = "mtss-app"
OTHER_CLIENT = "another-app"
SHORT_LIVED_CLIENT = "short-lived-app"
CLIENT_SECRET = "loopback-test-secret"
ACCOUNT_PASSWORD = "provider-password"
TEST_SERVER_CALLBACK = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"
# Where the tests' own token requests send the person back; never fetched.
UNUSED_CALLBACK = "http://127.0.0.1:9/callback"
START_TIMEOUT_S = 20

# The people the provider knows: verified addresses, and one it never verified.
TEACHER = "teacher.lee@district-a.example.org"
UNVERIFIED = "unverified.person@district-a.example.org"
STRANGER = "stranger@elsewhere.example.org"
OUTSIDE_DOMAIN = "member.private@gmail.example.com"
INVITEE = "new.invitee@district-a.example.org"
MIXED_CASE = "Mixed.Case@District-A.example.org"
ACCOUNTS = [
    {"email": TEACHER, "email_verified": True, "name": "Terry Lee"},
    {"email": UNVERIFIED, "email_verified": False, "name": "Una Verified"},
    {"email": STRANGER, "email_verified": True, "name": "Sam Stranger"},
    {"email": OUTSIDE_DOMAIN, "email_verified": True, "name": "Pat Private"},
    {"email": INVITEE, "email_verified": True, "name": "Ivy Invitee"},
    {"email": MIXED_CASE, "email_verified": True, "name": "Max Case"},
]


@dataclass
class LoopbackProvider:
    issuer: str
    process: subprocess.Popen
    redirect_uris: list[str] = field(default_factory=list)

    def app_settings(self, client_id: str = APP_CLIENT) -> dict[str, Any]:
        """SOCIALACCOUNT_PROVIDERS as mtss/settings.py builds it from the OIDC_* variables."""
        return {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": PROVIDER_NAME,
                        "client_id": client_id,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": self.issuer},
                    }
                ],
                "OAUTH_PKCE_ENABLED": True,
            }
        }

    def sign_in_at_provider(self, authorize_url: str, email: str) -> str:
        """Follow the authorization request, fill the provider's sign-in form, and return the URL the
        provider sends the browser back to (not fetched)."""
        browser = requests.Session()
        page = browser.get(authorize_url, timeout=10)
        page.raise_for_status()
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action, f"no sign-in form at {page.url}: {page.text[:300]}"
        answer = browser.post(
            urljoin(page.url, action.group(1)),
            data={"email": email, "password": ACCOUNT_PASSWORD},
            allow_redirects=False,
            timeout=10,
        )
        while answer.is_redirect:
            location = urljoin(answer.url, answer.headers["Location"])
            if not location.startswith(self.issuer):
                return location
            answer = browser.get(location, allow_redirects=False, timeout=10)
        raise AssertionError(
            f"the provider did not send the browser back: {answer.status_code} {answer.text[:300]}"
        )

    def discovery(self) -> dict[str, Any]:
        return requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=10).json()

    def issue_id_token(self, email: str, client_id: str = APP_CLIENT) -> str:
        """An ID token the provider issues to `client_id` for `email`, through its real code flow."""
        config = self.discovery()
        query = {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": UNUSED_CALLBACK,
            "state": "state-of-the-test",
            "nonce": "nonce-of-the-test",
        }
        authorize = requests.Request("GET", config["authorization_endpoint"], params=query).prepare().url
        assert authorize is not None
        returned = self.sign_in_at_provider(authorize, email)
        code = parse_qs(urlsplit(returned).query)["code"][0]
        token = requests.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": UNUSED_CALLBACK,
                "client_id": client_id,
                "client_secret": CLIENT_SECRET,
            },
            timeout=10,
        )
        token.raise_for_status()
        return token.json()["id_token"]


def _start(redirect_uris: list[str]) -> LoopbackProvider:
    node = shutil.which("node")
    if node is None:
        pytest.skip(
            "node is not installed: the single sign-on tests run a real OpenID Connect provider on it"
        )
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The test provider is not installed: run `make oidc-provider` (npm ci in tests/oidc_provider)."
        )
    clients = [
        {
            "client_id": APP_CLIENT,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [*redirect_uris, UNUSED_CALLBACK],
        },
        {"client_id": OTHER_CLIENT, "client_secret": CLIENT_SECRET, "redirect_uris": [UNUSED_CALLBACK]},
        {
            "client_id": SHORT_LIVED_CLIENT,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [UNUSED_CALLBACK],
            "id_token_ttl": 1,
        },
    ]
    accounts = [{**account, "password": ACCOUNT_PASSWORD} for account in ACCOUNTS]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "NODE_ENV": "test",
        "OIDC_TEST_CLIENTS": json.dumps(clients),
        "OIDC_TEST_ACCOUNTS": json.dumps(accounts),
    }
    process = subprocess.Popen(
        [node, "server.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT_S)
    line = process.stdout.readline() if ready else ""
    if not line.startswith("listening "):
        process.kill()
        _out, err = process.communicate(timeout=5)
        raise AssertionError(f"the test OpenID Connect provider did not start: {line!r} {err[-2000:]}")
    return LoopbackProvider(issuer=line.split()[1], process=process, redirect_uris=redirect_uris)


def _stop(provider: LoopbackProvider) -> None:
    provider.process.terminate()
    try:
        provider.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait(timeout=5)


def running_provider(redirect_uris: list[str]) -> Iterator[LoopbackProvider]:
    provider = _start(redirect_uris)
    try:
        yield provider
    finally:
        _stop(provider)
