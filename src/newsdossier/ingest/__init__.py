"""Ingest: turn files, folders, archives and stdin into :class:`~newsdossier.model.Article` objects.

One module per input kind; every reader yields ``Article`` or ``Rejected`` and never raises for
bad input, so one broken file never stops a run.

Input names: the path as given for files; ``folder/sub/a.txt`` for files found in folders;
``data.jsonl#3`` / ``data.csv#3`` / ``data.json#2`` for records; ``bundle.zip!dir/a.txt`` for archive
members; ``crawl.warc.gz#<uri>`` for WARC records; ``-`` for stdin.
"""

from __future__ import annotations

import os
import posixpath
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from ..model import Article, Rejected
from .base import Context, IngestStats, Items, too_big_reason
from .dispatch import read_blob
from .html import HtmlExtract, extract_html

DEFAULT_MAX_BYTES = 20_000_000

__all__ = ["DEFAULT_MAX_BYTES", "HtmlExtract", "IngestStats", "extract_html", "read_inputs"]


def _os_reason(err: OSError, doing: str) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or folder"
    if isinstance(err, PermissionError):
        return f"permission denied (cannot {doing})"
    return f"cannot {doing}: {err.strerror or err}"


def _read_file(name: str, path: str, ctx: Context) -> Items:
    try:
        info = os.stat(path)
    except OSError as err:
        yield Rejected(name, _os_reason(err, "read the file"))
        return
    if not stat.S_ISREG(info.st_mode):
        yield Rejected(name, "not a regular file (device, pipe or socket)")
        return
    if info.st_size > ctx.max_bytes:
        yield Rejected(name, too_big_reason(info.st_size, ctx.max_bytes))
        return
    try:
        with open(path, "rb") as handle:
            data = handle.read(ctx.max_bytes + 1)  # the file may have grown since stat()
    except OSError as err:
        yield Rejected(name, _os_reason(err, "read the file"))
        return
    if len(data) > ctx.max_bytes:
        yield Rejected(name, too_big_reason(len(data), ctx.max_bytes) + " (or more)")
        return
    yield from read_blob(name, data, ctx)


def _walk(name: str, path: str, ctx: Context, seen: set[str]) -> Iterator[Article | Rejected]:
    """Files under a folder, recursively, in sorted order; hidden files and folders are skipped."""
    real = os.path.realpath(path)
    if real in seen:  # a symlink loop, or the same folder linked twice
        return
    seen.add(real)
    try:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as err:
        yield Rejected(name, _os_reason(err, "list the folder"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = entry.name if name == "." else posixpath.join(name, entry.name)
        yield from _read_path(child, entry.path, ctx, seen)


def _read_path(name: str, path: str, ctx: Context, seen: set[str]) -> Items:
    if os.path.islink(path) and not os.path.exists(path):
        yield Rejected(name, f"broken symbolic link (its target {os.readlink(path)} does not exist)")
        return
    if os.path.isdir(path):
        yield from _walk(name, path, ctx, seen)
    else:
        yield from _read_file(name, path, ctx)


def _read_stdin(stdin: BinaryIO | None, ctx: Context) -> Items:
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = stream.read(ctx.max_bytes + 1)
    except OSError as err:
        yield Rejected("-", f"cannot read standard input: {err}")
        return
    if len(data) > ctx.max_bytes:
        yield Rejected("-", f"standard input is over --max-bytes {ctx.max_bytes}")
        return
    yield from read_blob("-", data, ctx)


def read_inputs(
    paths: Sequence[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    stats: IngestStats | None = None,
) -> Iterator[Article | Rejected]:
    """Read every input in ``paths`` (files, folders, archives, ``-`` for stdin) in a stable order.

    Never raises for bad input: each problem is yielded as ``Rejected(input, reason)`` and reading
    goes on. Pass ``stats`` to learn what was skipped without being an error (e.g. non-HTML WARC records).
    """
    ctx = Context(max_bytes=max_bytes, stats=stats if stats is not None else IngestStats())
    for given in paths:
        if given == "-":
            items = _read_stdin(stdin, ctx)
        else:
            # Folder members are named "<folder as given>/<relative path>"; a file keeps its name as given.
            base = posixpath.normpath(given) if os.path.isdir(given) else given
            items = _read_path(base, given, ctx, set())
        count = 0
        for count, item in enumerate(items, start=1):
            if isinstance(item, Rejected):
                ctx.stats.rejected += 1
            else:
                ctx.stats.articles += 1
            yield item
        if count == 0 and given != "-":
            ctx.stats.rejected += 1
            yield Rejected(
                given, "no articles found here (an empty folder, only hidden files, or no article records)"
            )
