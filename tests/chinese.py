"""What a Chinese reader sees, and the English words and codes in it.

Used by the zh-hans page walks (``tests/security/authz/test_chinese_pages.py``,
``tests/dualcheck/test_chinese_pages.py``): the visible text of an HTML answer
(the text between the tags, and the attributes a reader meets — ``title``,
``placeholder``, ``aria-label``, ``alt``; never scripts, styles or other attribute
values; nor what is marked ``translate="no"`` — identifiers such as a username, which
are the same in every language), and the words in it that a Chinese page must not show: an ASCII word of
three letters or more outside ``ALLOWED``, an UPPER_SNAKE code, a raw ISO time."""

import re
from html.parser import HTMLParser

# ASCII words a Chinese page may show, each for a reason:
ALLOWED = frozenset(
    {
        "English",  # the language switch names the language to choose in that language
        "PDF",  # file formats a clerk knows by these names (打印 PDF, 导出 Excel, Word 文书)
        "Excel",
        "Word",
        "CSV",  # the bank's statement file, as banks' internet banking names the download
        "API",  # 接口 (API) documents and clients of other court systems
        "CNY",  # ISO 4217, on money shown to finance
    }
)
READ_ATTRIBUTES = frozenset({"title", "placeholder", "aria-label", "alt"})
HIDDEN_ELEMENTS = frozenset({"script", "style", "template", "noscript"})
VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "wbr", "area", "col", "source"})

# (a word after a dot is a file's type: 导出 …-1000.xlsx, 附件 材料.txt)
WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z]{3,}(?![A-Za-z0-9_])")
UPPER_SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
ISO_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.opaque: list = []  # [tag, depth] of an open translate="no" element

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden += 1
        if self.opaque and tag == self.opaque[0]:
            self.opaque[1] += 1
        elif not self.opaque and dict(attrs).get("translate") == "no" and tag not in VOID:
            self.opaque = [tag, 1]
        if tag == "input" and dict(attrs).get("type") == "hidden":
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
        # a submit button's label is its value
        if tag == "input" and dict(attrs).get("type") in ("submit", "button") and dict(attrs).get("value"):
            self.parts.append(dict(attrs)["value"])

    def handle_startendtag(self, tag, attrs):
        if tag not in HIDDEN_ELEMENTS:  # <x/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden:
            self.hidden -= 1
        if self.opaque and tag == self.opaque[0]:
            self.opaque[1] -= 1
            if not self.opaque[1]:
                self.opaque = []

    def handle_data(self, data):
        if not self.hidden and not self.opaque and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def foreign_words(text: str) -> list[str]:
    """The English words and codes in ``text`` a Chinese reader should not meet, in
    order of appearance, each once."""
    found: list[str] = []
    for pattern in (UPPER_SNAKE, ISO_TIME):
        found += pattern.findall(text)
    found += [w for w in WORD.findall(text) if w not in ALLOWED]
    return list(dict.fromkeys(found))


def context_of(text: str, word: str, width: int = 30) -> str:
    at = text.find(word)
    return text[max(0, at - width) : at + len(word) + width].replace("\n", " ⏎ ")
