"""Forms a reader takes for the values they are (issue 11, round 13's MATH-500 rows): a value struck
through (``\\frac{1}{\\cancel{5}}``, ``\\cancelto{2}{8}``) is still the value of its product; two sides
written alike pair a letter's expression with the number in its place (``(z^5)^{3}`` beside
``(-1)^{3}`` says ``z^5 = -1``); and an exponent that alone gives the answer away (``[N]^8 = [N]^{2x}``)
is hidden, braced, rather than the row given up. Each trace is built here."""

from __future__ import annotations

from smepo_data import Span, mask_text, render
from smepo_data.math.attacks import attacks


def attack_names(question: str, masked: str, answer: str) -> set[str]:
    return {f.attack for f in attacks(question, masked, answer)}


QUESTION = r"Simplify $\frac{1}{3}\cdot \frac{9}{7}\div \frac{10}{4}$."
# the first product's operands are hidden; the struck-through one shows them all: 1/3 * 9/7 * 4/10 = 6/35
STRUCK = (
    r"We get $[EXPR]\cdot [EXPR]\cdot [EXPR] = \frac{1}{\cancel{3}}\cdot \frac{\cancelto{[NUMBER]}{9}}{7}"
    r"\cdot \frac{\cancelto{[NUMBER]}{4}}{\cancelto{[NUMBER]}{10}} = \boxed{[EXPR]}$."
)


def test_a_value_struck_through_is_still_read():
    assert attack_names(QUESTION, STRUCK, r"\frac{6}{35}")
    assert not attack_names(QUESTION, STRUCK, r"\frac{5}{35}")
    cut = STRUCK.replace(r"\frac{1}{\cancel{3}}", r"\frac{1}{\cancel{[NUMBER]}}")
    assert not attack_names(QUESTION, cut, r"\frac{6}{35}")


def test_the_masker_cuts_a_product_written_again_with_strikes():
    trace = (
        r"We get $\frac{1}{3}\cdot \frac{9}{7}\cdot \frac{4}{10} = \frac{1}{\cancel{3}}\cdot "
        r"\frac{\cancelto{3}{9}}{7}\cdot \frac{\cancelto{2}{4}}{\cancelto{5}{10}} = "
        r"\frac{1\cdot 3\cdot 2}{7\cdot 5} = \boxed{\frac{6}{35}}$."
    )
    r = mask_text("math", trace, question=QUESTION, answer=r"\frac{6}{35}")
    assert r.leak is None
    struck = r.text.split("=")[1]  # the member with the strikes: no longer all visible
    assert r"\cancel{3}" in struck and "[NUMBER]" in struck


# z^5 is hidden where the trace solves for it; the last line writes (z^5)^3 twice, once with a blank in
# its place and once with the -1 itself: term by term, z^5 is -1 and the blank too, so the sum is -2
ALIKE = (
    r"This gives us $z^5 = [NUMBER].$ Therefore"
    "\n"
    r"\[z^{15} + \frac{1}{z^{15}} = (z^5)^{3} + \frac{1}{(z^5)^{3}} = ([NUMBER])^{3} + \frac{1}{(-1)^{3}}"
    r" = \boxed{[NUMBER]}.\]"
)


def test_two_sides_written_alike_pair_an_expression_with_the_number_in_its_place():
    question = r"Find $z^{15} + \frac{1}{z^{15}}$ if $z^5 + 1 = 0$."
    assert attack_names(question, ALIKE, "-2")
    assert not attack_names(question, ALIKE, "-3")
    cut = ALIKE.replace(r"\frac{1}{(-1)^{3}}", r"\frac{1}{([NUMBER])^{3}}")
    assert not attack_names(question, cut, "-2")


def test_an_exponent_that_alone_gives_the_answer_is_hidden_braced():
    question = r"If $2^8=4^x$, what is the value of $x$?"
    trace = r"Rewrite $4$ as $2^2$. Since $2^8=2^{2x}$, we have $2x=8$, so $x=\boxed{4}$."
    r = mask_text("math", trace, question=question, answer="4")
    assert r.leak is None and r.level == "critical"  # the row stays at the level asked for
    assert "^8" not in r.text and "^{[NUMBER]}" in r.text  # braced: ^[NUMBER] would raise only the [
    assert "2^{2x}" in r.text or "^{2x}" in r.text  # the other exponents stay


def test_a_bare_exponent_or_subscript_renders_braced():
    text = "x^2 + a_1 = 10^3"
    spans = [Span(2, 3, "number", ""), Span(8, 9, "number", ""), Span(15, 16, "number", "")]
    assert render(text, spans) == "x^{[NUMBER]} + a_{[NUMBER]} = 10^{[NUMBER]}"
    assert render("x^{2}", [Span(3, 4, "number", "")]) == "x^{[NUMBER]}"  # braces there already
