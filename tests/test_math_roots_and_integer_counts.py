"""Two read-offs round 46 of the blind reading found (MATH-500 2015 and 2176), in the masker's attacks and in
the independent checker alike:

- a visible product of factors in one letter whose roots are the elements of a set answer (``(x+2)(x^2-2x-4)``
  beside ``\\{1\\pm\\sqrt{5},-2\\}``): a reader sets each factor to 0; not for a point, nor for the
  question's own product;
- a chain ``-1 \\le f(x) \\le 1`` the trace then says is an integer, where the question asks how many: the
  integers between the bounds are the values (3); not without the word, nor without a count asked.

Traces built here, shortened from the rows."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

ROOTS_Q = (
    "The four roots of $x^4+2x^3+2=0$ are $\\alpha_1, \\dots, \\alpha_4$. Determine the unordered set of ..."
)
ROOTS_GOLD = "\\{1\\pm\\sqrt{5},-2\\}"
ROOTS = (
    "We compute \\begin{eqnarray*}\nP(x) & = & x^3 - ⟦8|NUMBER⟧x - ⟦8|NUMBER⟧ \\\\\n"
    "& = & (x+2)(x^2-2x-4)\n\\end{eqnarray*}The roots of $P(x)$ are $⟦-2|NUMBER⟧$ and "
    "$1 \\pm \\sqrt{⟦5|NUMBER⟧}$, so the answer is $\\boxed{⟦\\{1\\pm\\sqrt{5},-2\\}|EXPR⟧}$."
)
COUNT_Q = (
    "Let $f(x)=\\left\\lfloor\\left(-\\frac58\\right)^x\\right\\rfloor$ for $x$ in $[0,\\infty)$. How many "
    "distinct values exist in the range of $f(x)$?"
)
COUNT = (
    "This tells us that $-1 \\le f(x) \\le 1$. Since the $f(x)$ must be an integer, the only possible "
    "distinct values are ⟦-1, 0, 1|EXPR⟧. This gives us a total of $\\boxed{⟦3|NUMBER⟧}$ values."
)


def _masked(template: str) -> str:
    """The template as the masked text (each ⟦original|PLACEHOLDER⟧ as its placeholder)."""
    import re

    return re.sub(r"⟦[^|⟧]*\|([A-Z_0-9]+)⟧", r"[\1]", template)


def test_a_visible_product_whose_roots_are_the_set_answer_leaks():
    found = attacks(ROOTS_Q, _masked(ROOTS), ROOTS_GOLD)
    assert any(f.attack == "equivalent_form" and "(x+2)(x^2-2x-4)" in f.detail for f in found)
    assert set(checker_leaks("roots", ROOTS_Q, ROOTS, ROOTS_GOLD)) == {"equivalent_form"}


def test_a_product_with_other_roots_a_point_or_the_questions_own_product_is_no_set_answer():
    other = ROOTS.replace("(x^2-2x-4)", "(x^2-2x-5)")
    assert not any(f.attack == "equivalent_form" for f in attacks(ROOTS_Q, _masked(other), ROOTS_GOLD))
    assert checker_leaks("roots_other", ROOTS_Q, other, ROOTS_GOLD) == {}
    point = "So $(x+2)(x-3) = 0$ and the point is $\\boxed{⟦(-2, 3)|EXPR⟧}$."
    assert attacks("Find the point.", _masked(point), "(-2, 3)") == []
    asked = "Solve $(x+2)(x-3) = 0$."
    listed = "So $(x+2)(x-3) = 0$ gives $x = \\boxed{⟦-2, 3|EXPR⟧}$."
    assert attacks(asked, _masked(listed), "-2, 3") == []


def test_the_masker_hides_the_products_values():
    trace = (
        "We compute \\begin{eqnarray*}\nP(x) & = & x^3 - 8x - 8 \\\\\n& = & (x+2)(x^2-2x-4)\n\\end{eqnarray*}"
        "The roots of $P(x)$ are $-2$ and $1 \\pm \\sqrt{5}$, so the answer is "
        "$\\boxed{\\{1\\pm\\sqrt{5},-2\\}}$."
    )
    r = mask_text("math", trace, question=ROOTS_Q, answer=ROOTS_GOLD)
    assert r.leak is None and "(x+2)(x^2-2x-4)" not in r.text
    assert "x^2-" in r.text  # the exponent and the operators stay


def test_an_integer_chain_counts_the_values_where_the_question_asks_how_many():
    found = attacks(COUNT_Q, _masked(COUNT), "3")
    assert [f.attack for f in found] == ["constraints"]
    assert "3 integers from -1 to 1" in found[0].detail
    assert set(checker_leaks("count", COUNT_Q, COUNT, "3")) == {"constraints"}


def test_no_count_without_the_word_integer_or_a_count_asked():
    positive = COUNT.replace("must be an integer", "must be positive")
    assert attacks(COUNT_Q, _masked(positive), "3") == []
    assert checker_leaks("count_positive", COUNT_Q, positive, "3") == {}
    largest = COUNT_Q.replace("How many distinct values exist in", "What is the largest value of")
    assert attacks(largest, _masked(COUNT), "3") == []
    assert checker_leaks("count_largest", largest, COUNT, "3") == {}


def test_the_masker_hides_a_bound_of_the_integer_chain():
    trace = (
        "This tells us that $-1 \\le f(x) \\le 1$. Since the $f(x)$ must be an integer, the only possible "
        "distinct values are $-1$, $0$ and $1$. This gives us a total of $\\boxed{3}$ values."
    )
    r = mask_text("math", trace, question=COUNT_Q, answer="3")
    assert r.leak is None and "-1 \\le f(x) \\le 1" not in r.text
    assert "\\le f(x) \\le" in r.text


def test_a_product_without_an_equation_and_the_questions_own_product():
    said = "The polynomial factors as $⟦x|EXPR⟧(x+1)(x-2)$, so the roots are $\\boxed{⟦0, -1, 2|EXPR⟧}$."
    visible = said.replace("⟦x|EXPR⟧", "x")
    assert {f.attack for f in attacks("Find the roots.", _masked(visible), "0, -1, 2")} == {"equivalent_form"}
    assert set(checker_leaks("factors_as", "Find the roots.", visible, "0, -1, 2")) == {"equivalent_form"}
    # the question's own product, in another order and written with \left( \right): reading it is the task
    asked = "Solve $\\left(x-2\\right)\\left(x+1\\right)x = 0$."
    assert attacks(asked, _masked(visible), "0, -1, 2") == []
    assert checker_leaks("factors_asked", asked, visible, "0, -1, 2") == {}


def test_a_chain_the_integer_sentence_does_not_name_counts_nothing():
    # "$k$ is an integer" is said of k, not of the question's 0 <= x <= pi: no count of x's integers
    q = "How many solutions does $\\sin 3x = 0$ have with $0 \\le x \\le \\pi$?"
    t = (
        "We need $0 \\le x \\le \\pi$. Then $3x = k\\pi$ where $k$ is an integer, so there are "
        "$\\boxed{⟦4|NUMBER⟧}$ solutions."
    )
    assert attacks(q, _masked(t), "4") == []
    assert checker_leaks("count_k", q, t, "4") == {}
