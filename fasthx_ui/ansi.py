"""ANSI escape codes to HTML: terminal colours become CSS classes the Console styles.

The text is HTML-escaped before any colouring, so whatever a program prints (a
``<script>`` included) stays text. Supported SGR codes: 30–37 and 90–97 (foreground),
1 bold, 3 italic, 4 underline, 0 reset, plus their "off" codes 22, 23, 24 and 39.
Every other escape sequence is removed from the output.
"""

import re

from markupsafe import Markup, escape

__all__ = ["ansi_to_html", "strip_ansi", "ANSI_COLOURS"]

ANSI_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")

# CSI sequences (ESC [ params final), OSC sequences (ESC ] ... BEL or ESC \),
# two-character escapes, then any stray ESC left over.
_ESCAPE = re.compile(
    r"\x1b\[(?P<params>[0-9;:?]*)(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[0-~]?"
)


class _Style:
    """The SGR state between two escape sequences."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.colour: str | None = None
        self.bold = False
        self.italic = False
        self.underline = False

    def classes(self) -> list[str]:
        found = [self.colour] if self.colour else []
        if self.bold:
            found.append("ansi-bold")
        if self.italic:
            found.append("ansi-italic")
        if self.underline:
            found.append("ansi-underline")
        return found

    def apply(self, params: str) -> None:
        """Update the state from the parameters of one ``ESC[...m`` sequence."""
        codes = [int(p) if p.isdigit() else 0 for p in re.split(r"[;:]", params)]
        index = 0
        while index < len(codes):
            code = codes[index]
            index += 1
            if code == 0:
                self.reset()
            elif code == 1:
                self.bold = True
            elif code == 3:
                self.italic = True
            elif code == 4:
                self.underline = True
            elif code == 22:
                self.bold = False
            elif code == 23:
                self.italic = False
            elif code == 24:
                self.underline = False
            elif code == 39:
                self.colour = None
            elif 30 <= code <= 37:
                self.colour = f"ansi-{ANSI_COLOURS[code - 30]}"
            elif 90 <= code <= 97:
                self.colour = f"ansi-bright-{ANSI_COLOURS[code - 90]}"
            elif code in (38, 48) and index < len(codes):
                # 256-colour (5;n) and true-colour (2;r;g;b) arguments are skipped whole,
                # so that their numbers are not read as codes of their own.
                index += 2 if codes[index] == 5 else 4 if codes[index] == 2 else 0


def ansi_to_html(text: str) -> Markup:
    """Return ``text`` escaped, with its SGR colours and styles as ``<span class="ansi-…">``.

    A ``Markup`` argument is taken as trusted HTML and not escaped again, as everywhere
    with markupsafe; plain strings are always escaped.
    Spans never nest and never come out empty: a span opens just before text in a new
    style and the last one is closed at the end, so the result is always well-formed.
    """
    source = str(escape(text))
    style = _Style()
    parts: list[str] = []
    open_classes: list[str] = []

    def add_text(chunk: str) -> None:
        nonlocal open_classes
        if not chunk:
            return
        classes = style.classes()
        if classes != open_classes:
            if open_classes:
                parts.append("</span>")
            if classes:
                parts.append(f'<span class="{" ".join(classes)}">')
            open_classes = classes
        parts.append(chunk)

    position = 0
    for match in _ESCAPE.finditer(source):
        add_text(source[position : match.start()])
        position = match.end()
        if match["final"] == "m":
            style.apply(match["params"])
    add_text(source[position:])
    if open_classes:
        parts.append("</span>")
    return Markup("".join(parts))


def strip_ansi(text: str) -> str:
    """Return ``text`` without any escape sequence (for logs, exports and plain-text views)."""
    return _ESCAPE.sub("", text)
