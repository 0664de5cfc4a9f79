"""Bad input (issue 2, scope 8): each case is rejected with a reason naming the problem, or handled,
and the run goes on with the rest. Fixtures are generated here."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from newsdossier.ingest import IngestStats, read_inputs
from newsdossier.ingest.base import BINARY_REASON
from newsdossier.model import Article, Rejected

GOOD = "The ferry to Lunde resumed service on Tuesday after a week of storms, the operator said."
LATIN = "Le café de la gare à Brévannes a rouvert mardi, a déclaré le maire. Les habitués étaient ravis."


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_one(path: Path, **kw: object) -> Article | Rejected:
    [item] = list(read_inputs([str(path)], **kw))  # type: ignore[arg-type]
    return item


def test_binary_file_is_rejected_as_binary(tmp_path: Path) -> None:
    f = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert read_one(f) == Rejected(str(f), BINARY_REASON)


def test_binary_file_with_unknown_extension_is_unsupported(tmp_path: Path) -> None:
    f = write(tmp_path / "blob.bin", bytes(range(256)) * 4)
    item = read_one(f)
    assert isinstance(item, Rejected) and item.reason.startswith("unsupported file type '.bin'")


def test_empty_and_whitespace_only_files(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.txt", b"")
    blank = write(tmp_path / "blank.txt", " \n\t\r\n  ")
    good = write(tmp_path / "good.txt", GOOD)
    items = list(read_inputs([str(empty), str(blank), str(good)]))
    assert items[0] == Rejected(str(empty), "empty file")
    assert isinstance(items[1], Rejected) and items[1].reason.startswith("no text")
    assert isinstance(items[2], Article)  # the run goes on


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_legacy_and_utf16_encodings_are_read_correctly(tmp_path: Path, encoding: str) -> None:
    text = LATIN + ("\n" + LATIN) * 3 + (" Prix: 5 €." if encoding != "latin-1" else "")
    f = write(tmp_path / f"{encoding}.txt", text.encode(encoding))
    item = read_one(f)
    assert isinstance(item, Article), item
    assert item.text == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Паром до Лунде возобновил работу во вторник после недели штормов, сообщил оператор.", "cp1251"),
        ("Prom do Lunde wznowił kursy we wtorek po tygodniu sztormów, poinformował przewoźnik.", "cp1250"),
    ],
)
def test_preferring_western_codepages_does_not_garble_others(
    tmp_path: Path, text: str, encoding: str
) -> None:
    item = read_one(write(tmp_path / "x.txt", ((text + "\n") * 3).encode(encoding)))
    assert isinstance(item, Article) and item.text == (text + "\n") * 3


def test_utf8_with_a_stray_legacy_byte_keeps_its_utf8(tmp_path: Path) -> None:
    text = "Die Fähre nach Lunde fährt wieder, teilte der Betreiber mit. Größere Schäden gab es nicht. " * 3
    data = text.encode("utf-8") + b" Gr\xfc\xdfe aus M\xe4rz."  # a pasted-in cp1252 fragment
    item = read_one(write(tmp_path / "mixed.txt", data))
    assert isinstance(item, Article) and item.text == text + " Grüße aus März."


def test_html_with_stray_nul_bytes_is_read(tmp_path: Path) -> None:
    body = "".join(f"<p>{GOOD} Paragraph {n}.</p>" for n in range(30))
    page = f"<html><body><article>{body}</article>\x00<script>x()</script>\x00</body></html>"
    [item] = list(read_inputs([str(write(tmp_path / "nul.html", page))]))
    assert isinstance(item, Article) and "Paragraph 29" in item.text and "\x00" not in item.text


def test_file_over_max_bytes(tmp_path: Path) -> None:
    f = write(tmp_path / "big.txt", "x" * 5000)
    assert read_one(f, max_bytes=4096) == Rejected(str(f), "file is 5000 bytes, over --max-bytes 4096")


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert read_one(missing) == Rejected(str(missing), "no such file or folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder(tmp_path: Path) -> None:
    f = write(tmp_path / "secret.txt", GOOD)
    d = tmp_path / "locked"
    write(d / "x.txt", GOOD)
    f.chmod(0)
    d.chmod(0)
    try:
        items = list(read_inputs([str(f), str(d)]))
    finally:
        f.chmod(0o644)
        d.chmod(0o755)
    assert all(isinstance(i, Rejected) and "permission denied" in i.reason for i in items)


def test_permission_denied_is_reported_even_when_running_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdossier import ingest

    f = write(tmp_path / "secret.txt", GOOD)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest, "open", denied, raising=False)  # the reader's own open(), not the test's
    assert read_one(f) == Rejected(str(f), "permission denied (cannot read the file)")


def test_broken_symlink_in_folder(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    write(folder / "good.txt", GOOD)
    (folder / "link.txt").symlink_to(tmp_path / "gone.txt")
    items = list(read_inputs([str(folder)]))
    assert isinstance(items[0], Article)
    assert items[1].input == f"{folder}/link.txt" and isinstance(items[1], Rejected)
    assert items[1].reason.startswith("broken symbolic link")


def test_symlink_loop_does_not_recurse_forever(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    write(folder / "good.txt", GOOD)
    (folder / "loop").symlink_to(folder)
    assert [i.input for i in read_inputs([str(folder)])] == [f"{folder}/good.txt"]


def test_malformed_jsonl_line_others_still_load(tmp_path: Path) -> None:
    f = write(
        tmp_path / "d.jsonl",
        f'{{"text": "{GOOD}"}}\n{{"text": oops}}\n\n[1, 2]\n{{"title": "x"}}\n{{"body": "Two."}}\n',
    )
    items = list(read_inputs([str(f)]))
    assert [type(i).__name__ for i in items] == ["Article", "Rejected", "Rejected", "Rejected", "Article"]
    assert items[1] == Rejected(f"{f}#2", "line is not valid JSON: Expecting value at col 10")
    assert items[2].input == f"{f}#4" and "not an object" in items[2].reason
    assert items[3].reason == "no text field (expected one of text, body, content)"
    assert items[4].input == f"{f}#6"


def test_invalid_json_file(tmp_path: Path) -> None:
    f = write(tmp_path / "d.json", '[{"text": "a"},')
    item = read_one(f)
    assert isinstance(item, Rejected) and item.reason.startswith("not valid JSON")


def test_csv_without_text_column(tmp_path: Path) -> None:
    f = write(tmp_path / "d.csv", "id,headline\n1,Ferry resumes\n")
    item = read_one(f)
    assert item == Rejected(
        str(f), "no text column (expected one of text, body, content; found id, headline)"
    )


def test_corrupt_zip_and_tar(tmp_path: Path) -> None:
    z = write(tmp_path / "bad.zip", b"PK\x03\x04 this is not really a zip archive")
    t = write(tmp_path / "bad.tar.gz", b"\x1f\x8b\x08\x00 truncated gzip that is no tar")
    good = write(tmp_path / "good.txt", GOOD)
    items = list(read_inputs([str(z), str(t), str(good)]))
    assert items[0].input == str(z) and items[0].reason.startswith("not a valid zip archive")
    assert items[1].input == str(t) and items[1].reason.startswith("not a valid tar archive")
    assert isinstance(items[2], Article)


def test_truncated_tar_keeps_members_before_the_damage(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for name in ("a.txt", "b.txt"):
            data = (GOOD + " " + name + " ") * 4
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data.encode()))
    f = write(tmp_path / "cut.tar", buf.getvalue()[:1800])  # inside b.txt's data
    items = list(read_inputs([str(f)]))
    assert isinstance(items[0], Article) and items[0].input == f"{f}!a.txt"
    assert isinstance(items[-1], Rejected)


def test_zip_member_escaping_the_archive_is_rejected_and_never_written(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    z = work / "evil.zip"
    with zipfile.ZipFile(z, "w") as archive:
        archive.writestr("../escaped.txt", "escaped " + GOOD)
        archive.writestr("/tmp/absolute_escape_test.txt", "absolute " + GOOD)
        archive.writestr("ok/fine.txt", GOOD)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    items = list(read_inputs([str(z)]))
    assert items[0] == Rejected(
        f"{z}!../escaped.txt", "archive member path escapes the archive: ../escaped.txt"
    )
    assert items[1].input == f"{z}!/tmp/absolute_escape_test.txt" and "escapes the archive" in items[1].reason
    assert isinstance(items[2], Article) and items[2].input == f"{z}!ok/fine.txt"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/absolute_escape_test.txt").exists()


def test_tar_member_escaping_the_archive_is_rejected(tmp_path: Path) -> None:
    t = tmp_path / "evil.tar"
    with tarfile.open(t, "w") as archive:
        for name in ("../up.txt", "fine.txt"):
            info = tarfile.TarInfo(name)
            info.size = len(GOOD)
            archive.addfile(info, io.BytesIO(GOOD.encode()))
        link = tarfile.TarInfo("link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    stats = IngestStats()
    items = list(read_inputs([str(t)], stats=stats))
    assert [type(i).__name__ for i in items] == ["Rejected", "Article"]
    assert "escapes the archive" in items[0].reason
    assert stats.skipped["archive member: link or special file"] == 1


def test_archive_bomb_limits(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"0" * 2_000_000)  # compresses to a few KB
    [item] = list(read_inputs([str(bomb)], max_bytes=100_000))
    assert item == Rejected(f"{bomb}!zeros.txt", "archive member is 2000000 bytes, over --max-bytes 100000")

    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n in range(30):
            archive.writestr(f"m{n:02}.txt", f"Article {n}. " + "word " * 1800)
    items = list(read_inputs([str(many)], max_bytes=10_000))
    assert isinstance(items[-1], Rejected) and items[-1].input == str(many)
    assert "archive bomb" in items[-1].reason
    assert 0 < sum(isinstance(i, Article) for i in items) < 30


def test_nesting_depth_is_limited(tmp_path: Path) -> None:
    data = b"The innermost ferry story."
    name = "story.txt"
    for level in range(5):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            archive.writestr(name, data)
        data, name = buf.getvalue(), f"level{level}.zip"
    f = write(tmp_path / "outer.zip", data)
    [item] = list(read_inputs([str(f)]))
    assert isinstance(item, Rejected) and "nested more than" in item.reason
    assert item.input.count("!") == 3


def _warc_with(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for uri, content_type, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
        )
    writer.write_record(writer.create_warc_record("urn:x", "metadata", payload=io.BytesIO(b"k: v")))
    return out.getvalue()


def test_warc_with_non_html_records(tmp_path: Path) -> None:
    page = f"<html><head><title>Ferry</title></head><body><article><p>{GOOD}</p><p>{GOOD}</p></article>"
    f = write(
        tmp_path / "mixed.warc",
        _warc_with(
            [
                ("https://x.example/a.pdf", "application/pdf", b"%PDF-1.4 binary"),
                ("https://x.example/ferry", "text/html", page.encode()),
                ("https://x.example/s.css", "text/css", b"body { color: red }"),
            ]
        ),
    )
    stats = IngestStats()
    items = list(read_inputs([str(f)], stats=stats))
    assert [i.input for i in items] == [f"{f}#https://x.example/ferry"]
    assert GOOD in items[0].text
    assert (
        stats.skipped["WARC record: non-HTML response"] == 2 and stats.skipped["WARC record: metadata"] == 1
    )


def test_not_a_warc(tmp_path: Path) -> None:
    f = write(tmp_path / "fake.warc", "this is just text, not a web archive\n")
    [item] = list(read_inputs([str(f)]))
    assert isinstance(item, Rejected) and "WARC" in item.reason


def test_html_payloads_never_become_text(tmp_path: Path) -> None:
    page = (
        "<html><head><script>window.SECRET_A = 1</script></head><body><article>"
        f"<p>{GOOD}</p><p>{GOOD.replace('Tuesday', 'Wednesday')}</p>"
        "<p>Visible: &lt;img src=x onerror=alert(1)&gt; stays as text.</p>"
        '<img src="x" onerror="SECRET_B()"><svg onload="SECRET_C()"></svg>'
        "<script type='text/javascript'>SECRET_D()</script><noscript>SECRET_E</noscript>"
        "</article></body></html>"
    )
    [item] = list(read_inputs([str(write(tmp_path / "x.html", page))]))
    assert isinstance(item, Article)
    for secret in ("SECRET_A", "SECRET_B", "SECRET_C", "SECRET_D"):
        assert secret not in item.text
    assert "<img src=x onerror=alert(1)>" in item.text


def test_html_with_no_text(tmp_path: Path) -> None:
    f = write(tmp_path / "empty.html", "<html><head><script>x()</script></head><body></body></html>")
    [item] = list(read_inputs([str(f)]))
    assert isinstance(item, Rejected) and item.reason == "no main text found in the HTML page"


def test_nul_bytes_in_a_record_are_rejected(tmp_path: Path) -> None:
    f = write(tmp_path / "d.jsonl", '{"text": "before\\u0000after"}\n')
    [item] = list(read_inputs([str(f)]))
    assert item == Rejected(f"{f}#1", BINARY_REASON)


def test_stdin_over_max_bytes_and_binary() -> None:
    [big] = list(read_inputs(["-"], stdin=io.BytesIO(b"y" * 100), max_bytes=50))
    assert big == Rejected("-", "standard input is over --max-bytes 50")
    [binary] = list(read_inputs(["-"], stdin=io.BytesIO(bytes(range(256)) * 3)))
    assert binary == Rejected("-", BINARY_REASON)


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    [item] = list(read_inputs([str(tmp_path / "nothing")]))
    assert isinstance(item, Rejected) and item.reason.startswith("no articles found")
