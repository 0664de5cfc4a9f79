"""Happy paths of every reader: kinds, input names, metadata, order, stdin. Fixtures are written here."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from newsdossier.ingest import IngestStats, extract_html, read_inputs
from newsdossier.ingest.base import normalise_date
from newsdossier.model import Article, Rejected, article_id

STORY = (
    "Harbour workers in Vellmar walked out on Monday, the port authority said, closing the container "
    "terminal for the first time since 2019. The union wants a pay rise of six percent this year."
)
MORE = (
    "Union leader Mara Lind said talks with the harbour board would resume on Friday afternoon. "
    "Ships were diverted to the northern quay of Ostheim while the strike lasted, a spokesman added."
)

PAGE = f"""<!DOCTYPE html>
<html><head><title>Harbour strike closes terminal | Vellmar Post</title>
<meta property="og:site_name" content="Vellmar Post">
<meta property="article:published_time" content="2021-03-04T10:00:00+01:00">
<meta name="author" content="Ana Berg">
<link rel="canonical" href="https://post.example/harbour-strike">
<script>var tracker = "HIDDEN_SCRIPT_TOKEN";</script><style>.x {{ color: red }}</style>
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour strike closes terminal</h1><p>{STORY}</p><p>{MORE}</p>
<p>A reader wrote &lt;script&gt;alert(1)&lt;/script&gt; under the story.</p>
<img src="x.png" onerror="alert('HIDDEN_ONERROR_TOKEN')">
<script>document.write("HIDDEN_SCRIPT_TWO")</script></article>
<div id="comments" class="comments"><ul>
<li class="comment"><p>Good on the dock workers, they deserve every cent of it.</p></li>
<li class="comment"><p>The terminal was closed last spring as well, I remember the queues.</p></li>
</ul></div>
<footer>Copyright 2021 Vellmar Post</footer></body></html>"""


def articles(items: list) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_text_file_kept_exactly_except_line_ends_and_bom(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", b"\xef\xbb\xbfFirst line.\r\nSecond  line\rthird.\n\n  Indented.")
    [a] = list(read_inputs([str(f)]))
    assert a.text == "First line.\nSecond  line\nthird.\n\n  Indented."
    assert a.id == article_id(a.text)
    assert a.input == str(f)
    assert a.published.basis == "unknown" and a.published.date is None


def test_folder_is_recursive_sorted_named_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "Bravo story text.")
    write(root / "a.txt", "Alpha story text.")
    write(root / "sub" / "c.txt", "Charlie story text.")
    write(root / "sub" / "deeper" / "d.notes", "Delta story text in a file with an unknown extension.")
    write(root / ".hidden.txt", "never read")
    write(root / ".git" / "x.txt", "never read either")
    items = list(read_inputs([str(root)]))
    names = [i.input for i in items]
    assert names == [f"{root}/a.txt", f"{root}/b.txt", f"{root}/sub/c.txt", f"{root}/sub/deeper/d.notes"]
    assert all(isinstance(i, Article) for i in items)
    assert list(read_inputs([str(root) + "/"])) == items  # a trailing slash names nothing differently


def test_order_and_ids_are_stable_across_runs(tmp_path: Path) -> None:
    write(tmp_path / "x" / "one.txt", STORY)
    write(tmp_path / "x" / "two.jsonl", json.dumps({"text": MORE}) + "\n")
    first = list(read_inputs([str(tmp_path / "x")]))
    assert first == list(read_inputs([str(tmp_path / "x")]))
    assert len({a.id for a in articles(first)}) == 2


def test_jsonl_records_are_named_by_line_with_metadata(tmp_path: Path) -> None:
    lines = [
        {
            "id": "wire-17",
            "title": "Strike",
            "url": "https://a.example/1",
            "source": "Vellmar Post",
            "published": "2021-03-04T08:30:00Z",
            "text": STORY,
        },
        {"body": MORE, "date": "4 March 2021", "id": 42},
        {"content": "Third story held in a content field."},
    ]
    f = write(tmp_path / "data.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    a, b, c = list(read_inputs([str(f)]))
    assert (a.input, b.input, c.input) == (f"{f}#1", f"{f}#2", f"{f}#3")
    assert a.external_id == "wire-17" and b.external_id == "42" and c.external_id is None
    assert (a.title, a.url, a.source) == ("Strike", "https://a.example/1", "Vellmar Post")
    assert a.published.date == "2021-03-04" and a.published.basis == "metadata"
    assert b.published.date == "2021-03-04"
    assert c.text == "Third story held in a content field."


def test_json_list_single_object_and_wrapped_list(tmp_path: Path) -> None:
    lst = write(tmp_path / "list.json", json.dumps([{"text": STORY}, {"text": MORE, "id": "b"}]))
    one = write(tmp_path / "one.json", json.dumps({"text": STORY, "title": "T"}))
    wrapped = write(tmp_path / "wrapped.json", json.dumps({"count": 1, "articles": [{"body": MORE}]}))
    items = list(read_inputs([str(lst), str(one), str(wrapped)]))
    assert [i.input for i in items] == [f"{lst}#1", f"{lst}#2", str(one), f"{wrapped}#1"]
    assert items[1].external_id == "b" and items[2].title == "T"


def test_csv_records_exclude_header_and_keep_multiline_cells(tmp_path: Path) -> None:
    f = write(
        tmp_path / "data.csv",
        'id,title,text,date\nx1,First,"Line one,\nline two.",2020-01-02\nx2,Second,Plain,\n',
    )
    a, b = list(read_inputs([str(f)]))
    assert (a.input, b.input) == (f"{f}#1", f"{f}#2")
    assert a.text == "Line one,\nline two." and a.external_id == "x1" and a.published.date == "2020-01-02"
    assert b.published.date is None


def test_csv_with_semicolons_and_capitalised_header(tmp_path: Path) -> None:
    f = write(tmp_path / "export.csv", "Title;Body\nA;Semicolon separated article body.\n")
    [a] = list(read_inputs([str(f)]))
    assert a.text == "Semicolon separated article body." and a.title == "A"


def test_html_main_text_metadata_and_comment_segment(tmp_path: Path) -> None:
    f = write(tmp_path / "page.html", PAGE)
    [a] = list(read_inputs([str(f)]))
    assert STORY in a.text and MORE in a.text
    assert a.title == "Harbour strike closes terminal"
    assert a.source == "Vellmar Post"
    assert a.published.date == "2021-03-04" and a.published.basis == "metadata"
    assert a.url == "https://post.example/harbour-strike"
    # Reader comments come after the main text, apart, and only they are pre-segmented.
    [seg] = a.segments
    assert seg.kind == "reader_comment" and seg.end == len(a.text)
    tail = a.text[seg.start : seg.end]
    assert "dock workers" in tail and "last spring" in tail
    assert "dock workers" not in a.text[: seg.start] and a.text[seg.start - 2 : seg.start] == "\n\n"
    # Script and attribute payloads never become text; visible text that looks like a tag stays.
    for token in ("HIDDEN_SCRIPT_TOKEN", "HIDDEN_ONERROR_TOKEN", "HIDDEN_SCRIPT_TWO", "color: red"):
        assert token not in a.text
    assert "<script>alert(1)</script>" in a.text


def test_extract_html_reports_method_and_metadata() -> None:
    page = extract_html(PAGE, url="https://fallback.example/x")
    assert page.method == "trafilatura"
    assert page.author == "Ana Berg" and page.sitename == "Vellmar Post" and page.date == "2021-03-04"
    assert page.comments and "dock workers" in page.comments and "dock workers" not in page.text
    empty = extract_html("   ")
    assert empty.text == "" and empty.method == "none"


def test_comment_lines_already_in_the_main_text_are_not_repeated() -> None:
    from newsdossier.ingest.html import _drop_lines_in

    comments = f"Reply\n{MORE}\nA genuine reader comment about the harbour strike."
    assert _drop_lines_in(comments, f"{STORY}\n{MORE}") == (
        "Reply\nA genuine reader comment about the harbour strike."
    )


def test_extract_html_reads_a_bare_fragment() -> None:
    page = extract_html(f"<p>{STORY}</p>")
    assert page.text == STORY and page.method != "none"


class _Doc:
    def __init__(self, text: str, comments: str | None = None) -> None:
        self.text, self.comments, self.title, self.date = text, comments, "T", None
        self.author = self.sitename = self.url = None


@pytest.mark.parametrize(
    ("default", "recall", "expected_method", "expected_start"),
    [
        (_Doc(STORY + MORE), _Doc("unused"), "trafilatura", "Harbour"),
        (_Doc("Too short."), _Doc(STORY + " " + MORE), "trafilatura-recall", "Harbour"),
        (None, None, "baseline", "Union leader"),
        (_Doc(""), _Doc(""), "baseline", "Union leader"),
    ],
    ids=["enough", "recall", "baseline-after-none", "baseline-after-empty"],
)
def test_extract_html_fallback_order(
    monkeypatch: pytest.MonkeyPatch,
    default: object,
    recall: object,
    expected_method: str,
    expected_start: str,
) -> None:
    import trafilatura

    from newsdossier.ingest import html as html_module

    def fake_bare(html: str, url: str | None, **options: object) -> object:
        return recall if options.get("favor_recall") else default

    monkeypatch.setattr(html_module, "_bare", fake_bare)
    monkeypatch.setattr(trafilatura, "baseline", lambda html: (None, MORE, len(MORE)))
    page = extract_html("<html><body><p>any</p></body></html>")
    assert page.method == expected_method
    assert page.text.startswith(expected_start)


def test_extract_html_on_a_real_short_page_names_its_path() -> None:
    body = "".join(f"<div><span>{s}.</span><br></div>" for s in (STORY + " " + MORE).split(". "))
    page = extract_html(f"<html><body>{body}</body></html>")
    assert "Mara Lind" in page.text and "Vellmar" in page.text
    assert page.method in {"trafilatura", "trafilatura-recall", "baseline", "html2txt"}


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    for uri, content_type, payload in records:
        writer.write_record(
            writer.create_warc_record(
                uri,
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True),
            )
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
        )
    return out.getvalue()


def test_warc_reads_html_responses_and_counts_the_rest(tmp_path: Path) -> None:
    f = write(
        tmp_path / "crawl.warc.gz",
        _warc(
            [
                ("https://post.example/harbour-strike", "text/html; charset=utf-8", PAGE.encode()),
                ("https://post.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
                ("https://post.example/feed.json", "application/json", b"{}"),
            ]
        ),
    )
    stats = IngestStats()
    items = list(read_inputs([str(f)], stats=stats))
    [a] = items
    assert a.input == f"{f}#https://post.example/harbour-strike"
    assert STORY in a.text
    assert stats.skipped["WARC record: non-HTML response"] == 2
    assert stats.skipped["WARC record: request"] == 3 and stats.skipped["WARC record: warcinfo"] == 1


def test_zip_tar_and_nested_archives_are_named_with_bang(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("deep/c.txt", "Charlie text inside a zip inside a tar.")
    tar_path = tmp_path / "bundle.tar.gz"
    with tarfile.open(tar_path, "w:gz") as t:
        for name, data in (
            ("a.html", PAGE.encode()),
            ("inner.zip", inner.getvalue()),
            ("b.txt", STORY.encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    zip_path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("dir/a.txt", MORE)
        z.writestr("dir/", "")
        z.writestr("__MACOSX/dir/._a.txt", "resource fork junk")
        z.writestr("notes.txt.gz", gzip.compress(b"A gzip-compressed note inside the zip."))
    names = [i.input for i in read_inputs([str(tar_path), str(zip_path)])]
    assert names == [
        f"{tar_path}!a.html",
        f"{tar_path}!inner.zip!deep/c.txt",
        f"{tar_path}!b.txt",
        f"{zip_path}!dir/a.txt",
        f"{zip_path}!notes.txt.gz",
    ]
    assert not any(tmp_path.glob("**/c.txt"))  # read in memory, never extracted


@pytest.mark.parametrize(
    ("payload", "expected_text"),
    [
        (PAGE.encode(), STORY),
        ((json.dumps({"text": STORY}) + "\n" + json.dumps({"text": MORE}) + "\n").encode(), MORE),
        (f"{STORY}\n\n{MORE}\n".encode(), MORE),
    ],
    ids=["html", "jsonl", "text"],
)
def test_stdin_is_sniffed(payload: bytes, expected_text: str) -> None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(payload)))
    assert items and all(isinstance(i, Article) for i in items)
    assert any(expected_text in a.text for a in items)
    assert {i.input for i in items} <= {"-", "-#1", "-#2"}


def test_stdin_kinds_are_named() -> None:
    html = list(read_inputs(["-"], stdin=io.BytesIO(PAGE.encode())))
    assert [a.input for a in html] == ["-"] and html[0].title == "Harbour strike closes terminal"
    lines = list(read_inputs(["-"], stdin=io.BytesIO(b'{"text": "one"}\n{"text": "two"}\n')))
    assert [a.input for a in lines] == ["-#1", "-#2"]


def test_unknown_extension_that_is_text_is_read(tmp_path: Path) -> None:
    f = write(tmp_path / "story.article", STORY)
    [a] = list(read_inputs([str(f)]))
    assert isinstance(a, Article) and a.text == STORY


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-03-14", "2016-03-14"),
        ("2016-03-14T22:10:00+03:00", "2016-03-14"),
        ("14 March 2016", "2016-03-14"),
        ("March 14, 2016", "2016-03-14"),
        (1457913600, "2016-03-14"),
        ("2016", None),
        ("March 2016", None),
        ("yesterday", None),
        ("not a date at all", None),
        ("2016-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_metadata_dates_normalise_or_drop(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_unparseable_record_date_is_dropped_not_invented(tmp_path: Path) -> None:
    f = write(tmp_path / "d.jsonl", json.dumps({"text": STORY, "published": "last Tuesday-ish"}) + "\n")
    [a] = list(read_inputs([str(f)]))
    assert a.published.date is None and a.published.basis == "unknown"


def test_same_text_from_two_formats_has_one_id(tmp_path: Path) -> None:
    t = write(tmp_path / "a.txt", STORY)
    j = write(tmp_path / "a.jsonl", json.dumps({"text": STORY}) + "\n")
    a, b = list(read_inputs([str(t), str(j)]))
    assert a.id == b.id and a.input != b.input


def test_rejected_items_and_articles_are_counted(tmp_path: Path) -> None:
    write(tmp_path / "f" / "good.txt", STORY)
    write(tmp_path / "f" / "empty.txt", b"")
    stats = IngestStats()
    items = list(read_inputs([str(tmp_path / "f")], stats=stats))
    assert (stats.articles, stats.rejected) == (1, 1)
    assert isinstance(items[0], Rejected) and items[0].reason == "empty file"
