"""ansi_to_html: every supported code, combinations, unknown codes and escaping."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from fasthx_ui.ansi import ANSI_COLOURS, ansi_to_html, strip_ansi

ESC = "\x1b"


class _Balance(HTMLParser):
    """Checks that every span opened is closed, and that spans never nest."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.max_depth = 0

    def handle_starttag(self, tag, attrs):
        assert tag == "span"
        self.depth += 1
        self.max_depth = max(self.max_depth, self.depth)

    def handle_endtag(self, tag):
        assert tag == "span"
        self.depth -= 1
        assert self.depth >= 0


def balanced(html: str) -> bool:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    return parser.depth == 0 and parser.max_depth <= 1


@pytest.mark.parametrize("offset", range(8))
def test_standard_colours(offset):
    html = ansi_to_html(f"{ESC}[{30 + offset}mtext{ESC}[0m")
    assert html == f'<span class="ansi-{ANSI_COLOURS[offset]}">text</span>'


@pytest.mark.parametrize("offset", range(8))
def test_bright_colours(offset):
    html = ansi_to_html(f"{ESC}[{90 + offset}mtext{ESC}[0m")
    assert html == f'<span class="ansi-bright-{ANSI_COLOURS[offset]}">text</span>'


@pytest.mark.parametrize(("code", "css"), [(1, "ansi-bold"), (3, "ansi-italic"), (4, "ansi-underline")])
def test_styles(code, css):
    assert ansi_to_html(f"{ESC}[{code}mx{ESC}[0my") == f'<span class="{css}">x</span>y'


def test_result_is_markup():
    assert isinstance(ansi_to_html("plain"), Markup)
    assert ansi_to_html("plain") == "plain"


def test_combined_codes_in_one_sequence():
    html = ansi_to_html(f"{ESC}[1;31mErrors: 0{ESC}[0m")
    assert html == '<span class="ansi-red ansi-bold">Errors: 0</span>'


def test_reference_example():
    html = ansi_to_html(f"{ESC}[32mSuccess{ESC}[0m — {ESC}[1;31mErrors: 0{ESC}[0m")
    assert html == (
        '<span class="ansi-green">Success</span> — '
        '<span class="ansi-red ansi-bold">Errors: 0</span>'
    )


def test_styles_accumulate_across_sequences():
    html = ansi_to_html(f"{ESC}[1mA{ESC}[4mB{ESC}[34mC{ESC}[mD")
    assert html == (
        '<span class="ansi-bold">A</span>'
        '<span class="ansi-bold ansi-underline">B</span>'
        '<span class="ansi-blue ansi-bold ansi-underline">C</span>D'
    )


def test_empty_sequence_means_reset():
    assert ansi_to_html(f"{ESC}[31mred{ESC}[mplain") == '<span class="ansi-red">red</span>plain'


def test_off_codes():
    html = ansi_to_html(f"{ESC}[1;3;4;35mA{ESC}[22mB{ESC}[23mC{ESC}[24mD{ESC}[39mE")
    assert html == (
        '<span class="ansi-magenta ansi-bold ansi-italic ansi-underline">A</span>'
        '<span class="ansi-magenta ansi-italic ansi-underline">B</span>'
        '<span class="ansi-magenta ansi-underline">C</span>'
        '<span class="ansi-magenta">D</span>E'
    )


def test_unclosed_style_is_closed_at_the_end():
    html = ansi_to_html(f"{ESC}[36mno reset")
    assert html == '<span class="ansi-cyan">no reset</span>'
    assert balanced(html)


def test_unknown_codes_are_ignored_and_removed():
    assert ansi_to_html(f"{ESC}[5mblink{ESC}[41mbg{ESC}[0m") == "blinkbg"
    assert ansi_to_html(f"{ESC}[7;32mx") == '<span class="ansi-green">x</span>'


def test_extended_colour_arguments_are_not_read_as_codes():
    # 38;5;1 is a 256-colour red, not "bold"; 38;2;3;4;1 is true colour, not "italic".
    assert ansi_to_html(f"{ESC}[38;5;1mx") == "x"
    assert ansi_to_html(f"{ESC}[38;2;3;4;1mx") == "x"
    assert ansi_to_html(f"{ESC}[38;5;200;1mx") == '<span class="ansi-bold">x</span>'


def test_other_escape_sequences_are_stripped():
    text = f"a{ESC}[2Kb{ESC}[10;5Hc{ESC}]0;window title\x07d{ESC}7e{ESC}"
    assert ansi_to_html(text) == "abcde"
    assert strip_ansi(text) == "abcde"


def test_no_empty_spans():
    html = ansi_to_html(f"{ESC}[31m{ESC}[32m{ESC}[1m{ESC}[0m{ESC}[33mx{ESC}[0m{ESC}[34m")
    assert html == '<span class="ansi-yellow">x</span>'


def test_text_is_escaped_before_colouring():
    html = ansi_to_html(f"{ESC}[31m<script>alert('x')</script>{ESC}[0m & \"q\"")
    assert "<script>" not in html
    assert html == (
        '<span class="ansi-red">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</span>'
        " &amp; &#34;q&#34;"
    )


def test_escape_sequence_cannot_smuggle_markup():
    # A fake "parameter" made of markup is not a sequence: it stays escaped text.
    html = ansi_to_html(f'{ESC}[<img src=x onerror=alert(1)>m')
    assert "<img" not in html
    assert "&lt;img" in html


def test_markup_input_is_trusted_and_plain_strings_are_not():
    assert ansi_to_html(Markup(f"<b>x</b>{ESC}[32my")) == '<b>x</b><span class="ansi-green">y</span>'
    assert ansi_to_html("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_many_random_mixes_stay_balanced():
    pieces = [f"{ESC}[{code}m" for code in (0, 1, 3, 4, 22, 31, 92, 39, 5, "")] + ["t", "<", "\n"]
    for start in range(len(pieces)):
        text = "".join(pieces[(start + step * 7) % len(pieces)] for step in range(40))
        html = ansi_to_html(text)
        assert balanced(html)
        assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<") == strip_ansi(text)
