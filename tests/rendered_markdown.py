"""What a reader sees of our Markdown: rendered as GitHub renders it, then inspected.

Asserting on the Markdown source cannot tell an escaped `<img>` from a live one, or a code span
from a broken one. So each text is rendered with GitHub's own flavour (cmark-gfm through
`cmarkgfm`: tables, strikethrough and the extended autolinks `https://…` and `www.…`; raw HTML
passes through, as it does on GitHub before its sanitizer keeps `<img>`, `<b>`, `<details>`...)
and the HTML is read back: which elements and links exist, which HTML comments, which text lies
outside code (where GitHub turns `@name` into a notification), which text is inside code.

GitHub also renders `$…$` and `$$…$$` as math, which cmark-gfm does not: every literal `$` of the
source is swapped for a sentinel before rendering, so a `$` that reaches prose unescaped (not as
the `&#36;` entity, not in code) shows up in `math_delimiters`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

# Every element our templates and messages produce; anything else came from the repository.
OUR_ELEMENTS = frozenset({
    "p", "code", "pre", "strong", "em", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "details", "summary", "sub", "blockquote", "br", "hr",
})
# Links our texts may hold: rule documentation, advisories, CWE, bandit's documentation.
OUR_LINK_PREFIXES = ("https://osv.dev/", "https://cwe.mitre.org/", "https://bandit.readthedocs.io/",
                     "https://docs.aws.amazon.com/", "https://github.com/")
LIVE_MENTION = re.compile(r"(?<![\w`/.@-])@[A-Za-z0-9]")
MATH_SENTINEL = "\ue000MATH\ue000"


@dataclass
class Rendered:
    elements: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)          # text outside code, pre and links
    code: list[str] = field(default_factory=list)           # text of each code element

    @property
    def foreign_elements(self) -> set[str]:
        return set(self.elements) - OUR_ELEMENTS

    @property
    def live_mentions(self) -> list[str]:
        return [text for text in self.prose if LIVE_MENTION.search(text)]

    @property
    def math_delimiters(self) -> list[str]:
        """Prose that holds a `$` written as such in the source: GitHub may render it as math."""
        return [text for text in self.prose if MATH_SENTINEL in text]

    @property
    def foreign_links(self) -> list[str]:
        return [href for href in self.links if href and not href.startswith(OUR_LINK_PREFIXES)]

    def shows_in_code(self, value: str) -> bool:
        """Whether `value` is shown whole inside one code element (zero-width spaces aside)."""
        wanted = " ".join(value.split())
        return any(wanted in " ".join(text.replace("\u200b", "").split()) for text in self.code)


class _Reader(HTMLParser):
    def __init__(self, rendered: Rendered) -> None:
        super().__init__(convert_charrefs=True)
        self.rendered = rendered
        self.code_depth = 0
        self.link_depth = 0
        self.code_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.rendered.elements.append(tag)
        if tag in ("code", "pre"):
            if self.code_depth == 0:
                self.code_text = []
            self.code_depth += 1
        if tag == "a":
            self.link_depth += 1
            self.rendered.links.append(dict(attrs).get("href") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.rendered.elements.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre") and self.code_depth:
            self.code_depth -= 1
            if self.code_depth == 0:
                self.rendered.code.append("".join(self.code_text))
        if tag == "a" and self.link_depth:
            self.link_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.code_depth:
            self.code_text.append(data)
        elif not self.link_depth:
            self.rendered.prose.append(data)

    def handle_comment(self, data: str) -> None:
        self.rendered.comments.append(data)


def render(markdown_text: str) -> Rendered:
    rendered = Rendered()
    reader = _Reader(rendered)
    html = cmarkgfm.github_flavored_markdown_to_html(markdown_text.replace("$", MATH_SENTINEL),
                                                     options=Options.CMARK_OPT_UNSAFE)
    reader.feed(html)
    reader.close()
    # Code keeps its dollars; prose keeps the sentinel, which `math_delimiters` looks for.
    rendered.code = [text.replace(MATH_SENTINEL, "$") for text in rendered.code]
    return rendered
