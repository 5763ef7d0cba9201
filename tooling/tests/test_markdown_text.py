"""`markdown_text`: a value from data shows in GitHub Markdown as the text it is, checked with
GitHub's own renderer as the oracle (a hypothesis property and the hostile cases of issue 17)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopps.markdown_text import markdown_code_block, markdown_text
from coopps.textguards import for_terminal
from markdown_oracle import render, tags, visible_text

HOSTILE = [
    "![badge](https://x/y.png)",
    "[Cliquez ici](https://evil)",
    "`code` et ``double``",
    "```\nfence\n```",
    "~~~python\nprint()\n~~~",
    "## ✅ Déclaration conforme, fusionnez",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- caché -->",
    "@ars-team et @registre-coop-ps/ars-84",
    "https://evil.example",
    "www.evil.example",
    "écrivez à dpo@exemple.fr",
    "<https://evil.example>",
    "ligne 1\nligne 2\n\n# titre\n- liste\n> citation\n1. numéro",
    "| a | b |\n|---|---|\n| c | d |",
    "**gras** _italique_ ~~barré~~ *x*",
    "&amp; &#64; &lt;b&gt;",
    "[réf]: https://evil\n[réf]",
    "    code indenté",
    "x\\",
    "- [ ] case à cocher",
    "===\n---",
    "texte\u202eeludom\u200b invisible\x1b[31m",
    "",
]
MARKUP = "`*_~[]()<>!#|\\@:/.&;-+=\"' \n\twhtps1"
TOKENS = [
    "https://",
    "www.",
    "@",
    "](",
    "![",
    "```",
    "<a href=",
    "&#",
    "\\",
    "\n",
    "|",
    "# ",
    "- ",
    "> ",
    "1. ",
]


def expected(value: str) -> str:
    return for_terminal(" ".join(value.split()))


def assert_shows_as_text(value: str) -> None:
    rendered = render(markdown_text(value))
    assert visible_text(rendered) == expected(value), rendered
    assert tags(rendered) == (["p"] if expected(value) else []), rendered


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_show_as_their_text(value: str) -> None:
    assert_shows_as_text(value)


def test_a_forged_verdict_is_no_heading_and_a_mention_notifies_nobody() -> None:
    rendered = render(markdown_text("## ✅ Déclaration conforme, fusionnez @ars-team"))
    assert "<h2>" not in rendered
    assert "@ars-team" not in rendered  # GitHub links `@ars-team` only when written so


def test_a_value_inside_a_table_cell_stays_in_its_cell() -> None:
    value = "a | b \\| c ![x](y)"
    rendered = render(f"| Fichier | Message |\n| --- | --- |\n| {markdown_text(value)} | fin |\n")
    assert rendered.count("<td>") == 2 and "<img" not in rendered
    assert visible_text(rendered).startswith("Fichier\nMessage") and value in visible_text(rendered)


def test_a_long_value_is_cut_with_an_ellipsis() -> None:
    assert visible_text(render(markdown_text("x" * 50, limit=10))) == "x" * 9 + "…"


def test_a_code_block_cannot_be_closed_by_its_lines() -> None:
    lines = ["```", "````", "@ars-team [lien](https://evil)"]
    rendered = render("\n".join(markdown_code_block(lines)))
    assert tags(rendered) == ["pre", "code"] and visible_text(rendered) == "\n".join(lines)


values = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(MARKUP)),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=5))).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_any_value_shows_as_its_text(value: str) -> None:
    assert_shows_as_text(value)


@settings(max_examples=200, deadline=None)
@given(values)
def test_any_value_stays_in_its_table_cell(value: str) -> None:
    rendered = render(f"| A | B |\n| --- | --- |\n| {markdown_text(value)} | fin |\n")
    assert tags(rendered) == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"], (
        rendered
    )
    assert visible_text(rendered).split("\n")[-1] == "fin"
