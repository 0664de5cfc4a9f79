"""Who may do what, and the headers every response carries.

Writes always need the token (``Authorization: Bearer <token>``, a ``token`` form field, or the
session cookie set by /login); reads need it only when the app is private. The cookie holds an HMAC
of the token, never the token, and is SameSite=Strict; a cookie-authorised write must also come
from this origin, so another site cannot post through a logged-in browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "newsdossier_session"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; connect-src 'self'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Auth:
    def __init__(self, token: str, private: bool) -> None:
        self.token = token
        self.private = private
        self.session = hmac.new(token.encode(), b"newsdossier-session", hashlib.sha256).hexdigest()

    def _bearer(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), self.token.encode())

    def _cookie(self, request: Request) -> bool:
        value = request.cookies.get(COOKIE, "")
        return bool(value) and hmac.compare_digest(value.encode(), self.session.encode())

    def token_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.strip().encode(), self.token.encode())

    def can_read(self, request: Request) -> bool:
        return not self.private or self._bearer(request) or self._cookie(request)

    def can_write(self, request: Request, form_token: str | None = None) -> bool:
        if self._bearer(request) or self.token_matches(form_token):
            return True
        return self._cookie(request) and same_origin(request)


def same_origin(request: Request) -> bool:
    """True unless the browser says the request came from another site."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


class SecurityHeaders:
    """Adds :data:`HEADERS` to every response (pure ASGI: the request body is left to the app)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in self.raw if h[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, counting what arrives (a missing or false
    Content-Length cannot get around it)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        api = scope.get("path", "").startswith("/api/")
        # API clients get an early 413; pages read up to the limit so they can answer with the form.
        if api and declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge
            return message

        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked_send)
        except BodyTooLarge:
            if not started:
                await self._too_large(scope, receive, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = {"detail": f"request body is over the upload limit of {self.max_bytes} bytes"}
        response = JSONResponse(body, status_code=413, headers=HEADERS)
        await response(scope, receive, send)


class BodyTooLarge(Exception):
    """Raised while reading a request body that went over the limit (the app answers 413)."""
