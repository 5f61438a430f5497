"""The pull-request comment: what it names, that it fits one GitHub comment, that no value
from a recording breaks out of its code span; and the link to the comparison."""

from __future__ import annotations

import re
import urllib.parse

import mistune
import pytest
from support.review_classes import EMBEDDING, REQUEST, RERECORDED_TO, make_class_pair
from support.review_trees import read, write

from explorer.present.report_html import diff_section
from explorer.review.diff import diff_trees
from explorer.review.link import binder_url, comparison_from_query, query_string
from explorer.review.markdown import LIMIT, markdown
from explorer.review.md_escape import code
from explorer.sources import SourceError

HOSTILE = [
    "``` <img src=x onerror=alert(1)> @octocat [x](https://evil.example) </details>",
    "`",
    "a ` b `` c",
    "<script>alert(1)</script>",
    "![i](https://evil.example/i.png) **bold** _em_ #1 @org/team",
    "line one\nline two | cell\r\n<b>",
    "https://evil.example/autolink www.evil.example",
    "\x1b[31mred\x1b[0m &amp; &#60;b&#62;",
]
render = mistune.create_markdown(escape=False, plugins=["table", "url", "strikethrough"])


def rendered_outside_code(text: str) -> str:
    """The HTML a renderer makes of `text`, with the content of <code> elements removed."""
    return re.sub(r"<code>.*?</code>", "", render(text), flags=re.DOTALL)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_stays_inside_its_code_span(value):
    for table in (False, True):
        span = code(value, table=table)
        line = f"- **response** {span} ({span}): {span}"
        html = render(line)
        outside = rendered_outside_code(line)
        assert "<img" not in outside and "<a " not in outside and "<script" not in outside
        assert "@octocat" not in outside and "<b>" not in outside and "<strong>bold" not in outside
        assert "\n" not in span
        assert html.count("<code>") == 3


def test_a_code_span_shows_the_value_itself():
    assert code("plain") == "`plain`"
    assert code("a ` b") == "``a ` b``"
    assert code("`x`") == "`` `x` ``"
    assert code("") == "(empty)"
    html = render(code("a ` b <i>"))
    assert "<code>a ` b &lt;i&gt;</code>" in html


def test_comment_names_every_behaviour_change_grouped_by_test_file(tmp_path):
    pair = make_class_pair(tmp_path)
    text = markdown(diff_trees(pair.base, pair.head))
    assert ("**1 request** · **1 response** · 2 moved (1 re-recorded) · 1 environment · 1 noise"
            " · 1 added · 1 removed") in text
    behaviour = text.split("### Behaviour changes", 1)[1].split("\n### ", 1)[0]
    assert "#### `tests/integration/vector_io/test_openai_vector_stores.py`" in behaviour
    assert "`request body.dimensions none → 4; embedding 0 length 8 → 4`" in behaviour
    assert "`embedding length 6 → 3`" in behaviour
    assert "**moved**" in behaviour and "openai_completion_nonstream.json" in behaviour
    assert "noise" not in behaviour and "environment" not in behaviour
    assert "### Bookkeeping (3 recordings, no behaviour change)" in text
    assert "| `tests/integration/responses` | 1 | 0 | 0 |" in text
    assert "| `tests/integration/common` | 0 | 1 | 0 |" in text
    assert "| `tests/integration/tools` | 0 | 0 | 1 |" in text
    assert f"{REQUEST.rsplit('/', 1)[1]}" in behaviour and EMBEDDING.rsplit("/", 1)[1] in behaviour
    assert RERECORDED_TO.rsplit("/", 1)[1] in behaviour


def test_hostile_test_ids_do_not_break_the_comment(tmp_path):
    pair = make_class_pair(tmp_path)
    document = read(pair.head / REQUEST)
    document["test_id"] = "tests/x.py::test_a[" + " ".join(HOSTILE).replace("\n", " ") + "]"
    document["request"]["body"]["input"][0] = "</details> @octocat ``` <img src=x>"
    write(pair.head / REQUEST, document)
    text = markdown(diff_trees(pair.base, pair.head))
    outside = rendered_outside_code(text)
    assert "@octocat" not in outside and "<img" not in outside and "<script" not in outside
    assert "evil.example" not in outside
    assert outside.count("<details>") == outside.count("</details>")


def test_a_comment_too_long_says_how_many_are_not_shown(tmp_path):
    pair = make_class_pair(tmp_path)
    source = read(pair.head / REQUEST)
    for number in range(400):
        source["test_id"] = f"tests/integration/vector_io/test_many.py::test_{number}[{'p' * 150}]"
        source["request"]["body"]["dimensions"] = number + 5
        write(pair.base / f"tests/integration/many/recordings/r{number:04}.json", read(pair.base / REQUEST))
        write(pair.head / f"tests/integration/many/recordings/r{number:04}.json", source)
    diff = diff_trees(pair.base, pair.head)
    assert len(diff.of("request")) == 401
    text = markdown(diff)
    assert len(text) <= LIMIT
    found = re.search(r"\*\*([\d,]+) of 403 behaviour changes not shown\*\*", text)
    assert found, text[-2000:]
    shown = text.count("- **request**") + text.count("- **response**") + text.count("- **moved**")
    assert shown + int(found.group(1).replace(",", "")) == 403
    assert "--format json" in text and "explorer report" in text
    report = diff_section(diff)  # where the comment sends the reader: every change is there
    assert all(f"<code>{c.path}</code>" in report for c in diff.changes if c.matters)
    full = markdown(diff, limit=10_000_000)
    assert "not shown" not in full and full.count("- **request**") == 401
    assert "cut to fit" not in text


def test_binder_link_carries_repository_and_refs_in_the_query_string():
    url = binder_url("someone/explorer@v1", "https://github.com/ogx/ogx", "main", "abc123")
    assert url.startswith("https://mybinder.org/v2/gh/someone/explorer/v1?urlpath=")
    page = urllib.parse.unquote(url.split("urlpath=", 1)[1])
    assert page.startswith("voila/render/notebooks/explore.ipynb?")
    query = page.split("?", 1)[1]
    assert comparison_from_query(query) == ("https://github.com/ogx/ogx", "main", "abc123")


@pytest.mark.parametrize("query", [
    "repo=-uhttps://x&base=main&head=pr",
    "repo=https://github.com/o/r&base=--upload-pack=evil&head=pr",
    "repo=https://github.com/o/r&base=main&head=-x",
    "repo=ext::sh -c evil&base=main&head=pr",
    "repo=relative/path&base=main&head=pr",
    "repo=https://github.com/o/r&base=a..b&head=pr",
    "repo=https://github.com/o/r&base=main",
])
def test_untrusted_query_values_are_refused(query):
    with pytest.raises(SourceError, match="refused|needs"):
        comparison_from_query(query)


def test_no_comparison_in_the_query_string_is_none():
    assert comparison_from_query("") is None
    assert comparison_from_query("token=abc") is None
    with pytest.raises(SourceError):
        query_string("https://github.com/o/r", "-main", "pr")


def test_cli_binder_option(tmp_path):
    from click.testing import CliRunner
    from support.review_trees import make_repo

    from explorer.cli.main import main

    _, repo = make_repo(tmp_path)
    out = CliRunner().invoke(main, ["diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format",
                                    "markdown", "--binder", "someone/explorer"])
    assert out.exit_code != 0 and "no `origin` remote" in out.output
    out = CliRunner().invoke(main, ["diff", "HEAD~1", "HEAD", "--repo", str(repo), "--format",
                                    "markdown", "--binder", "someone/explorer", "--repo-url",
                                    "https://github.com/ogx/ogx"])
    assert out.exit_code == 0, out.output
    link = re.search(r"\]\((https://mybinder.org/v2/gh/[^)]+)\)", out.output).group(1)
    query = urllib.parse.unquote(link.split("urlpath=", 1)[1]).split("?", 1)[1]
    repo_url, base, head = comparison_from_query(query)
    assert repo_url == "https://github.com/ogx/ogx" and len(base) == len(head) == 40
    out = CliRunner().invoke(main, ["diff", str(tmp_path), str(tmp_path), "--binder", "o/r"])
    assert out.exit_code != 0 and "--binder needs --repo" in out.output
