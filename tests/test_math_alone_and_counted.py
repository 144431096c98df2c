"""Routes to the answer that no equation shows (issue 11, round 14's MATH-500 rows), each found by the
audit and cut by the masker, on traces built here:
- a computation of visible numbers a math segment holds alone (``$1+2+3-(4+5+6)$``, then "This simplifies
  to ..."): one operand goes; a slash fraction equal to a whole gold ("6/6" for 1) is a division at sight;
- a list whose length is the count the question asks ("2, [NUMBER], ..., and 24, so we have 7"): its
  inner items go as one span (the whole list when it has three);
- a multiple-choice option stated by its content ("a hyperbola" for ``(E) Hyperbola``): the content goes;
- a name the question lists, the only one the masked trace leaves out: a second name goes too."""

from __future__ import annotations

import pytest

from smepo_data import mask_text
from smepo_data.math._counted import items
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks


def attack_names(question: str, masked: str, answer: str) -> set[str]:
    return {f.attack for f in attacks(question, masked, answer)}


PARENS = "What is the least value $1 + 2 + 3 - 4 + 5 + 6$ can take if parentheses are added?"
ALONE = (
    r"It is least with $1+2+3-(4+5+6)$. This simplifies to $1+2+3-[NUMBER] = 6-[NUMBER]=\boxed{[NUMBER]}$."
)


def test_a_computation_alone_in_its_segment_is_replayed():
    assert "replay" in attack_names(PARENS, ALONE, "-9")
    assert "replay" not in attack_names(PARENS, ALONE, "-8")
    cut = ALONE.replace("(4+5+6)", "([NUMBER]+5+6)")
    assert not attack_names(PARENS, cut, "-9")


@pytest.mark.parametrize(
    ("masked", "gold"),
    [
        ("They have twice that number, so we multiply 4*2 to find [NUMBER] legs.", "8"),
        ("She eats 40 eggs / 10 eggs each week, so it lasts [NUMBER] weeks.", "4"),
        ("His total payout would be 2*$15 + 8*$20\nThis totals $[NUMBER].", "190"),
        ("So he must have lost 49.5 pounds total loss – 37.5 pounds in the fifth month.", "12"),
        ("Each box holds 5 x 4 = [NUMBER] cakes, and 6 x 5 boxes more.", "30"),
        ("She spends 2*$15 + 8*$20.\nThat is $[NUMBER].", "190"),
        ("Together they pay $1,500 + $2,000, which is $[NUMBER].", "3500"),
    ],
    ids=["product", "division_with_units", "currency", "dash_minus_with_words", "x_times", "period", "comma"],
)
def test_a_computation_the_prose_writes_alone_is_replayed(masked, gold):
    assert "replay" in attack_names("How many are there?", masked, gold)


@pytest.mark.parametrize(
    ("masked", "gold"),
    [
        # the part of a longer step is no computation of its own; the step's equation is read elsewhere
        ("They need [NUMBER] tickets + 4 tickets + 4 tickets in all.", "8"),
        ("They use 2 grams + 3 grams + 2 grams = <<2+3+2=[NUMBER]>>[NUMBER] grams.", "5"),
        ("So [NUMBER] * 10 orange flowers, and 10 more.", "10"),
        # a range and a phrase are no subtraction or division
        ("It takes 3-4 days, and the shop is open 24/7.", "-1"),
        # the question's own computation is the task
        ("We need 4*2 to find [NUMBER] legs.", "8"),
        # brackets, a percent, a LaTeX operator, a time or a range around it make it part of more
        ("It is (3 + 4) * 2 = [NUMBER] in all.", "7"),
        ("She saved 200 x 10% on it, so [NUMBER].", "2000"),
        ("it was 3 + 4 \\cdot 2, so [NUMBER].", "7"),
        ("It took 3:00 + 2 hours, so [NUMBER].", "2"),
        ("Ages 3 + 4-5 years, so [NUMBER].", "7"),
    ],
    ids=[
        "inside_a_longer_sum",
        "before_an_equals",
        "blank_operand_before",
        "range_and_phrase",
        "question_s_own",
        "brackets",
        "percent",
        "latex_operator",
        "time",
        "range_after",
    ],
)
def test_what_is_no_computation_of_its_own_is_not_replayed(masked, gold):
    assert "replay" not in attack_names("What is 4*2 for the legs?", masked, gold)


SPIDER = "A spider has 4 pairs of legs. How many legs?"


def test_the_masker_cuts_a_computation_the_prose_writes():
    trace = "Spiders have 8 legs, and they have twice that number, so we multiply 4*2 to find 8 legs.\n#### 8"
    r = mask_text("math", trace, question=SPIDER, answer="8", level="answer")
    assert r.leak is None
    assert "multiply [NUMBER]*2 to find" in r.text  # the copy of the question's 4 goes
    assert not attack_names(SPIDER, r.text, "8")


def test_a_value_as_written_or_the_question_s_own_expression_is_no_computation_alone():
    # the question writes the expression: evaluating it is the task
    question = r"Compute $2 \cdot \left(\frac{2}{3}\right)^{3}$."
    masked = (
        r"We want $2 \cdot \left(\frac{2}{3}\right)^{3}$, which is $[NUMBER] \cdot [EXPR] = \boxed{[EXPR]}$."
    )
    assert "replay" not in attack_names(question, masked, r"\frac{16}{27}")
    # "$-9$" or "$2\sqrt{5}$" are values as written (visible_value's, with its own exemptions), not steps
    assert "replay" not in attack_names("Find m.", r"Then $m$ is one of $-9$ and $[NUMBER]$.", "-9")
    assert "replay" not in attack_names(
        "Find d.", r"The distance is $2\sqrt{5}$, not $[EXPR]$.", r"2\sqrt{5}"
    )


def test_the_masker_cuts_a_computation_alone():
    trace = (
        "Subtraction is not associative, so we subtract as much as we can: $1+2+3-(4+5+6)$. "
        r"This simplifies to $1+2+3-15 = 6-15=\boxed{-9}$."
    )
    r = mask_text("math", trace, question=PARENS, answer="-9", level="critical")
    assert r.leak is None
    assert "$1+2+3-(4+5+6)$" not in r.text  # an operand of it is hidden
    assert "+" in r.text.split("This")[0] and "-(" in r.text  # its operators stay
    assert not attack_names(PARENS, r.text, "-9")


COUNT = r"For how many positive integers $n>1$ is $2^{24}$ a perfect $n^{\text{th}}$ power?"
LISTED = (
    "The factors of 24 which are greater than 1 are 2, [NUMBER], [NUMBER], [NUMBER], [NUMBER], [NUMBER], "
    r"and 24, so we have $\boxed{[NUMBER]}$ possible values of $n$."
)


def test_a_list_as_long_as_the_count_asked_is_counted():
    assert "counted" in attack_names(COUNT, LISTED, "7")
    assert "counted" not in attack_names(COUNT, LISTED, "6")  # another length
    not_a_count = COUNT.replace("For how many positive integers", "For the least integer")
    assert "counted" not in attack_names(not_a_count, LISTED, "7")
    # items as math segments, joined by \quad in a display, count too
    quads = r"Our final list is $$1 \quad [NUMBER] \quad [NUMBER] \quad [NUMBER] \quad [NUMBER].$$"
    assert "counted" in attack_names("How many factors does it have?", quads, "5")


def test_a_list_inside_one_formula_is_counted_and_its_inner_items_hidden():
    question = "How many positive divisors does 12 have?"
    trace = (
        r"Each divisor is $2^a 3^b$, so it can be $1, 2^1, 2^2, 3, 2^1\cdot 3,\text{ or }2^2\cdot 3$; that "
        r"is $\boxed{6}$ divisors."
    )
    masked = trace.replace(r"\boxed{6}", r"\boxed{[NUMBER]}")
    assert "counted" in attack_names(question, masked, "6")
    assert "counted" not in attack_names(question, masked.replace(", 3,", ","), "6")
    # letters name quantities of the plan, no values to count
    letters = r"Let $t, s, g$ be the weights, so one squig weighs $\boxed{[NUMBER]}$ treeks."
    assert "counted" not in attack_names("How many treeks weigh as much as a squig?", letters, "3")
    r = mask_text("math", trace, question=question, answer="6", level="critical")
    assert r.leak is None
    assert r"it can be $1, [EXPR],\text{ or }" in r.text  # three items to count, not six


def test_an_item_with_a_sign_choice_counts_twice():
    # MATH-500 1422 (round 57): "\\pm 1, \\ \\pm \\frac{1}{2}" in a display lists four possible roots
    question = "Find the number of different possible rational roots of $2x^4 + a_3 x^3 + 1 = 0$."
    masked = (
        "Thus, the possible rational roots are\n\\[\\pm 1, \\ \\pm \\frac{1}{2}.\\]Thus, there are "
        "$\\boxed{[NUMBER]}$ possible rational roots."
    )
    assert "counted" in attack_names(question, masked, "4")
    assert "counted" not in attack_names(question, masked, "2")  # the items, not the values
    assert "counted" in attack_names(question, masked.replace("\\[", "$").replace(".\\]", ".$"), "4")
    assert "counted" not in attack_names(question, masked.replace("\\pm \\frac", "\\frac"), "4")  # 3 values
    assert "counted" in attack_names(question, masked.replace("\\pm \\frac", "\\frac"), "3")
    assert "counted" in attack_names(question, "It is one of $1, -1, 2, \\pm 3$: $[NUMBER]$ values.", "5")
    # the checker's own count
    template = masked.replace("[NUMBER]", "⟦4|NUMBER⟧")
    assert "counted" in checker_leaks("pm", question, template, "4")
    assert not checker_leaks("pm", question, template.replace("\\pm \\frac", "\\frac"), "4")
    trace = masked.replace("[NUMBER]", "4")
    r = mask_text("math", trace, question=question, answer="4", level="critical")
    assert r.leak is None and "counted" not in attack_names(question, r.text, "4")
    assert "\\[\\pm [EXPR].\\]" in r.text  # both values, the sign kept: two values or more
    # a longer list keeps its ends, each sign with a value (none left alone at a span's edge)
    q8 = "Find the number of possible rational roots of $x^4 + a x^2 + 6 = 0$."
    listed = "The candidates are $\\pm 1, \\pm 2, \\pm 3, \\pm 6$. So there are $\\boxed{8}$."
    r = mask_text("math", listed, question=q8, answer="8", level="critical")
    assert r.leak is None and "$\\pm [EXPR], \\pm 6$" in r.text
    unsigned = listed.replace("$\\pm 1,", "$0, \\pm 1,").replace("\\pm 6", "6")  # 1 + 2 + 2 + 2 + 1 values
    r = mask_text("math", unsigned, question=q8, answer="8", level="critical")
    assert r.leak is None and "$[EXPR], 6$" in r.text, r.text


def test_a_list_of_formulas_whose_commas_are_inside_them_is_counted():
    # round 39's intermediate_algebra/1544: "namely $x^2 - 4x + 4,$ $x^2 + 2x + 1,$ ... and $x^2 - 1.$"
    question = "How many quadratics $x^2 + ax + b$ have $c^2 - 2$ as a root whenever $c$ is a root?"
    trace = (
        r"So there are $\boxed{5}$ quadratics, namely $x^2 - 4x + 4,$ $x^2 + 2x + 1,$ $x^2 - x - 2,$ "
        r"$x^2 + x - 1,$ and $x^2 - 1.$"
    )
    masked = trace.replace(r"\boxed{5}", r"\boxed{[NUMBER]}")
    assert "counted" in attack_names(question, masked, "5")
    assert "counted" not in attack_names(question, masked, "4")
    assert "counted" in checker_leaks(
        "formulas", question, trace.replace(r"\boxed{5}", r"\boxed{⟦5|NUMBER⟧}"), "5"
    )
    # the cut hides whole segments, so every $ keeps its pair: three items to count, not five
    r = mask_text("math", trace, question=question, answer="5", level="critical")
    assert r.leak is None
    assert r"namely $x^2 - [NUMBER]x + [NUMBER],$ [EXPR] and $x^2 - 1.$" in r.text, r.text
    assert r.text.count("$") % 2 == 0 and not attack_names(question, r.text, "5")
    # a run that goes on counts nothing; the checker reads a run across line breaks as the masker does
    assert "counted" not in attack_names(question, r"They are $\dots,$ $4,$ $5,$ $6,$ $7,$ and $8.$", "5")
    lines = "They are\n$2,$\n$3,$\n$5,$\n$7,$\nand $11.$ So $\\boxed{⟦5|NUMBER⟧}$."
    assert "counted" in attack_names(question, lines.replace("⟦5|NUMBER⟧", "[NUMBER]"), "5")
    assert "counted" in checker_leaks("lines", question, lines, "5")


def test_a_list_that_goes_on_or_a_tuple_is_not_counted():
    question = "How many terms are there?"
    going_on = r"The terms are $2, 4, 6, 8, 10, 12, 14, \dots$, so there are $\boxed{[NUMBER]}$ of them."
    assert "counted" not in attack_names(question, going_on, "7")
    point = r"The point $(1, 2, 3, 4, 5, 6, 8)$ is on it, so there are $\boxed{[NUMBER]}$ of them."
    assert "counted" not in attack_names(question, point, "7")


def test_the_masker_hides_the_inner_items_of_a_list_as_long_as_the_answer():
    trace = (
        "The factors of 24 which are greater than 1 are 2, 3, 4, 6, 8, 12, and 24, so we have "
        r"$\boxed{7}$ possible values of $n$."
    )
    r = mask_text("math", trace, question=COUNT, answer="7", level="critical")
    assert r.leak is None
    # the inner items go as one span: a reader counting finds three items, not seven; and the 24 goes, whose
    # divisors a reader would count instead (its copy ending the list restates it)
    assert (
        "The factors of [NUMBER] which are greater than 1 are 2, [EXPR], and [NUMBER], so we have" in r.text
    )
    assert any(s.kind == "expression" and trace[s.start : s.end] == "3, 4, 6, 8, 12" for s in r.spans)
    assert not attack_names(COUNT, r.text, "7")
    # a list of three goes whole
    three = "The values are -1, 0, and 1, so there are $\\boxed{3}$ of them."
    r = mask_text("math", three, question="How many integer values does it take?", answer="3")
    assert r.leak is None and "The values are [EXPR], so" in r.text


# MATH-500 number_theory/572 (blind round 26): two lists of three exponents, multiplied as hidden blanks
DIVISORS_Q = "How many positive whole-number divisors does 196 have?"
DIVISORS = (
    "We are free to choose either 0, 1, or 2 as the exponent of 2 in the prime factorization of a divisor "
    "of 196.  Similarly, we may choose 0, 1, or 2 as the exponent of [NUMBER].  In total, there are "
    r"$[NUMBER]\times [NUMBER]=[NUMBER]$ possibilities, so there are $\boxed{[NUMBER]}$ divisors of 196."
)


def test_lists_whose_lengths_the_trace_multiplies_are_counted():
    found = [f for f in attacks(DIVISORS_Q, DIVISORS, "9") if f.attack == "counted"]
    assert [DIVISORS[f.start : f.end] for f in found] == ["0, 1, or 2", "0, 1, or 2"]
    assert "counted" not in attack_names(DIVISORS_Q, DIVISORS, "12")  # 3 x 3 is no 12
    # no product of blanks in LaTeX: nothing multiplies the lists (a note's [N]*[N] multiplies quantities)
    plain = DIVISORS.replace(r"$[NUMBER]\times [NUMBER]=[NUMBER]$", "<<[NUMBER]*[NUMBER]=[NUMBER]>>")
    assert "counted" not in attack_names(DIVISORS_Q, plain, "9")
    trace = DIVISORS.replace("[NUMBER]", "7", 1).replace(
        r"$[NUMBER]\times [NUMBER]=[NUMBER]$", "$3\\times 3=9$"
    )
    r = mask_text("math", trace.replace(r"\boxed{[NUMBER]}", r"\boxed{9}"), question=DIVISORS_Q, answer="9")
    assert r.leak is None and "0, 1, or 2" not in r.text
    assert "choose either [EXPR] as the exponent" in r.text


CURVE = (
    "Find the curve defined by the equation\n\\[r^2 \\cos 2 \\theta = 4.\\](A) Line\n(B) Circle\n"
    "(C) Parabola\n(D) Ellipse\n(E) Hyperbola\n\nEnter the letter of the correct option."
)
LARGEST = (
    "Which equation has the largest solution $x$?\n\n$\\textbf{(A)}\\ 3(1 + r)^x = 7\\qquad \\textbf{(B)}\\ "
    "3(1 + r/10)^x = 7\\qquad \\textbf{(C)}\\ 3(1 + 2r)^x = 7$"
)


def test_a_multiple_choice_option_stated_by_its_content_is_found():
    masked = r"Then $x^2 - y^2 = 4$, so the graph represents a hyperbola.  The answer is $\boxed{[EXPR]}.$"
    assert "option" in attack_names(CURVE, masked, r"\text{(E)}")
    assert "option" not in attack_names(CURVE, masked, r"\text{(B)}")  # the content of another option
    shown = r"So $1 + r/10$ is least: the answer is $\boxed{[EXPR]}$, $3(1 + r/10)^x = 7$."
    assert "option" in attack_names(LARGEST, shown, r"\text{(B)}")
    assert "option" not in attack_names(LARGEST, shown.replace("r/10)^x", "r/[NUMBER])^x"), r"\text{(B)}")


def test_the_masker_hides_the_gold_option_s_content():
    trace = (
        r"Then $x^2 - y^2 = 4,$ or \[\frac{x^2}{4} - \frac{y^2}{4} = 1.\]Thus, the graph represents a "
        r"hyperbola.  The answer is $\boxed{\text{(E)}}.$"
    )
    r = mask_text("math", trace, question=CURVE, answer=r"\text{(E)}", level="critical")
    assert r.leak is None
    assert "represents a [ENTITY]." in r.text
    assert not attack_names(CURVE, r.text, r"\text{(E)}")


def test_a_slash_fraction_equal_to_a_whole_gold_is_a_division_at_sight():
    # "6/6" is 1 and "12/4" is 3, as "3/4" is 0.75: a reader divides
    pizza = "3/6 of a pizza plus [NUMBER]/6 of a pizza equals 6/6 of a pizza. She buys [NUMBER] pizza."
    assert "replay" in attack_names("How many pizzas does she need?", pizza, "1")
    assert "replay" in attack_names("How many apples?", "We get 12/4 apples, so [NUMBER].", "3")
    # a division with "=" after it, or in a calculator note, is the solver's step: cut there by one operand
    for step in ("We get 12/4 = <<12/4=[NUMBER]>>[NUMBER] apples.", "We get <<12/4>> [NUMBER] apples."):
        assert {f.detail for f in attacks("How many apples?", step, "3") if "at sight" in f.detail} == set()
    assert not attack_names("How many apples?", "We get 12/5 apples, so [NUMBER].", "3")
    assert not attack_names("How many days?", "It is open 24/7, so [NUMBER] days.", "3")


RUN = (
    'Which student has the greatest average speed? [asy]\nlabel("Evelyn", (1, 4));\nlabel("Briana", '
    '(2, 2));\nlabel("Carla", (4, 5));\nlabel("Debra", (5, 3));\n[/asy]'
)
WINNER = (
    "Evelyn covered more distance in less time than Briana and Debra. Evelyn went almost as far as Carla "
    r"in half the time, so Evelyn's speed is greater than Carla's. Therefore, $\boxed{\text{Evelyn}}$ is our "
    "answer."
)


def test_the_one_name_left_out_is_found():
    masked = WINNER.replace("Evelyn", "[ENTITY]").replace(r"\text{[ENTITY]}", "[EXPR]")
    found = attacks(RUN, masked, r"\text{Evelyn}", WINNER)
    assert {f.attack for f in found} == {"elimination"}
    # every mention of the name mentioned fewest times is blamed (Briana once; Debra once, later)
    assert [masked[f.start : f.end] for f in found] == ["Briana"]
    hidden_two = masked.replace("Briana", "[ENTITY]")
    assert not attacks(RUN, hidden_two, r"\text{Evelyn}", WINNER)


def test_the_masker_leaves_two_names_unaccounted_for():
    r = mask_text("math", WINNER, question=RUN, answer=r"\text{Evelyn}", level="critical")
    assert r.leak is None
    assert "Evelyn" not in r.text and "Briana" not in r.text  # both [ENTITY]: which one wins is the task
    assert "Debra" in r.text and "Carla" in r.text
    assert r.text.count("[ENTITY]") == 4


LEAST = "Which is least?\n\n(A) $-1$\n(B) $0$\n(C) $\\pi$"
YES_NO = "Is 91 a prime number?\n\n(A) Yes\n(B) No\n\nEnter the letter of the correct option."


@pytest.mark.parametrize(
    ("question", "masked", "answer"),
    [
        # a two-letter option is any "no" of the prose
        (YES_NO, "There is no even factor, but 7 divides it: $\\boxed{[EXPR]}$.", r"\text{(B)}"),
        # a math option is found whole: -1 is not inside -12, \pi not inside \pitchfork, -1 not in 3-1
        (LEAST, "We have $-12 < 3-1$, so [EXPR].", r"\text{(A)}"),
        (LEAST, "As $a \\pitchfork b$, so [EXPR].", r"\text{(C)}"),
        # and case counts in math: x is not X
        ("Which one?\n\n(A) $X+1$\n(B) $X$", "Take $x+1$ as before: [EXPR].", r"\text{(A)}"),
        (LEAST, "We get x - 1 = 0, so [EXPR].", r"\text{(A)}"),
        ("Which?\n\n(A) $\\pi$\n(B) $2\\pi$", "It is $2\\pi$, so [EXPR].", r"\text{(A)}"),
        ("Which?\n\n(A) $12$\n(B) $0$", "It costs $12,000, a ratio of 1/12, or -12: [EXPR].", r"\text{(A)}"),
    ],
    ids=[
        "no_in_prose",
        "minus_one_in_minus_twelve",
        "pi_in_pitchfork",
        "case_in_math",
        "minus_after_an_operand",
        "pi_in_two_pi",
        "twelve_inside_numbers",
    ],
)
def test_an_option_is_not_found_inside_other_text(question, masked, answer):
    assert "option" not in attack_names(question, masked, answer)


@pytest.mark.parametrize(
    ("question", "masked", "answer"),
    [
        (LEAST, "The least is $-1$, so [EXPR].", r"\text{(A)}"),
        (LEAST, "It is $\\pi$: [EXPR].", r"\text{(C)}"),
        (YES_NO, "It is a product of two primes, so yes: [EXPR].", r"\text{(A)}"),
        (CURVE, "All the points lie on a PARABOLA. The answer is [EXPR].", r"\text{(C)}"),
    ],
    ids=["minus_one", "pi", "yes", "words_case_aside"],
)
def test_an_option_stated_whole_is_found(question, masked, answer):
    assert "option" in attack_names(question, masked, answer)


def test_a_list_s_items_are_read_across_long_runs_of_blanks():
    # a separator starts where an item ends and no two runs of blanks meet in it, so a long run is read
    # once (benchmarks/regex_audit.py times the patterns on such runs)
    text = "1" + " " * 5_000 + "and 2 ,  or 3\\quad 4"
    assert [text[s:e] for s, e in items(text, 0, len(text))] == ["1", "2", "3", "4"]


# a count read off a display's rows: each row a case of its own (built here; round 44 read such a display)
GROUPINGS = "How many different values can $2 \\cdot 4 \\cdot 6 + 1$ take if parentheses are inserted?"
ROWS = (
    "Only where the $+1$ goes matters. We get \\begin{align*}\n"
    "2 \\cdot 4 \\cdot (6 + 1) &= 56, \\\\\n"
    "2 \\cdot (4 \\cdot 6 + 1) &= 50, \\\\\n"
    "(2 \\cdot 4 \\cdot 6) + 1 &= 49.\n"
    "\\end{align*}So there are $\\boxed{3}$ values."
)


def test_a_display_whose_rows_are_as_many_as_the_count_is_counted():
    masked = (
        ROWS.replace("56", "[NUMBER]")
        .replace("50", "[NUMBER]")
        .replace("49", "[NUMBER]")
        .replace("\\boxed{3}", "\\boxed{[NUMBER]}")
    )
    assert "counted" in attack_names(GROUPINGS, masked, "3")
    assert "counted" not in attack_names(GROUPINGS, masked, "4")  # another length
    four = masked.replace("(2 \\cdot 4", "2 \\cdot (4 \\cdot 6) + 1 &= [NUMBER], \\\\[2pt]\n(2 \\cdot 4", 1)
    assert "counted" in attack_names(GROUPINGS, four, "4")  # a row's spacing ends it, no row of its own
    # a chain of steps (rows that go on from the row before with "&=") lists no cases
    chain = "We get \\begin{align*}\nx &= 2 \\cdot [NUMBER] \\\\\n&= [NUMBER] \\\\\n&= [NUMBER].\n"
    chain += "\\end{align*}"
    assert "counted" not in attack_names(GROUPINGS, chain, "3")
    checker = ROWS.replace("\\boxed{3}", "\\boxed{⟦3|NUMBER⟧}")
    for value in ("56", "50", "49"):
        checker = checker.replace(value, f"⟦{value}|NUMBER⟧")
    assert "counted" in checker_leaks("rows", GROUPINGS, checker, "3")
    assert "counted" not in checker_leaks("rows", GROUPINGS, checker, "4")


def test_the_masker_hides_the_inner_rows_of_a_display_as_long_as_the_count():
    r = mask_text("math", ROWS, question=GROUPINGS, answer="3", level="critical")
    assert r.leak is None, r.leak
    assert "counted" not in attack_names(GROUPINGS, r.text, "3")
    # three rows are the whole display: hidden as one, the environment kept
    assert "\\begin{align*}" in r.text and "\\end{align*}" in r.text, r.text
    last = "(2 \\cdot 4 \\cdot 6) + 1"
    four = ROWS.replace(last, "2 \\cdot (4 \\cdot 6) + 1 &= 50, \\\\\n" + last)
    four = four.replace("\\boxed{3}", "\\boxed{4}")
    r = mask_text("math", four, question=GROUPINGS, answer="4", level="critical")
    assert r.leak is None, r.leak
    first, rest = r.text.split("\\\\", 1)
    assert "(6 + 1) &=" in first and "[EXPR]" in rest and rest.count("\\\\") == 1, r.text  # rows 2-3 as one


SYSTEM = "a + b &= [NUMBER], \\\\\nb + c &= 9, \\\\\na + c &= [NUMBER]."  # equations of letters
DERIVATION = "x^3 &= 4x \\\\\nx^3 - 4x &= 0 \\\\\nx(x-[NUMBER])(x+[NUMBER]) &= 0"  # each row its own
BRACES_CHAIN = "12 &= [NUMBER]^2 \\cdot 3 \\\\\n{} &= [NUMBER] \\cdot 3 \\\\\n{} &= [NUMBER]"  # goes on
SPACING_CHAIN = "12 &= [NUMBER]^2 \\cdot 3 \\\\[\\jot]\n&= [NUMBER] \\cdot 3 \\\\*\n&= [NUMBER]"
SUBSTACK = "\\sum_{\\substack{0 \\le i < 3 \\\\ i \\ne 2}} a_i &= [NUMBER], \\\\\n2 \\cdot 7 &= [NUMBER]"


@pytest.mark.parametrize(
    "body",
    [SYSTEM, DERIVATION, BRACES_CHAIN, SPACING_CHAIN, SUBSTACK],
    ids=["system", "derivation", "braces_chain", "spacing_chain", "substack"],
)
def test_a_display_of_equations_a_chain_or_two_rows_lists_no_cases(body):
    masked = f"We get \\begin{{align*}}\n{body}\n\\end{{align*}}So there are $\\boxed{{[NUMBER]}}$ values."
    assert "counted" not in attack_names(GROUPINGS, masked, "3")
    marked = masked.replace("[NUMBER]", "⟦5|NUMBER⟧").replace("\\boxed{⟦5|NUMBER⟧}", "\\boxed{⟦3|NUMBER⟧}")
    assert "counted" not in checker_leaks("not_cases", GROUPINGS, marked, "3")


def test_cases_with_letters_of_one_shape_count_and_a_long_display_is_read_whole():
    question = "How many ordered pairs $(a, b)$ of positive integers have $a + b \\le 7$ and $a \\le 3$?"
    why = "\\text{a pair of positive integers that meets both conditions, so it is one of the pairs counted}"
    why += " \\text{here, in this list of every case}"
    rows = [
        f"(a, b) = ({a}, {b}) &: \\quad a + b = {a + b} \\le 7, \\quad a = {a} \\le 3, \\quad {why}"
        for a in range(1, 4)
        for b in range(1, 8 - a)
    ]
    body = " \\\\\n".join(rows)
    assert len(rows) == 15 and len(body) > 3000  # longer than any one display the first version read
    trace = f"\\begin{{align*}}\n{body}\n\\end{{align*}}So there are $\\boxed{{15}}$ pairs."
    r = mask_text("math", trace, question=question, answer="15", level="critical")
    assert r.leak is None, r.leak
    assert r.text.count("\\\\") == 2 and "[EXPR]" in r.text, (
        r.text
    )  # the first row, the rest as one, the last
    marked = trace.replace("\\boxed{15}", "\\boxed{⟦15|NUMBER⟧}")
    assert "counted" in checker_leaks("pairs", question, marked, "15")
