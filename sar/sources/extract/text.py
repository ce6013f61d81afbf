"""Plain text and HTML: decoded safely and typeset.

Text encodings are detected by ``charset-normalizer`` (MIT) when the bytes are not UTF-8.
HTML is read as text with Beautiful Soup (MIT) and the standard library's parser: scripts,
styles and hidden head content are dropped, nothing is fetched or run.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

# Single-byte Latin code pages are indistinguishable on short texts (charset-normalizer calls a note
# with "Zoë" Baltic); a UK council's legacy files are Windows-1252, so that wins whenever it fits.
_LATIN_GUESSES = ("cp125", "iso8859", "latin", "mac_", "cp437", "cp850")
_BLANKS = re.compile(r"\n[ \t\u00a0]*(\n[ \t\u00a0]*)+")
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "hr"}


def decode(data: bytes) -> str:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 4 * 1024 * 1024]).best()
    if best is not None and not best.encoding.startswith(_LATIN_GUESSES):
        return data.decode(best.encoding, "replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode(best.encoding if best is not None else "cp1252", "replace")


def html_to_text(html: str) -> tuple[str, str]:
    """(title, text) of an HTML document, laid out with a line per block."""
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "head", "noscript", "template", "iframe", "object", "embed"]):
        tag.decompose()
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text("")
    text = "\n".join(line.strip() for line in text.splitlines())
    return title, _BLANKS.sub("\n\n", text).strip()
