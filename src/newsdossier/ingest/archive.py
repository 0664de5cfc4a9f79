"""Archives (.zip, .tar, .tar.gz/.tgz/.tar.bz2/.tar.xz) and single gzip files, read in memory only.

Nothing is ever extracted to disk. Members whose path is absolute or climbs out with ``..`` are
rejected; hidden members and links are skipped. Against archive bombs: each member is read to at most
--max-bytes, the whole archive (nested archives included) may expand to at most ARCHIVE_TOTAL_FACTOR
times --max-bytes and hold at most MAX_ARCHIVE_MEMBERS members, and nesting stops at MAX_ARCHIVE_DEPTH.
"""

from __future__ import annotations

import gzip
import io
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace

from ..model import Rejected
from .base import (
    ARCHIVE_TOTAL_FACTOR,
    MAX_ARCHIVE_DEPTH,
    MAX_ARCHIVE_MEMBERS,
    ArchiveBudget,
    Context,
    Items,
    too_big_reason,
)

# read_blob(name, data, ctx, kind_name) from the dispatcher; passed in to avoid an import cycle.
ReadBlob = Callable[[str, bytes, Context, "str | None"], Items]

_DRIVE = re.compile(r"^[A-Za-z]:")
_DAMAGED = (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error, OSError, ValueError)


def member_path_problem(path: str) -> str | None:
    """Why a member path is unsafe (absolute, or climbing out with ``..``), or None when it is fine."""
    parts = path.replace("\\", "/")
    if parts.startswith("/") or _DRIVE.match(parts) or ".." in parts.split("/"):
        return f"archive member path escapes the archive: {path}"
    return None


def _hidden(path: str) -> bool:
    return any(
        part.startswith(".") or part == "__MACOSX" for part in path.replace("\\", "/").split("/") if part
    )


def _child_context(name: str, ctx: Context) -> Context | Rejected:
    if ctx.depth >= MAX_ARCHIVE_DEPTH:
        return Rejected(name, f"archive nested more than {MAX_ARCHIVE_DEPTH} levels deep; not opened")
    budget = ctx.budget or ArchiveBudget(bytes_left=ARCHIVE_TOTAL_FACTOR * ctx.max_bytes)
    return replace(ctx, depth=ctx.depth + 1, budget=budget)


def _bomb_reason(ctx: Context) -> str:
    return (
        f"archive expands to over {ARCHIVE_TOTAL_FACTOR} x --max-bytes"
        f" ({ARCHIVE_TOTAL_FACTOR * ctx.max_bytes} bytes)"
        f" or over {MAX_ARCHIVE_MEMBERS} members; stopped reading it (archive bomb?)"
    )


def _spend(budget: ArchiveBudget, size: int) -> bool:
    """Charge one member of ``size`` bytes to the budget; False once it is exhausted."""
    budget.members_left -= 1
    budget.bytes_left -= max(size, 0)
    return budget.members_left >= 0 and budget.bytes_left >= 0


def _admit(
    member: str, path: str, declared_size: int, child: Context, *, skipping_costs: bool
) -> tuple[Rejected | None, str]:
    """Decide on one member before reading it: (a rejection or None, then "read", "skip" or "stop").

    ``skipping_costs``: passing over an unread member still decompresses it (tar streams), so an
    oversized member is charged in full and can exhaust the budget on its own.
    """
    problem = member_path_problem(path)
    if problem:
        return Rejected(member, problem), "skip"
    if _hidden(path):
        child.stats.skipped["hidden archive member"] += 1
        return None, "skip"
    assert child.budget is not None
    too_big = declared_size > child.max_bytes
    within_budget = _spend(child.budget, declared_size if (skipping_costs or not too_big) else 0)
    if too_big:
        rejected = Rejected(member, too_big_reason(declared_size, child.max_bytes, "archive member"))
        return rejected, "skip" if within_budget else "stop"
    return None, "read" if within_budget else "stop"


# One archive member to read: its path inside the archive, its declared size, and how to read its
# body (bytes, or a rejection naming the member).
Entry = tuple[str, int, Callable[[str], "bytes | Rejected"]]


def _read_members(
    name: str, ctx: Context, child: Context, entries: Iterator[Entry], read_blob: ReadBlob, *, skipping_costs: bool
) -> Items:
    """Admit, read and dispatch each member of archive ``name``; stop the archive once its budget is spent."""
    for path, size, read_body in entries:
        member = f"{name}!{path}"
        rejected, action = _admit(member, path, size, child, skipping_costs=skipping_costs)
        if rejected is not None:
            yield rejected
        if action == "stop":
            yield Rejected(name, _bomb_reason(ctx))
            return
        if action == "skip":
            continue
        body = read_body(member)
        if isinstance(body, Rejected):
            yield body
            continue
        yield from read_blob(member, body, child, None)


def read_zip(name: str, data: bytes, ctx: Context, read_blob: ReadBlob) -> Items:
    child = _child_context(name, ctx)
    if isinstance(child, Rejected):
        yield child
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _DAMAGED as err:
        yield Rejected(name, f"not a valid zip archive: {err}")
        return

    def reader(info: zipfile.ZipInfo) -> Callable[[str], bytes | Rejected]:
        def read(member: str) -> bytes | Rejected:
            try:
                with archive.open(info) as handle:
                    body = handle.read(ctx.max_bytes + 1)  # bounded even when the header lies about the size
            except RuntimeError as err:  # zipfile's way of saying "encrypted"
                return Rejected(member, f"archive member cannot be read: {err}")
            except (NotImplementedError, *_DAMAGED) as err:
                return Rejected(member, f"corrupt archive member: {err}")
            if len(body) > ctx.max_bytes:
                return Rejected(member, too_big_reason(len(body), ctx.max_bytes, "archive member") + " (or more)")
            return body

        return read

    def entries() -> Iterator[Entry]:
        for info in infos:
            if info.is_dir():
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                ctx.stats.skipped["archive member: symbolic link"] += 1
                continue
            yield info.filename, info.file_size, reader(info)

    yield from _read_members(name, ctx, child, entries(), read_blob, skipping_costs=False)


def read_tar(name: str, data: bytes, ctx: Context, read_blob: ReadBlob) -> Items:
    child = _child_context(name, ctx)
    if isinstance(child, Rejected):
        yield child
        return
    read = 0

    def entries(archive: tarfile.TarFile) -> Iterator[Entry]:
        # headers are read lazily, so a damaged tail still yields the members before it
        for info in archive:
            if info.isdir():
                continue
            if not info.isreg():
                ctx.stats.skipped["archive member: link or special file"] += 1
                continue
            yield info.name, info.size, lambda _member, info=info: body_of(archive, info)

    def body_of(archive: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
        nonlocal read
        with archive.extractfile(info) as handle:  # a regular member always has a file object
            body = handle.read(ctx.max_bytes + 1)
        read += 1
        return body

    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            yield from _read_members(name, ctx, child, entries(archive), read_blob, skipping_costs=True)
    except _DAMAGED as err:
        where = "not a valid tar archive" if read == 0 else f"corrupt tar archive after {read} members"
        yield Rejected(name, f"{where}: {err}")


def read_gzip(name: str, data: bytes, ctx: Context, read_blob: ReadBlob) -> Items:
    """A single gzip-compressed file (page.html.gz): decompress (bounded) and read by its inner name."""
    child = _child_context(name, ctx)
    if isinstance(child, Rejected):
        yield child
        return
    try:
        body = gzip.GzipFile(fileobj=io.BytesIO(data)).read(ctx.max_bytes + 1)
    except _DAMAGED as err:
        yield Rejected(name, f"not a valid gzip file: {err}")
        return
    if len(body) > ctx.max_bytes:
        yield Rejected(name, too_big_reason(len(body), ctx.max_bytes, "decompressed file") + " (or more)")
        return
    yield from read_blob(name, body, child, name[: -len(".gz")] if name.lower().endswith(".gz") else None)
