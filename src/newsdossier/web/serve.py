"""``newsdossier serve``: run the web app with uvicorn. The CLI command is a thin wrapper over :func:`serve`."""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from typing import Any, TextIO

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    private: bool = False,
    out: TextIO | None = None,
    run: Callable[..., Any] | None = None,
) -> int:
    """Serve the store at ``db`` until interrupted; returns an exit code (2 for a usage error).

    The write token is printed once, to stderr, when it was generated here.
    """
    err = out or sys.stderr
    if db == ":memory:":
        print("error: serve needs a store file (--db PATH), not :memory:", file=err)
        return 2
    if not 0 < port < 65536:
        print(f"error: --port {port} is not a TCP port", file=err)
        return 2
    from ..store import StoreError
    from .app import create_app

    try:
        app = create_app(db, token=token, private=private)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if not is_loopback(host):
        print(
            f"warning: binding {host} makes the app reachable from other machines; reads are "
            f"{'token-protected (--private)' if private else 'open to anyone who can connect (add --private)'}",
            file=err,
        )
    shown = f"[{host}]" if ":" in host else host
    print(f"newsdossier: serving {db} at http://{shown}:{port}/ (Ctrl+C stops)", file=err)
    if token is None:
        print(f"newsdossier: write token (shown once): {app.state.token}", file=err)
    if run is None:
        import uvicorn

        run = uvicorn.run
    run(app, host=host, port=port, log_level="warning", server_header=False)
    return 0
