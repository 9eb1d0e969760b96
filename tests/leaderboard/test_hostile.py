"""Hostile submissions are harmless: each is escaped, clipped or refused with a clear line, and the others are ranked.

The sixteen folders are built by `helpers.make_hostile`: markup and script in every free-text
field, Markdown injection, a javascript: URL, path traversal in the card, a folder name that is
no id, a symbolic link out of the folder, megabyte-long fields, invalid UTF-8 in the card, in the
predictions and in the folder name, predictions that fail the checks, terminal escapes, a card
too big to read, a truncated card and no card at all. The browser test (test_browser.py) opens
the same site in Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from whosaidwhat.leaderboard.render_html import JS
from whosaidwhat.leaderboard.safe import html_text, md_text, safe_url, visible

from .helpers import MARKDOWN_NAME, SCRIPT_NAME


def test_there_are_at_least_ten_hostile_submissions(hostile):
    assert len(hostile.expect) >= 10
    assert sum(1 for what, _ in hostile.expect.values() if what == "refused") >= 10


def test_each_hostile_submission_is_escaped_clipped_or_refused_with_its_reason(hostile):
    refused = {r["system"]: r for r in hostile.lb["refused"]}
    skipped = {s["system"]: s for s in hostile.lb["skipped"]}
    ranked = {s["id"]: s for s in hostile.lb["systems"]}
    for name, (what, fragment) in hostile.expect.items():
        shown = visible(name, 80)
        if what == "refused":
            assert shown in refused, f"{name!r} was not refused"
            assert any(fragment in reason for reason in refused[shown]["reasons"]), (name, refused[shown]["reasons"])
        elif what == "skipped":
            assert shown in skipped and fragment in skipped[shown]["reasons"][0]
        else:
            assert name in ranked, f"{name!r} was not ranked: {refused.get(shown)}"
            assert all(fragment in w for w in ranked[name]["warnings"][:1]) or not fragment
    assert len(ranked) + len(refused) + len(skipped) == len(hostile.expect) + 2


def test_the_ordinary_systems_are_ranked_in_every_track(hostile):
    for track in hostile.lb["tracks"].values():
        ranked = {r["system"] for r in track["rows"]}
        assert {"good-a", "good-b"} <= ranked, track["key"]


def test_every_refusal_is_a_line_on_standard_error(hostile):
    refused_lines = [m for kind, m in hostile.logs if kind == "refused"]
    assert len(refused_lines) == len(hostile.lb["refused"])
    for _kind, message in hostile.logs:
        assert "\x1b" not in message and "\udce9" not in message
        message.encode("utf-8")  # no lone surrogate from the undecodable folder name
        assert len(message) < 5000  # nothing megabyte-long is echoed


def test_reasons_never_echo_a_megabyte(hostile):
    document = (hostile.site / "leaderboard.json").read_text(encoding="utf-8")
    assert len(document) < 300_000
    assert "N" * 200 not in document and "D" * 2001 not in document
    long_description = next(s for s in hostile.lb["systems"] if s["id"] == "long-description")
    assert len(long_description["card"]["description"]) == 2000


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.scripts, self._in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, k, v) for k, v in attrs)
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def _pages(site):
    return [site / "index.html", *sorted((site / "systems").glob("*.html"))]


def test_no_page_holds_markup_a_submitter_wrote(hostile):
    allowed_href = re.compile(r"^(#[a-z-]+|systems/[a-z0-9._-]+\.html|predictions/[a-z0-9._-]+\.(jsonl|parquet)|"
                              r"\.\./index\.html|\.\./predictions/[a-z0-9._-]+\.(jsonl|parquet)|[a-z0-9._-]+\.score\.json|"
                              r"leaderboard\.(json|md))$")
    for page in _pages(hostile.site):
        parser = _Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.tags.count("script") == 1 and parser.scripts == [JS], page.name
        assert "img" not in parser.tags and "iframe" not in parser.tags and "object" not in parser.tags, page.name
        for tag, name, value in parser.attributes:
            assert not name.startswith("on"), (page.name, tag, name)
            assert name != "style", (page.name, tag)
            if name == "href":
                assert allowed_href.match(value) or safe_url(value) == value, (page.name, value)
                assert not value.lower().startswith("javascript"), (page.name, value)
            if name in ("src", "srcset", "action", "formaction"):
                raise AssertionError((page.name, tag, name, value))
    index = (hostile.site / "index.html").read_text(encoding="utf-8")
    assert html_text(SCRIPT_NAME) in index  # the hostile name is there, as text


def test_the_hostile_system_page_shows_its_card_as_text(hostile):
    page = (hostile.site / "systems" / "script-in-name.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;Evil &amp; Co" in page
    assert "&lt;img src=x onerror=&quot;window.__pwned = 2&quot;&gt;" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in page


def test_markdown_carries_no_link_image_cell_or_html_from_a_card(hostile):
    text = (hostile.site / "leaderboard.md").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    assert "[click me](" not in text and "![img](" not in text
    assert md_text(MARKDOWN_NAME, 80) in text
    rows = [line for line in text.splitlines() if "(`markdown-name`)" in line]
    assert len(rows) == 3  # one row per track, each with exactly its table's cells
    for line in rows:
        assert len(re.findall(r"(?<!\\)\|", line)) in (10, 11), line


def test_files_are_written_only_under_valid_ids(hostile):
    names = {p.name for p in (hostile.site / "systems").iterdir()}
    ids = {s["id"] for s in hostile.lb["systems"]}
    assert names == {f"{i}.html" for i in ids} | {f"{i}.score.json" for i in ids}
    assert all(re.fullmatch(r"[a-z0-9._-]+", i) for i in ids)
    assert not (hostile.root / "good-a.html").exists()


def test_safe_text_helpers():
    assert visible("a\x1b[31mb\u202ec\udce9", 100) == "a\\x1b[31mb\\u202ec\\xe9"
    assert visible("x" * 10, 5) == "xxxx…"
    assert html_text('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert md_text("[a](b) | *c* `d` <e>") == "\\[a\\]\\(b\\) \\| \\*c\\* \\`d\\` &lt;e&gt;"
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//example.org", "/etc/passwd",
                "https://", "https://a b", 'https://a"onmouseover=x', "http://a\n"):
        assert safe_url(bad) is None, bad


def test_cli_reports_refusals_and_strict_fails(wsw, hostile, gold, tmp_path):
    done = wsw("leaderboard", "build", hostile.subs, "--gold", gold.path, "--out", tmp_path / "site", "--resamples", "200",
               "--cache", hostile.report.cache)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("wsw: refused ") == len(hostile.lb["refused"])
    assert "Traceback" not in done.stderr and "\x1b" not in done.stderr
    assert f"{len(hostile.lb['systems'])} system(s) scored, {len(hostile.lb['refused'])} refused" in done.stdout
    strict = wsw("leaderboard", "build", hostile.subs, "--gold", gold.path, "--out", tmp_path / "site", "--resamples", "200",
                 "--cache", hostile.report.cache, "--strict")
    assert strict.returncode == 1 and (tmp_path / "site" / "index.html").is_file()
    json.loads((tmp_path / "site" / "leaderboard.json").read_text(encoding="utf-8"))


def test_strict_cards_refuses_cards_that_do_not_state_everything(gold, tmp_path):
    from whosaidwhat.leaderboard import build_leaderboard

    from .conftest import SETTINGS
    from .helpers import card, noisy_lines, write_system

    write_system(tmp_path / "subs", "vague", card("Vague", team=..., saw_test_texts=...), noisy_lines(gold.docs, 9))
    report = build_leaderboard([tmp_path / "subs"], gold.path, tmp_path / "site", SETTINGS, strict_cards=True)
    assert report.refused and "[LB-CARD-STRICT]" in report.refused[0]["reasons"][0]
    assert "found team, saw_test_texts" in report.refused[0]["reasons"][0]


def test_a_card_path_to_another_folder_is_refused(gold, tmp_path):
    from whosaidwhat.leaderboard import build_leaderboard

    from .conftest import SETTINGS
    from .helpers import card, noisy_lines, write_system

    write_system(tmp_path / "subs", "other", card("Other"), noisy_lines(gold.docs, 8), "test.jsonl")
    write_system(tmp_path / "subs", "thief", card("Thief", predictions={"test": "eval/baselines/other/test.jsonl"}), None)
    write_system(tmp_path / "subs", "repo-path", card("Repo path", predictions={"test": "eval/baselines/repo-path/test.jsonl"}),
                 noisy_lines(gold.docs, 8), "test.jsonl")
    report = build_leaderboard([tmp_path / "subs"], gold.path, tmp_path / "site", SETTINGS)
    assert [r["system"] for r in report.refused] == ["thief"]
    assert "[LB-PRED-OUTSIDE]" in report.refused[0]["reasons"][0]
    assert {s["id"] for s in report.leaderboard["systems"]} == {"other", "repo-path"}
