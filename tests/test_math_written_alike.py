"""Forms a reader takes for the values they are (issue 11, round 13's MATH-500 rows): a value struck
through (``\\frac{1}{\\cancel{5}}``, ``\\cancelto{2}{8}``) is still the value of its product; two sides
written alike pair a letter's expression with the number in its place (``(z^5)^{3}`` beside
``(-1)^{3}`` says ``z^5 = -1``), so an exponent that alone gives the answer away (``[N]^8 = [N]^{2x}``)
is found; a hidden bare exponent renders braced. Each trace is built here."""

from __future__ import annotations

from smepo_data import Span, mask_text, render
from smepo_data.math._equations import read_equations
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


def test_an_exponent_that_alone_gives_the_answer_is_cut_by_hiding_its_power_whole():
    # exponents are the plan and are never hidden alone: 2^8 = 2^{2x} says 2x = 8 whatever the bases hide, so
    # the repair hides the power without the letter whole (its base and exponent together, `_powers.py`);
    # the row is then clean at `critical` (it was reported leaking at every level, and rejected, before)
    question = r"If $2^8=4^x$, what is the value of $x$?"
    trace = r"Rewrite $4$ as $2^2$. Since $2^8=2^{2x}$, we have $2x=8$, so $x=\boxed{4}$."
    r = mask_text("math", trace, question=question, answer="4")
    assert r.level == "critical" and r.leak is None
    assert "^8" not in r.text and "^{2x}" in r.text and "[EXPR]=[NUMBER]^{2x}" in r.text


def test_a_bare_exponent_or_subscript_renders_braced():
    text = "x^2 + a_1 = 10^3"
    spans = [Span(2, 3, "number", ""), Span(8, 9, "number", ""), Span(15, 16, "number", "")]
    assert render(text, spans) == "x^{[NUMBER]} + a_{[NUMBER]} = 10^{[NUMBER]}"
    assert render("x^{2}", [Span(3, 4, "number", "")]) == "x^{[NUMBER]}"  # braces there already


def test_a_side_beside_a_number_is_read_only_where_the_sides_are_written_alike():
    # (16 + 4x)(12 - x) = (16 + x)(12) is no term-by-term rewrite: 12 - x is not 12, so no pair is read
    reading = read_equations(r"Clearing, \[(16+[NUMBER]x)(12-x)=(16+x)(12).\]")
    assert not [eq for eq in reading.equations if eq.part]
    # 2^{n+1} beside 2^9 is: n + 1 is 9
    (pair,) = [eq for eq in read_equations(r"So $2^{n+1} = 2^9$.").equations if eq.part]
    assert {pair.left.tree[0], pair.right.tree[0]} == {"+", "n"}


# the sum is S in both equations: S written again with the 5 and 6 where n and n + 1 stood gives n = 5
SAME_LEFT = (
    r"The sum is $S = \frac{[NUMBER]^n-1}{[NUMBER]^{n+1}}$."
    "\n\n"
    r"We see that $S = \frac{[NUMBER]^5-1}{[NUMBER]^6}$, so $n=\boxed{[NUMBER]}$."
)


def test_two_results_of_one_left_side_are_read_term_by_term():
    question = r"The sum of the first $n$ terms is $\frac{121}{729}$. Find $n$."
    assert "constraints" in attack_names(question, SAME_LEFT, "5")
    assert not attack_names(question, SAME_LEFT, "4")
    cut = SAME_LEFT.replace("^5-1}{[NUMBER]^6}", "^{[NUMBER]}-1}{[NUMBER]^{[NUMBER]}}")
    assert not attack_names(question, cut, "5")


def test_a_sentence_that_factors_the_one_before_fixes_its_blanks():
    # x^2 + 2x - [N] = (x + [N])(x - 1) for every x: the blanks are 3 and 3, the roots 1 and -3
    masked = (
        r"Rearranging, $x^2 + 2x - [NUMBER] = 0$. This can be factored as $(x + [NUMBER])(x - 1) = 0$. "
        r"Since $x$ is negative, $x = \boxed{[NUMBER]}$."
    )
    assert "constraints" in attack_names("Find the negative $x$ with $x + 2 = 3/x$.", masked, "-3")
    cut = masked.replace("(x - 1)", "(x - [NUMBER])")
    assert not attack_names("Find the negative $x$ with $x + 2 = 3/x$.", cut, "-3")


def test_a_name_is_hidden_as_an_entity_never_as_a_number():
    question = "Which runner has the greatest average speed: Ann, Bea or Cy?"
    trace = (
        "Ann ran 10 km in 50 minutes and Bea ran 8 km in 50 minutes, so Ann is faster than Bea. Cy ran 6 km "
        r"in 60 minutes, so Ann is faster than Cy too. The answer is $\boxed{\text{Ann}}$."
    )
    r = mask_text("math", trace, question=question, answer=r"\text{Ann}")
    assert r.leak is None and "Ann" not in r.text
    assert r.text.startswith("[ENTITY] ran") and ", so [ENTITY] is faster" in r.text


def test_of_two_operands_alike_the_shorter_is_hidden():
    # both are question values, written once: hiding the 12 cuts the step as well as the 1500 would
    question = "A box holds 1500 sheets. How many sheets are in 12 boxes?"
    trace = "There are 1500*12 = <<1500*12=18000>>18000 sheets.\n#### 18000"
    r = mask_text("math", trace, question=question, answer="18000")
    assert r.text.startswith("There are 1500*[NUMBER] = <<1500*[NUMBER]=[NUMBER]>>[NUMBER]")
