"""The math masker on real GSM8K / MATH-500 rows, one construct per test (tests/data/math_cases.jsonl)."""

from __future__ import annotations

import re

import pytest

from smepo_data import Example, mask_example, mask_text, render
from smepo_data.math._lexer import _matrix_computes, scan
from smepo_data.math.masker import MathMasker


def masked(ex: Example, level: str = "critical", placeholder: str = "typed_answer") -> str:
    """The masked text, the answer shown as [ANSWER] so the tests can say which span is the answer."""
    r = mask_example(ex, level, placeholder)
    assert r.leak is None
    assert render(ex.trace, r.spans, placeholder) == r.text
    return r.text


def hidden_texts(ex: Example, level: str = "critical") -> list[str]:
    return [ex.trace[s.start : s.end] for s in MathMasker().find_spans(ex, level)]


def test_gsm8k_calculator_notes_and_final_line(cases):
    ex = cases["calculator notes and ####"]
    assert masked(ex) == (
        "Natalia sold 48/[NUMBER] = <<48/[NUMBER]=[NUMBER]>>[NUMBER] clips in May.\n"
        "Natalia sold 48+[NUMBER] = <<48+[NUMBER]=[NUMBER]>>[NUMBER] clips altogether in April and May.\n"
        "#### [ANSWER]"
    )
    # "half" in the question gives the 2 and 48 is given; 24 and 72 are derived; 48/2 would replay into
    # 24, so one operand is cut (in the text and in the calculator note alike): the 2, since the next line
    # shows the 48 again; only the final slot is the answer


def test_levels_are_nested(cases):
    ex = cases["calculator notes and ####"]
    answer, critical, every = (
        set(map(tuple, ((s.start, s.end) for s in MathMasker().find_spans(ex, lvl))))
        for lvl in ("answer", "critical", "all")
    )
    assert answer < critical < every
    assert masked(ex, "all").count("48") == 0


def test_answer_level_escalates_when_the_verifier_can_still_compute_the_answer(cases):
    ex = cases["calculator notes and ####"]
    r = mask_example(ex, "answer")
    # "48+24 = <<...>>" alone lets a calculator compute 72: the audit blames that step and the masker
    # hides one of its operands (a repair) instead of escalating the whole row; that operand's other copies
    # ("48/2") go too, else they give the cut value back (restated)
    assert r.level == "answer" and r.requested_level == "answer" and r.leak is None
    assert r.repairs and set(r.repairs) <= {"replay", "extract", "constraints", "restated"}
    assert "48+24" not in r.text


def test_thousands_separators(cases):
    ex = cases["thousands separators"]
    assert ex.answer == "448000"
    text = masked(ex)
    assert "2000" in text  # given: the movie cost $2000
    assert "448000" not in text and "448,000" not in text


def test_percentages_keep_the_sign_and_hide_derived_values(cases):
    ex = cases["percentages"]
    text = masked(ex)
    # both given; the step is cut at its first operand (2) in both copies, and the percent's .01, a
    # standard constant, stays
    assert "[NUMBER] liters * 20% = <<[NUMBER]*20*.01=[NUMBER]>>" in text
    assert "400" not in text and "0.4" not in text


def test_currency(cases):
    ex = cases["currency"]
    text = masked(ex)
    # the note hides the question's 30 to cut the sum, and its twin in the text goes with it
    assert "$16" in text and "S + [NUMBER] + 46 + 38 + 11 + 18" in text
    assert "$<<[NUMBER]-[NUMBER]=[NUMBER]>>[NUMBER]" in text


def test_decimals(cases):
    ex = cases["decimals"]
    text = masked(ex)
    assert "0.2" not in text  # 12/60 = 0.2 is derived
    assert "Working 50 minutes" in text


def test_minus_between_numbers_is_an_operator(cases):
    ex = cases["minus between numbers"]
    text = masked(ex)
    # the last step keeps its three minus signs between its four operands, hidden or not
    operand = r"(?:\[NUMBER\]|\d+)"
    assert re.search(rf"{operand} - {operand} - {operand} - {operand} =", text)
    for s in MathMasker().find_spans(ex, "all"):
        assert not ex.trace[s.start : s.end].startswith("-")  # never swallows the operator


def test_negative_numbers_keep_their_sign_in_the_span(cases):
    ex = cases["negative numbers"]
    assert "-13" in hidden_texts(ex)


def test_list_markers_stay(cases):
    ex = cases["list markers"]
    text = masked(ex)
    assert re.search(r"^1\. Tonya", text, re.M) and re.search(r"^2\. Tonya", text, re.M)
    assert re.search(r"^3\. The large", text, re.M)


def test_step_labels_stay(cases):
    ex = cases["step labels"]
    text = masked(ex)
    assert "from step 1 into the equations from step 2" in text
    # an equation in N whose 67 is given: the system of visible equations would solve N, so the audit has
    # one copy of 67 hidden (the policy reads it back from the question), and then its other copies, which
    # would give the hidden one back (restated); the equations' operators and letters stay
    assert "N + 4N + (N-5) = $[NUMBER]" in text and "67" not in text
    assert "N + A + J = $[NUMBER]" in text


def test_step_and_case_labels_in_every_level(cases):
    for level in ("answer", "critical", "all"):
        assert "from step 1 into the equations from step 2" in masked(cases["step labels"], level)
        text = masked(cases["case labels"], level)
        assert "Case 1:" in text and "Case 2:" in text


def test_equation_references_are_labels():
    trace = "From Equation (3), and Equations (1) and (2), we get $x = 5$.\n#### 5"
    ex = Example("x", "math", "Solve the system.", trace, "5")
    assert masked(ex, "all").startswith("From Equation (3), and Equations (1) and ")


def test_the_answer_is_ending(cases):
    ex = cases["the answer is"]
    text = masked(ex, "answer")
    assert "The answer is [ANSWER]." in text


@pytest.mark.parametrize("ending", ["The answer is 72.", "A: 72", "Final answer: $72$"])
def test_answer_statement_endings(cases, ending):
    src = cases["calculator notes and ####"]  # a real row with its #### line replaced
    trace = src.trace.replace("#### 72", ending)
    ex = Example("x", "math", src.question, trace, "72")
    text = masked(ex)
    assert "72" not in text and "[ANSWER]" in text.splitlines()[-1]


def test_letter_glued_numbers_are_left_alone(cases):
    ex = cases["letter-glued number (x4)"]
    text = masked(ex)
    assert "$[NUMBER] x4 = $<<[NUMBER]*4=" in text  # x4 is "times 4": the 4 stays a visible operand


def test_boxed_tuple_with_pi(cases):
    ex = cases["tuple answer with pi"]
    text = masked(ex)
    # the pair entry by entry, its brackets and comma kept (the shape the question asks for)
    assert r"$\boxed{\left( [ANSWER], [ANSWER] \right)}.$" in text
    assert r"an angle of $[EXPR]$" in text  # \frac{\pi}{2} is derived (a component of the answer)
    # sqrt(0^2 + 3^2) would replay into the other component, 3: its operands are hidden, exponents stay
    assert r"$r = \sqrt{0^2 + [NUMBER]^2} = [NUMBER].$" in text  # the trivial 0 stays, the 3 is cut
    # the text's point (0,[NUMBER]) is the figure's dot((0,3)) and label("$(0,3)$"): the figure restates the
    # hidden 3 (the answer's r) and goes whole; the prose around it stays
    assert "[asy]" not in text and "dot((0,3)" not in text and "\n\n[FIGURE]\n\nTherefore" in text


def test_expression_answer(cases):
    ex = cases["expression answer p - q"]
    text = masked(ex, "answer")
    assert r"\boxed{[ANSWER]}" in text and "p - q" not in text


def test_sympy_finds_the_answer_in_another_form():
    trace = r"Expanding, we get $-(q - p) = \boxed{p - q}$."
    spans = MathMasker().find_spans(Example("x", "math", "Find it.", trace, "p - q"), "answer")
    assert [trace[s.start : s.end] for s in spans] == ["-(q - p)", "p - q"]


def test_fraction_answer_and_compound_values(cases):
    ex = cases["fraction answer"]
    text = masked(ex)
    assert r"\boxed{[ANSWER]}" in text and "14" not in text
    # \frac{-8}{-4}: a computed value, hidden by its numbers (signs with them), the fraction's form kept
    assert r"=\frac{[NUMBER]}{[NUMBER]}+" in text


@pytest.mark.parametrize(
    "case", ["text answer", "text answer east", "text answer even", "multiple-choice answer (E)"]
)
def test_text_answers(cases, case):
    ex = cases[case]
    word = re.sub(r"\\text\{(.*)\}", r"\1", ex.answer)
    for level in ("answer", "critical", "all"):
        text = masked(ex, level)
        assert r"\boxed{[ANSWER]}" in text
        assert not re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text.split(r"\boxed")[-1])


def test_text_answer_mentioned_in_prose_is_hidden():
    trace = r"Counting days forward, we land on Monday. So the day is $\boxed{\text{Monday}}$."
    ex = Example("x", "math", "What day is it?", trace, r"\text{Monday}")
    assert (
        masked(ex, "answer")
        == r"Counting days forward, we land on [ANSWER]. So the day is $\boxed{[ANSWER]}$."
    )


def test_indices_stay(cases):
    ex = cases["x_1 and a_{10} indices"]
    text = masked(ex)
    assert "6_8" in text and "7_8" in text and "_{10}" in text and r"\cline{2-4}" in text
    ex = Example("x", "math", "Find a_{10}.", r"We have $a_{10} = x_1 + y2 = 7 + 5 = 12$.", "12")
    assert masked(ex, "all") == r"We have $a_{10} = x_1 + y2 = [NUMBER] + [NUMBER] = [NUMBER]$."


def test_sqrt_answer(cases):
    ex = cases["sqrt"]
    text = masked(ex)
    assert r"& = \sqrt{[NUMBER]} = \boxed{[ANSWER]}" in text  # the last step before the answer: its number
    # the visible distance formula evaluates to the answer: one given coordinate is cut, exponents stay
    assert r"\sqrt{([NUMBER] - (-4))^2 + ((-6) - 3)^2}" in text


def test_dfrac(cases):
    ex = cases["dfrac"]
    assert r"$\dfrac{[NUMBER]!}{[NUMBER]! \times [NUMBER]!} = \boxed{[ANSWER]}$" in masked(ex)


def test_matrix_answer_components(cases):
    ex = cases["matrix answer"]
    text = masked(ex)
    found = r"$x = -\frac{1}{[NUMBER]},$ $y = \frac{2}{[NUMBER]},$ and $z = \frac{[NUMBER]}{[NUMBER]}.$"
    assert "we find " + found in text
    assert r"\mathbf{a} \cdot \mathbf{v} = 2," in text  # given by the question


@pytest.mark.parametrize("case", ["tuple answer", "interval answer"])
def test_tuple_and_interval_answers(cases, case):
    ex = cases[case]
    assert r"\boxed{[ANSWER]}" in masked(ex, "answer")


def test_answer_with_units(cases):
    # the value goes, its unit stays: a unit is the plan's (issue 11: keep every unit)
    ex = cases["answer with units"]
    assert r"\boxed{[ANSWER] \text{ cents}}" in masked(ex) and "5.4" not in masked(ex)


@pytest.mark.parametrize(
    ("boxed", "shown"),
    [
        (r"55^\circ", r"[NUMBER]^\circ"),
        (r"\$18.90", r"\$[NUMBER]"),
        (r"36\text{ cm}^2", r"[NUMBER]\text{ cm}^2"),
        (r"12\%", r"[NUMBER]\%"),
        (r"\text{Evelyn}", "[ENTITY]"),  # no number: the answer is the word itself
    ],
)
def test_a_stated_answer_keeps_its_unit_or_currency_sign(boxed, shown):
    gold = boxed.replace(r"\text{Evelyn}", "Evelyn")
    r = mask_text("math", f"So the result is $\\boxed{{{boxed}}}$.", question="What is it?", answer=gold)
    assert f"\\boxed{{{shown}}}" in r.text or (shown == "[ENTITY]" and "Evelyn" not in r.text), r.text


def test_scientific_notation_and_inline_math_delimiters():
    # a real GSM8K row (Weng) rewritten with \( \) delimiters and scientific notation
    trace = r"Weng earns \(12/60 = 2 \times 10^{-1}\) per minute, so \(0.2 \times 50 = 1.0e1\).\n#### 10"
    ex = Example(
        "x", "math", "Weng earns $12 an hour. She did 50 minutes. How much did she earn?", trace, "10"
    )
    text = masked(ex)
    # 60 is given by "minutes" (an hour's); 2 x 10^{-1} and 1.0e1 are one value each; 12/60 would replay,
    # so the question's 12 is cut
    assert text.startswith(
        r"Weng earns \([NUMBER]/60 = [NUMBER]\) per minute, so \([NUMBER] \times 50 = [NUMBER]\)"
    )


def test_indexed_placeholders_on_a_real_row(cases):
    text = masked(cases["calculator notes and ####"], placeholder="indexed")
    assert text == (
        "Natalia sold 48/[BLANK_1] = <<48/[BLANK_1]=[BLANK_2]>>[BLANK_2] clips in May.\n"
        "Natalia sold 48+[BLANK_2] = <<48+[BLANK_2]=[BLANK_3]>>[BLANK_3] clips altogether in April and May.\n"
        "#### [BLANK_3]"
    )


def test_a_given_value_equal_to_the_answer_is_hidden_by_the_audit_not_by_equality():
    q = r"How many distinct values can $2\cdot 3\cdot 4 \cdot 5+1$ take when parentheses are inserted?"
    trace = r"We get $(2\cdot 3)\cdot (4 \cdot 5)+1 = 121$ and three more, so $\boxed{4}$ values."
    text = masked(Example("x", "math", q, trace, "4"))
    # provenance keeps the question's 4 and cuts the step at its first operand; the audit then finds a
    # visible value equal to the answer and hides it: an ordinary blank, not the answer's
    assert (
        text == r"We get $([NUMBER]\cdot 3)\cdot ([NUMBER] \cdot 5)+1 = [NUMBER]$ and three more, "
        r"so $\boxed{[ANSWER]}$ values."
    )
    # the question's own expression written again whole is no step to cut, and its 4 is a quote of the
    # question, not the answer: evaluating it (121) is the task
    whole = r"We get $2\cdot 3\cdot 4 \cdot 5+1 = 121$ and three more, so $\boxed{4}$ values."
    assert masked(Example("x", "math", q, whole, "4")) == (
        r"We get $2\cdot 3\cdot 4 \cdot 5+1 = [NUMBER]$ and three more, so $\boxed{[ANSWER]}$ values."
    )


def test_the_audit_allows_the_answer_value_only_in_a_quote_of_the_question():
    from smepo_data.math.verifier import MathVerifier

    q = "Tom walks 4 miles a day for a week. How many days did he walk more than 3 miles?"
    ex = Example("x", "math", q, "", "4")
    audit = MathVerifier().leak
    assert audit(ex, "Tom walks 4 miles a day; [ANSWER] days are over 3 miles.\n#### [ANSWER]") is None
    assert "visible" in audit(ex, "He walked 4 miles on [ANSWER] days, over 3 miles.\n#### [ANSWER]")


def test_a_result_after_an_alignment_marker_is_hidden_even_when_the_question_gives_it():
    q = r"The expression $2\cdot 3 \cdot 4\cdot 5+1$ is equal to 121. How many values can it take?"
    trace = "\\begin{align*}\n(2\\cdot 3 \\cdot 4 \\cdot 5) + 1 \\hphantom{)} "
    trace += "&= 121.\n\\end{align*}So $\\boxed{4}$."
    assert "&= [NUMBER]." in masked(Example("x", "math", q, trace, "4"))


def test_every_span_has_a_reason(math_sample):
    for ex in math_sample:
        for s in MathMasker().find_spans(ex, "critical"):
            assert s.kind in {"answer", "number", "expression"} and s.reason


@pytest.mark.parametrize("level", ["answer", "critical", "all"])
def test_no_leaks_on_the_samples(gsm8k_sample, math_sample, level):
    for ex in gsm8k_sample + math_sample:
        r = mask_example(ex, level)
        assert r.leak is None, (ex.id, r.leak)


def test_broken_latex_is_refused():
    from smepo_data._model import RowError

    ex = Example("x", "math", "q", r"We have $\frac{1}{2$ so \boxed{3}", "3")
    with pytest.raises(RowError, match="broken_latex: the trace has 1 unclosed"):
        mask_example(ex)


def test_the_cut_operand_is_one_the_trace_does_not_restate():
    # GSM8K train row 4965: hiding the 15 of "15-6" cuts nothing, "Both shirts cost 15+..." shows it again
    q = (
        "John buys 2 shirts. The first shirt costs $6 more than the second shirt. "
        "If the first shirt costs $15, how much, in dollars, did the shirts cost in total?"
    )
    trace = (
        "The second shirt is 15-6=<<15-6=9>>9 dollars.\nBoth shirts cost 15+9=<<15+9=24>>24 dollars.\n#### 24"
    )
    r = mask_text("math", trace, question=q, answer="24")
    assert r.text.startswith("The second shirt is 15-[NUMBER]=<<15-[NUMBER]=[NUMBER]>>[NUMBER] dollars.")
    assert r.leak is None


def test_the_documented_mask_text_example_holds():
    import doctest

    import smepo_data._api

    result = doctest.testmod(smepo_data._api)
    assert result.attempted >= 1 and result.failed == 0


def test_a_result_written_as_a_unit_rate_is_a_result():
    # GSM8K train row 4663: "<<1.4-0.4=1>>1/liter": the 1 after the note is the step's result
    q = "Gas costs $1.4 per liter today and $0.4 less on Friday. How much do 25 liters cost on Friday?"
    trace = (
        "On Friday it is $1.4/liter - $0.4/liter = $<<1.4-0.4=1>>1/liter.\n"
        "So 25 x $1 = $<<25*1=25>>25.\n#### 25"
    )
    r = mask_text("math", trace, question=q, answer="25")
    assert ">>[NUMBER]/liter." in r.text and r.leak is None


def test_a_result_written_again_is_hidden_even_where_the_question_holds_an_equal_number():
    # provenance, not equality: "the 6" is the 6 the first step computed, not the 6 of the question's 2/6;
    # the question's own 2/6 and its standalone 4 stay visible
    ex = Example(
        "r",
        "math",
        "A box holds 24 pens. Ann takes 3/4 of them, then gives 2/6 of the rest away and 4 to Bo. "
        "How many are left?",
        "Ann takes 24 x 3/4 = <<24*3/4=18>>18 pens, so 24 - 18 = <<24-18=6>>6 are left.\n"
        "Out of the 6, 6 x 2/6 = <<6*2/6=2>>2 are given away.\n"
        "She has 6 - 2 - 4 = <<6-2-4=0>>0 left.\n#### 0",
        "0",
    )
    out = masked(ex, placeholder="typed")
    assert "Out of the [NUMBER], [NUMBER] x " in out
    assert "[NUMBER] - [NUMBER] - 4" in out  # the 2 a step computed hidden, the question's 4 kept


def test_a_result_carried_on_is_hidden_as_a_factor_1_or_as_the_questions_number():
    # round 37's GSM8K 4022 and 2861: "1 hour a day", then "1*7": the day's hour carried on as a factor;
    # "need to win 20" computed, then "20 - 12": the 20 carried on, though the question writes a 20 too
    hours = Example(
        "h",
        "math",
        "Jo meditates 30 minutes twice a day. How many hours a week does she meditate?",
        "Each session is 30/60=<<30/60=.5>>.5 hours\nSo she spends .5*2=<<.5*2=1>>1 hour a day\n"
        "So she spends 1*7=<<1*7=7>>7 hours a week\n#### 7",
        "7",
    )
    out = masked(hours, placeholder="typed")
    assert "So she spends [NUMBER]*[NUMBER]=<<[NUMBER]*[NUMBER]=" in out
    games = Example(
        "g",
        "math",
        "A team played 20 games and won 12. With 10 games left, it must win 2/3 of all its games. How many "
        "more must it win?",
        "There are 20 + 10 = <<20+10=30>>30 games\nThey must win 30 x (2/3) = <<30*(2/3)=20>>20 games\n"
        "They need 20 - 12 = <<20-12=8>>8 more\n#### 8",
        "8",
    )
    out = masked(games, placeholder="typed")
    assert "They need [NUMBER] - " in out and "There are 20 + " in out  # the question's 20 stays
    # another unit word after each: "20 days" computed, then the question's "20 acres"
    acres = Example(
        "a",
        "math",
        "Each of 20 acres needs 400 gallons. Her 80 horses make 5 gallons each a day, and she spreads 4 "
        "acres a day. How many days until all are done?",
        "The horses make 5 * 80 = <<5*80=400>>400 gallons a day\n"
        "She needs 400 * 20 = <<400*20=8000>>8000 gallons\n"
        "Collecting takes 8000 / 400 = <<8000/400=20>>20 days\n"
        "Spreading takes 20 acres / 4 = <<20/4=5>>5 days\n"
        "In all 20 + 5 = <<20+5=25>>25 days\n#### 25",
        "25",
    )
    assert "Spreading takes 20 acres / " in masked(acres, placeholder="typed")
    # a 1 added, or written alone, is no carried factor
    plus = Example(
        "p",
        "math",
        "Tom has 2 halves of a cake and 3 more cakes. How many cakes does he have?",
        "He has 2 * 1/2 = <<2*1/2=1>>1 cake\nIn all 1 + 3 = <<1+3=4>>4 cakes\n#### 4",
        "4",
    )
    assert "In all 1 + " in masked(plus, placeholder="typed")


def test_a_label_word_ending_a_line_makes_no_label_of_the_next_lines_number():
    # "... costs 5 actual steps\n66 steps distance": 66 is a value at the start of a line, not "steps 66"
    ex = Example(
        "l",
        "math",
        "He walks 66 steps; each step gained costs 5 actual steps. How many steps in all?",
        "Each step gained costs 5 actual steps\n66 steps distance * 5 = <<66*5=330>>330 steps\n#### 330",
        "330",
    )
    assert "66" in hidden_texts(ex, "all")
    assert hidden_texts(Example("s", "math", "Q?", "In step 2 we add 3 + 4 = 7.\n#### 7", "7"), "all") == [
        "3",
        "4",
        "7",
        "7",
    ]


def test_a_formula_constant_stays_and_a_cut_takes_another_operand():
    # the 1/3 of V = (1/3)Bh is the formula's constant (as the 4 of 4ac): the cut of the last step takes a
    # value of the problem, and the restated attack then has no copy of 1/3 to hide
    q = r"A pyramid's volume is $V = \frac{1}{3}Bh$. Its base has area 24 and its height is 7.5. Find $V$."
    trace = (
        r"We are given that $B = 24$ and $h = 7.5$ and asked to find $\frac{1}{3}Bh$.  We find that "
        r"\[\frac{1}{3}Bh = \frac{1}{3}(24)(7.5) = (8)(7.5) = \boxed{60}.\]"
    )
    r = mask_text("math", trace, question=q, answer="60")
    assert r.leak is None and r.level == "critical"
    assert r.text.count(r"\frac{1}{3}") == 3, r.text
    assert r"\frac{1}{3}([NUMBER])" in r.text or r"\frac{1}{3}(24)([NUMBER])" in r.text


def test_critical_cuts_a_congruence_chain_read_term_by_term():
    q = r"If $k \equiv 3 \pmod{11}$, find the remainder when $(k+1)(k+5)(k+9)$ is divided by $11$."
    trace = (
        r"Since $k \equiv 3 \pmod{11}$, $(k+1)(k+5)(k+9) \equiv 4 \cdot 8 \cdot 12 \equiv 4 \cdot 8 \cdot 1"
        r" \equiv 32 \equiv \boxed{10} \pmod{11}$."
    )
    for level in ("answer", "critical"):
        r = mask_text("math", trace, question=q, answer="10", level=level)
        assert r.leak is None and r.level == level, (level, r.text)
        # the residue cannot be read off the chain: not 4*8*12 whole, nor 4 and 8 with the 1 beside them
        assert r"4 \cdot 8 \cdot 12" not in r.text, r.text
        assert not (r"\equiv 4 \cdot 8 \cdot" in r.text and r"\cdot 8 \cdot 1" in r.text), r.text
    side = r"The last two leave $5+7 \equiv \boxed{3} \pmod 9$."
    r = mask_text("math", side, question="Find the remainder of $1+3+5+\\dots+41$ modulo 9.", answer="3")
    assert r.leak is None and r"5+7 \equiv" not in r.text, r.text


def test_critical_cuts_a_list_added_up_with_a_visible_relation():
    q = r"Let $p(x) = x^3 - 12x^2 + 5x - 7$. Compute the sum of the roots of $p(x - 2)$."
    trace = (
        r"Let $r,$ $s,$ $t$ be the roots of $p$. By Vieta's formulas, $r + s + t = 12.$"
        r" The roots of $p(x-2)$ are $r + 2,$ $s + 2,$ and $t + 2,$ so their sum is"
        r" $r + s + t + 6 = 12 + 6 = \boxed{18}.$"
    )
    for level in ("answer", "critical"):
        r = mask_text("math", trace, question=q, answer="18", level=level)
        assert r.leak is None and r.level == level, (level, r.text)
        listed_whole = r"$r + 2,$ $s + 2,$ and $t + 2,$" in r.text
        assert not (listed_whole and r"r + s + t = 12." in r.text), r.text


def test_an_exponent_stays_visible_before_a_root():
    # constructed: "2^2 \sqrt{3}" is 4\sqrt{3}; its "2 \sqrt{3}" is no value, and hiding it took the
    # exponent with it ("2^[EXPR]")
    ex = Example(
        "exp",
        "math",
        "A solid has 4 faces, each an equilateral triangle of side 2. What is half its area plus 1?",
        "Each face has area $\\frac{2^2 \\sqrt{3}}{4}$, so the answer is "
        "$\\frac{1}{2}\\cdot 4\\cdot \\frac{2^2 \\sqrt{3}}{4}+1=\\boxed{1+2\\sqrt{3}}$.",
        "1+2\\sqrt{3}",
    )
    text = masked(ex)
    assert "^[" not in text and text.count("2^2") == 2
    assert not any(ex.trace[s.start - 1] == "^" for s in MathMasker().find_spans(ex))


def test_a_bare_variable_before_the_boxed_answer_stays_visible():
    # constructed: "t = \boxed{..}" has nothing to evaluate; "[EXPR]=\boxed{[NUMBER]}" reads as nothing
    ex = Example(
        "var",
        "math",
        "Find the odd integer $t$ with $0<t<10$ such that $t+2$ is a multiple of 7.",
        "The multiples of 7 below 12 are 7 only, so $t+2=7$ and the answer is $t=\\boxed{5}$.",
        "5",
    )
    assert "$t=\\boxed{[ANSWER]}$" in masked(ex)


def test_space_grouped_thousands_are_one_number():
    # constructed: prose groups thousands by spaces; a span never cuts "$90 000" into "$[NUMBER] 000"
    ex = Example(
        "spaced",
        "math",
        "A flat costs $90000. The owner sells it for a 10% profit. What is the profit in dollars?",
        "The profit is $90 000 x 10/100 = $9 000.\n#### 9000",
        "9000",
    )
    text = masked(ex)
    assert not re.search(r"\] \d{3}\b", text), text
    assert text.endswith("= $[NUMBER].\n#### [ANSWER]")  # the result whole, as "$9,000" would be


def test_a_text_match_of_the_gold_never_leaves_a_brace_behind():
    trace = r"Their difference measures \[\frac{900}7-\frac{630}7=\boxed{\frac{270}7\text{ degrees}}.\]"
    r = mask_text(
        "math", trace, question="Find the angle.", answer=r"\frac{270}7\text{ degrees}", level="answer"
    )
    assert r.text.count("{") == r.text.count("}"), r.text
    assert r"\boxed{[EXPR]}." in r.text


@pytest.mark.parametrize(
    ("question", "trace", "answer", "shown"),
    [
        (  # a result under a root: its number goes, the root stays (plan, like any operator)
            "The legs of a right triangle are 5 and 11. Find the length of the median to the hypotenuse.",
            r"The hypotenuse is $\sqrt{5^2+11^2} = \sqrt{146}$ long, and the median to it is half of it: "
            r"$\boxed{\frac{\sqrt{146}}{2}}$.",
            r"\frac{\sqrt{146}}{2}",
            r"= \sqrt{[NUMBER]}$ long",
        ),
        (  # a multiple of pi: the coefficient goes, the pi stays
            "A circle has radius 6. What is the area of a quarter of it?",
            r"The whole circle has area $\pi \cdot 6^2 = 36\pi$, and a quarter of it is $\boxed{9\pi}$.",
            r"9\pi",
            r"= [NUMBER]\pi$",
        ),
        (  # a number the question gives in it (the 3 of 3/10): whole, else another copy written
            # "\frac{3}{[N]}" would tell what this one's numerator hides
            "A bag has 3 red marbles and 5 blue marbles. Two more blue marbles are added. What fraction of "
            "the marbles is blue?",
            r"There are $3 + 5 + 2 = 10$ marbles. The red ones are $\frac{3}{3+5+2} = \frac{3}{10}$ of them, "
            r"so the blue ones are $1 - \frac{3}{10} = \boxed{\frac{7}{10}}$.",
            r"\frac{7}{10}",
            r"+5+2} = [EXPR]$ of them, so the blue ones are $1 - [EXPR] = ",
        ),
    ],
)
def test_a_derived_compound_is_hidden_by_its_numbers(question, trace, answer, shown):
    r = mask_text("math", trace, question=question, answer=answer, level="critical")
    assert r.leak is None and shown in r.text, r.text


def test_a_vector_computed_from_written_out_vectors_is_a_result():
    # its entries 5 and -2 are results though the question writes 5 and 2 (provenance, not equality)
    q = (
        r"A line passes through the points $(2, 5)$ and $(7, 3)$. Its direction vector has the form "
        r"$\begin{pmatrix} a \\ 1 \end{pmatrix}$. Find $a$."
    )
    t = (
        r"The direction vector is proportional to \[\begin{pmatrix} 7 \\ 3 \end{pmatrix} - \begin{pmatrix} 2"
        r" \\ 5 \end{pmatrix} = \begin{pmatrix} 5 \\ -2 \end{pmatrix}.\]To get a $y$-coordinate of $1$, we "
        r"multiply by $-\frac{1}{2}$: \[-\frac{1}{2} \begin{pmatrix} 5 \\ -2 \end{pmatrix} = \begin{pmatrix} "
        r"-5/2 \\ 1 \end{pmatrix}.\]Therefore, $a = \boxed{-\frac{5}{2}}$."
    )
    r = mask_text("math", t, question=q, answer=r"-\frac{5}{2}", level="critical")
    assert r.leak is None
    assert r"\end{pmatrix} = \begin{pmatrix} [NUMBER] \\ -[NUMBER] \end{pmatrix}.\]To get" in r.text, r.text
    # a letter times a vector is an equation, not a computation: its right side is no result
    q = r"$\mathbf{A} \begin{pmatrix} 3 \\ 1 \end{pmatrix} = \begin{pmatrix} 2 \\ 4 \end{pmatrix}$. Find $b$."
    assert _matrix_computes(q, q.index("=")) == -1
    assert _matrix_computes(t, t.index("=")) == t.index(r"\begin{pmatrix} 7")


def test_an_extremums_witness_is_hidden_though_the_question_writes_its_values():
    # round 37's 675 and 853, round 12's "a = b = 2": a reader puts the witness into the question's
    # expression and has the extremum; the witness is derived (its 2 only equals the question's numbers)
    q = r"Let $a, b > 0$ with $a + b = 4$. Find the minimum value of $\frac{1}{a} + \frac{1}{b}$."
    t = (
        r"By AM-HM, $\frac{1}{a} + \frac{1}{b} \ge \frac{4}{a+b} = 1$. Equality occurs when $a = b = 2$, "
        r"so the minimum value is $\boxed{1}$."
    )
    r = mask_text("math", t, question=q, answer="1", level="critical")
    assert r.leak is None and "Equality occurs when $a = b = [NUMBER]$, so the" in r.text, r.text
    q = r"Find the least distance from the origin to the curve $y = \frac{1}{\sqrt{2}}(x^2 - 3)$."
    t = (
        r"The squared distance is $\frac{1}{2}((x^2-2)^2 + 5)$. It is minimized when the square equals $0$, "
        r"i.e. when $x=\sqrt{2}$. Then the distance is $\boxed{\frac{\sqrt{10}}{2}}$."
    )
    r = mask_text("math", t, question=q, answer=r"\frac{\sqrt{10}}{2}", level="critical")
    # "i.e." does not end the clause; the plan's 0 stays
    assert r.leak is None and "when the square equals $0$, i.e. when $x=[EXPR]$." in r.text, r.text
    # the clause ends with its sentence, a "." inside the formula too: the next sentence's numbers stay
    q = r"Let $f(x) = x^2 + 3x + 5$ with $x \ge 2$. Find the minimum value of $f(x) + 10$."
    t = (
        r"Since $f$ is increasing for $x \ge 2$, $f(x) \ge f(2)$. Equality occurs when $x = 2.$ Substituting "
        r"into $f(x) = x^2 + 3x + 5,$ we get $4 + 6 + 5 = 15.$ Adding 10 gives $25.$ So $\boxed{25}$."
    )
    r = mask_text("math", t, question=q, answer="25", level="critical")
    assert "when $x = [NUMBER].$ Substituting into $f(x) = x^2 + 3x + 5,$" in r.text, r.text
    assert "Adding 10 gives" in r.text
    # past a line break right after the trigger, and into a next sentence that solves its conditions
    q = r"Let $x, y, z > 0$ with $xyz = 2$. Find the minimum value of $x^4 + 4y^2 + 4z^4$."
    t = (
        r"By AM-GM the sum is at least $16$. Equality occurs when $x^4 = 2y^2 = 4z^4.$  Using $xyz = 2,$ "
        "we can solve to get $x = y = \\sqrt{2}$ and $z = 1,$ so the minimum value is $\\boxed{16}.$ Note "
        "that equality occurs for\n\\[\\bold{v} = \\begin{pmatrix} 3 \\\\ 5 \\end{pmatrix}.\\]"
    )
    r = mask_text("math", t, question=q, answer="16", level="critical")
    assert "we can solve to get $x = y = [EXPR]$ and $z = [NUMBER]," in r.text, r.text
    assert "\\begin{pmatrix} [NUMBER] \\\\ [NUMBER] \\end{pmatrix}" in r.text, r.text


def test_a_shorthand_root_goes_whole_and_a_matrix_result_may_stand_on_its_own_line():
    r = mask_text("math", r"The side is $5\sqrt2$. So $\boxed{101}$.", question="Find it.", answer="101")
    assert "The side is $[EXPR]$." in r.text, (
        r.text
    )  # the 2 of \sqrt2 is no part of its own: not left visible
    t = (
        "$\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix} + \\begin{pmatrix} 3 \\\\ 4 \\end{pmatrix} = "
        "\\begin{pmatrix}\n4 \\\\\n6\n\\end{pmatrix}$"
    )
    assert [a.result for a in scan(t).atoms][-2:] == [True, True]
    # two blanks before the matrices do not hide a letter that multiplies them
    for gap in (" ", "  "):
        eq = (
            r"$\mathbf{M}"
            + gap
            + r"\begin{pmatrix} 1 \\ 2 \end{pmatrix} + \begin{pmatrix} 3 \\ 4 \end{pmatrix} = 5$"
        )
        assert _matrix_computes(eq, eq.index(" = ") + 1) == -1


def test_a_number_glued_to_a_command_is_a_value():
    # MATH-500 algebra/2257 (shortened): TeX ends ``\qquad`` at the 1, so ``19x`` is a derived coefficient
    # and goes like any other; the digits a shorthand ``\binom52`` reads one by one are no number
    trace = (
        r"\begin{align*} 27x-9& =8x"
        "\n"
        r"\\ \Rightarrow \qquad19x&=9"
        "\n"
        r"\\ \Rightarrow \qquad x&=\boxed{\frac9{19}}.\end{align*}"
    )
    r = mask_text(
        "math", trace, question=r"If $\frac{\sqrt{2x}}{\sqrt{3x-1}}=\frac32$, find $x$.", answer=r"\frac9{19}"
    )
    assert r"\qquad19x" not in r.text and r"\qquad[NUMBER]x" in r.text
    assert [trace[s.start : s.end] for s in r.spans if trace[s.start : s.end] == "19"]
    assert [a.start for a in scan(r"\binom52 = 10").atoms] == [len(r"\binom52 = ")]
    # a label (\angle1), a dimension (\kern2pt) or a continued fraction's digits are no value either
    for text in (r"\angle1 = 30", r"\kern2pt 30", r"\cfrac12 = 30"):
        assert [text[a.start : a.end] for a in scan(text).atoms] == ["30"], text
