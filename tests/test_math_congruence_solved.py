"""A visible congruence in one letter, solved and bounded as a reader would (the ``congruence`` attack's
:func:`~smepo_data.math._congruence.least_solutions`). Every trace here is written for the test."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._congruence import least_solutions

MARBLES_Q = (
    "Sam splits his marbles into bags of 9 and has 4 left over. He has more than 100 marbles. "
    "What is the least number of marbles he can have?"
)


def found(question: str, masked: str, answer: str) -> list[str]:
    return [f.detail for f in least_solutions(question, masked, parse_gold(answer))]


def test_the_least_solution_above_a_visible_bound():
    masked = (
        r"Let $m$ be the number of marbles. Then $m \equiv 4 \pmod{9}$ and $m > 100$. The least such "
        r"number is $[NUMBER] + 9 \cdot [NUMBER] = \boxed{[NUMBER]}$."
    )
    (detail,) = found(MARBLES_Q, masked, "103")
    assert "the least solution, 103" in detail
    # the congruence or the bound cut: 4 is the least positive solution, 103 is no longer reached
    assert found(MARBLES_Q, masked.replace(r"\equiv 4", r"\equiv [NUMBER]"), "103") == []
    assert found(MARBLES_Q, masked.replace("m > 100", "m > [NUMBER]"), "103") == []
    # a blank inside the chain: the sides either side of it still say m = 4 (mod 9)
    chained = masked.replace(r"m \equiv 4", r"m \equiv [NUMBER] \equiv 4")
    assert found(MARBLES_Q, chained, "103")
    # the same bound in words
    worded = masked.replace("and $m > 100$", "and the count is greater than $100$")
    assert found(MARBLES_Q, worded, "103")
    # a bound that leaves another least solution reaches no gold
    assert found(MARBLES_Q, masked.replace("m > 100", "m > 110"), "103") == []


def test_a_linear_congruence_and_a_derived_bound_in_the_boxed_step():
    q = (
        "Three friends share some stamps with 2 more stamps from a fourth friend, so that five people get "
        "equal shares, and there are more than 40 stamps in all. What is the least number of stamps the "
        "three had?"
    )
    # 3k + 2 = 0 (mod 5) gives k = 1 (mod 5); 3k + 2 > 40 gives k >= 13; k = 16, and 16 * 3 = 48
    masked = (
        r"Each of the three has $k$ stamps, so $3k + 2 \equiv 0 \pmod{5}$. We want $3k + 2 > 40$, so "
        r"$k > \frac{40-2}{3}$. The least such $k$ is [NUMBER], so they had $[NUMBER] \cdot 3 = "
        r"\boxed{[NUMBER]}$ stamps."
    )
    (detail,) = found(q, masked, "48")
    assert "the least solution, 16, in the boxed step's blank gives the gold" in detail
    # the derived bound read off "\frac{40-2}{3}" alone does it too
    assert found(q, masked.replace("We want $3k + 2 > 40$, so ", ""), "48")
    # a boxed step with two blanks is not filled in
    two = masked.replace(r"$[NUMBER] \cdot 3 =", r"$[NUMBER] \cdot [NUMBER] =")
    assert found(q, two, "48") == []


def test_two_congruences_combine_and_the_question_asks_for_the_sum():
    q = (
        "A number n is below 60, leaves 2 when divided by 5 and 3 when divided by 4. Find the sum of all "
        "possible values of n."
    )
    masked = (
        r"So $n \equiv 2 \pmod{5}$ and $n \equiv 3 \pmod{4}$, and the solutions less than $60$ are "
        r"[NUMBER], [NUMBER] and [NUMBER], with sum $\boxed{[NUMBER]}$."
    )
    (detail,) = found(q, masked, "81")  # n = 7 (mod 20): 7 + 27 + 47
    assert "the sum of the solutions, 81" in detail
    # congruences that disagree say nothing
    assert found(q, masked.replace(r"\equiv 3 \pmod{4}", r"\equiv 3 \pmod{10}"), "81") == []
    # without the question asking for a sum, no sum is taken
    assert found(q.replace("the sum of all possible values", "the least value"), masked, "81") == []


def test_a_letter_written_as_a_linear_form_in_an_integer():
    q = "A number below 60 leaves 2 mod 5 and 3 mod 4. Find the sum of all possible values."
    masked = (
        r"The numbers are those of the form $n = 7 + 20 \cdot k$, where $k$ is an integer, so the solutions "
        r"less than $60$ are [NUMBER], [NUMBER] and [NUMBER], with sum $\boxed{[NUMBER]}$."
    )
    (detail,) = found(q, masked, "81")
    assert "the sum of the solutions, 81" in detail
    # only where the prose makes the other letter an integer
    assert found(q, masked.replace("is an integer", "is real"), "81") == []
    assert found(q, masked.replace("n = 7 +", "n = [NUMBER] +"), "81") == []


def test_congruences_in_words():
    q = "Find the least number above 30 that leaves 2 when divided by 5 and 3 when divided by 4."
    masked = (
        "We look for a number that is 2 more than a multiple of 5 and leaves a remainder of 3 when divided "
        r"by 4, greater than $30$: it is $\boxed{[NUMBER]}$."
    )
    (detail,) = found(q, masked, "47")
    assert "the number" in detail and "47" in detail
    assert found(q, masked.replace("2 more than", "[NUMBER] more than"), "47") == []
    # "3 less than a multiple of 4" is 1 (mod 4): 17 (mod 20), 37 then
    assert found(
        q, masked.replace("leaves a remainder of 3 when divided by 4", "3 less than a multiple of 4"), "37"
    )


def test_the_questions_own_congruence_is_the_task():
    q = r"What is the smallest positive integer $x$ such that $4x \equiv 3 \pmod{7}$?"
    masked = (
        r"We need $4x \equiv 3 \pmod{7}$. Multiplying by $2$, $x \equiv [NUMBER] \pmod 7$, so "
        r"$x = \boxed{[NUMBER]}$."
    )
    assert found(q, masked, "6") == []
    worded_q = (
        "Which number below 50 is 2 more than a multiple of 5 and 3 more than a multiple of 4, the greatest?"
    )
    worded = (
        "It is 2 more than a multiple of 5 and 3 more than a multiple of 4, less than $50$: "
        "$\\boxed{[NUMBER]}$."
    )
    assert found(worded_q, worded, "47") == []


def test_masking_cuts_the_reading():
    q = MARBLES_Q
    trace = (
        r"Let $m$ be the number of marbles. Then $m \equiv 4 \pmod{9}$ and $m > 100$. Since "
        r"$9 \cdot 11 = 99$, the least such number is $4 + 9 \cdot 11 = \boxed{103}$."
    )
    out = mask_text("math", trace, question=q, answer="103", level="critical")
    assert out.leak is None
    assert found(q, out.text, "103") == []
    # the attack drove the repair, and it cut the congruence at a copy of a question value
    assert any("(congruence)" in span.reason for span in out.spans)
    assert r"m \equiv [NUMBER] \pmod{9}" in out.text


def test_long_texts_are_read_in_linear_time():
    # "x=" before a long run of letters with no separator was quadratic in the text (4 s at 20 KB) when the
    # linear form was searched in the prose; it is read inside formulas only, of 200 characters at most
    for text in (
        "x=" + "a b " * 50_000 + " an integer",
        "$x = " + "a+" * 50_000 + "$ for an integer",
        "5 more than a multiple of " * 8_000,
        r"$x \equiv 1 \pmod{7}$ and " + "greater than 5 " * 10_000,
        "$" + r" \equiv ".join(["x"] * 4_000) + r" \pmod{7}$",  # a long chain that solves nothing
    ):
        assert found("Find the sum of all possible values.", text + r" \equiv", "12345") == []


def test_a_residue_counts_only_where_the_question_asks_for_it():
    # a = 2k + 1 gives a = 1 (mod 2): 1 is also the gold, a^2 mod 8, by coincidence (found by a review)
    q = r"Let $a$ be an odd integer. What is the remainder when $a^2$ is divided by $8$?"
    trace = (
        r"Write $a = 2k + 1$ for some integer $k$. Then $a^2 = 4k^2 + 4k + 1 = 4k(k+1) + 1$. Since "
        r"$k(k+1)$ is even, $4k(k+1)$ is a multiple of $8$, so the remainder is $\boxed{1}$."
    )
    assert found(q, trace.replace(r"\boxed{1}", r"\boxed{[NUMBER]}"), "1") == []
    out = mask_text("math", trace, question=q, answer="1", level="critical")
    assert out.level == "critical" and out.leak is None
    # the least residue where the question names the modulus as one
    inverse = r"We need $n$ with $17 \cdot n \equiv 1 \pmod{83}$, so $n \equiv \boxed{[NUMBER]} \pmod{83}$."
    assert found(r"Compute $17^{-1} \pmod{83}$.", inverse, "44")
    assert found(r"Compute the inverse of 17.", inverse, "44") == []


def test_the_questions_own_condition_in_another_spelling_is_the_task():
    q = r"What is the smallest positive integer $x$ such that $4x \equiv 3 \pmod 7$?"
    for own in (r"$4x \equiv 3 \pmod{7}$", r"$4x \equiv 3 \pmod{7}.$", r"$x \equiv 6 \pmod 7$"):
        assert found(q, f"We solve {own} The answer is $\\boxed{{[NUMBER]}}$.", "6") == [], own
    q = "Find the least number above 30 that leaves a remainder of 4 when divided by 9."
    for own in ("has a remainder of 4 when divided by 9", "leaves a remainder of 4 when it is divided by 9"):
        assert found(q, f"It {own} and is greater than $30$: $\\boxed{{[NUMBER]}}$.", "31") == [], own
    # n = 6k + 4 restates the question's n = 4 (mod 6)
    q = r"If $n \equiv 4 \pmod 6$, what is the remainder when $n^2$ is divided by $6$?"
    trace = r"Write $n = 6k + 4$ for an integer $k$: $n^2 = 36k^2 + 48k + 16$, so $\boxed{[NUMBER]}$."
    assert found(q, trace, "4") == []


def test_bounds_in_words_negated_or_with_equality():
    from smepo_data.math._congruence import _bounds

    assert _bounds("no more than 50", "") == ([], [50])
    assert _bounds("not less than $100$", "") == ([100], [])
    assert _bounds("greater than or equal to 101", "") == ([101], [])
    assert _bounds("fewer than 20 and at least 3", "") == ([3], [19])
    # a bound in words names no letter: it bounds the number looked for, not an integer of a linear form
    assert _bounds("greater than $100$", "k", words=False) == ([], [])


def test_a_form_only_linear_at_three_points_is_none():
    # n(n-1)(n-2) + 3n is 3n at 0, 1 and 2 (found by a review): 3 is no solution of it = 2 (mod 7)
    masked = r"We need $n(n-1)(n-2) + 3n \equiv 2 \pmod{7}$, so $n = \boxed{[NUMBER]}$."
    assert found("Find the least positive n.", masked, "3") == []


def test_a_bound_on_the_integer_of_a_linear_form_bounds_the_letter():
    masked = (
        r"So $m = 9k + 4$ with $k \in \mathbb{Z}$, and we need $9k + 4 > 100$, so $k > \frac{96}{9}$, that "
        r"is $k \ge [NUMBER]$. The least is $9 \cdot [NUMBER] + 4 = \boxed{[NUMBER]}$."
    )
    (detail,) = found(MARBLES_Q, masked, "103")
    assert "the least solution, 103" in detail
    # a bound in words is the letter's, not its integer's (k > 100 would give 913)
    worded = r"So $m = 9k + 4$ for some integer $k$; the least greater than $100$ is $\boxed{[NUMBER]}$."
    (detail,) = found(MARBLES_Q, worded, "103")
    assert "the least solution, 103" in detail


def test_numbers_past_what_python_reads_are_no_bound_nor_modulus():
    big = "1" * 5000
    masked = (
        rf"So $m \equiv 4 \pmod{{9}}$, greater than {big}, and $m \equiv 1 \pmod{{{big}}}$: "
        r"$\boxed{[NUMBER]}$."
    )
    assert found(MARBLES_Q, masked, "103") == []
