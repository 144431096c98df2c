"""The math recoverability audit: each named attack fires on a masked trace a reader could solve
mechanically (built from real GSM8K / MATH-500 rows) and stays quiet on one that needs the reasoning."""

from __future__ import annotations

import pytest

from smepo_data import Example, mask_example, mask_text
from smepo_data._domains import get_domain
from smepo_data._model import RowError
from smepo_data.math._answer import parse_gold
from smepo_data.math._rational import Fraction
from smepo_data.math.attacks import _system, attacks
from smepo_data.math.presets import last_boxed

NATALIA_Q = (
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
    "How many clips did Natalia sell altogether in April and May?"
)


def names(question: str, masked: str, answer: str) -> set[str]:
    return {f.attack for f in attacks(question, masked, answer)}


def test_replay_of_a_chain_whose_operands_are_visible():
    # the reference-style GSM8K masking: only results hidden, so the steps replay into the answer
    masked = (
        "Natalia sold 48/2 = <<48/2=[NUMBER]>>[NUMBER] clips in May.\n"
        "Natalia sold 48+[NUMBER] = <<48+[NUMBER]=[NUMBER]>>[NUMBER] clips altogether in April and May.\n"
        "#### [NUMBER]"
    )
    found = attacks(NATALIA_Q, masked, "72")
    assert {f.attack for f in found} == {"replay"}
    # blamed on the steps a calculator evaluates from visible values alone
    assert {masked[f.start : f.end] for f in found} == {"48/2"}
    cut = masked.replace("48/2", "[NUMBER]/2")
    assert names(NATALIA_Q, cut, "72") == set()  # mapping [NUMBER] back to the question's 48 is reasoning


def test_a_last_step_with_visible_operands():
    q = r"Compute $\dbinom{5}{4}\dbinom{10}{8}$."
    assert names(q, r"$\binom{5}{4}\cdot \binom{10}{8} = [NUMBER]$, so $\boxed{[NUMBER]}$.", "225") == {
        "replay"
    }
    assert names(q, r"$\binom{5}{4}\cdot \binom{10}{[NUMBER]} = [NUMBER]$.", "225") == set()


def test_constraints_a_factorization_fixes_a_hidden_coefficient():
    masked = r"Since $100x^2 - 1 = ([NUMBER]x - 1)([NUMBER]x + 1)$ we need the coefficient."
    found = attacks("Factor $100x^2-1$. What is $a$?", masked.replace("[NUMBER]", "[BLANK_1]"), "10")
    assert {f.attack for f in found} == {"constraints"}


def test_constraints_a_visible_linear_system():
    # MATH-500 test/algebra/1578: three visible equations in a, b, c fix c
    masked = r"Then $\frac{a+b+c}{3}=6$, $c-4=a$ and $b+4=\frac35(a+4)$, so $c=\boxed{[NUMBER]}$."
    found = attacks("The mean of a, b, c is 6 ...", masked, "10")
    assert {f.attack for f in found} == {"constraints"}
    assert names("q", masked.replace("=6$", "=[NUMBER]$"), "10") == set()


def test_constraints_link_sides_written_alike():
    # test/algebra/1936: the two "b-[NUMBER]" are read as the same expression
    masked = r"So $(b+1) - 3 = b-[NUMBER]$ and $b-[NUMBER] = -3$, hence $b = \boxed{[NUMBER]}$."
    assert names("Find b.", masked, "-1") == {"constraints"}


def test_constraints_an_exponent_equation():
    assert "constraints" in names(
        "If $2^8=4^x$, find $x$.", r"Since $2^8=2^{2x}$, $x=\boxed{[NUMBER]}$.", "4"
    )


def test_placeholder_singling_out_the_answer_where_the_question_has_it():
    q = "Tom has 12 apples and gives none away. How many apples does Tom have?"
    masked = "Tom has [ANSWER] apples and gives none away.\n#### [ANSWER]"
    assert "placeholder" in names(q, masked, "12")
    # an ordinary blank there is a value to read back from the question: allowed
    assert "placeholder" not in names(q, masked.replace("[ANSWER]", "[NUMBER]"), "12")


def test_equivalent_forms():
    q = "Solve the inequality."
    assert "equivalent_form" in names(q, r"so $x < -3$, that is $\boxed{[EXPR]}$", r"(-\infty,-3)")
    assert "equivalent_form" in names(q, r"so $2 \le x < 5$.", "[2,5)")
    assert "equivalent_form" not in names(q, r"so $2 < x < 5$.", "[2,5)")  # open, not closed
    assert "equivalent_form" in names("How many?", "each is one sixth of the total", "6")
    assert "equivalent_form" in names("How many?", r"the chance is $\frac{1}{6}$", "6")
    assert "equivalent_form" in names("What fraction?", "so 3/4 of them", r"\frac{3}{4}")
    assert "equivalent_form" in names("Roots?", r"$x = 1 \pm 2$", "-1, 3")
    assert "equivalent_form" in names("Where?", r"so $(x+4)(x-1) = 0$", "-4")
    # a number word the question itself uses is a copy, not a leak
    assert "equivalent_form" not in names("Split it into six parts.", "split it into six parts.", "6")


def test_replay_evaluates_trig_and_products_of_letters():
    # MATH-500 precalculus/24313: the last visible side, cos^2 x over cos x sin x, is cot x
    masked = (
        r"\begin{align*} \frac{\sec x}{\sin x} - \frac{\sin x}{\cos x} &= \frac{1 - \sin^2 x}{\cos x \sin x}"
        "\\\\\n"
        r"&= [EXPR] \end{align*}"
    )
    assert names("Simplify.", masked, r"\cot x") == {"replay"}
    assert names("Simplify.", masked, r"\tan x") == set()
    # degrees are degrees: tan 45° + sin 30° = 3/2
    assert names("Compute.", r"$\tan 45^\circ + \sin 30^\circ = [NUMBER]$", r"\frac32") == {"replay"}
    # intermediate_algebra/431: "ab" in math mode is a times b, so the visible side is (a+5)(b+2) expanded
    masked = r"We have $ab +5b+2a+10 = ab + 5b+2a + 2\cdot 5$, so we apply the trick: $[EXPR]$."
    assert names("Factor.", masked, "(a+5)(b+2)") == {"replay"}


def test_constraints_a_relation_line_inside_an_align_chain():
    # intermediate_algebra/158: "&\ge B \\ &= C" holds the equation B = C (AM-GM), a blank fixed far from 0
    masked = (
        "\\begin{align*}\na + b + c + d &= a + \\frac{b}{2} + \\frac{b}{2} + \\frac{c}{3} + \\frac{c}{3} + "
        "\\frac{c}{3} + \\frac{d}{4} + \\frac{d}{4} + \\frac{d}{4} + \\frac{d}{4} \\\\\n"
        "&\\ge 10 \\sqrt[10]{a \\left( \\frac{b}{2} \\right)^2 \\left( \\frac{c}{3} \\right)^3 \\left( "
        "\\frac{d}{4} \\right)^4} \\\\\n&= 10 \\sqrt[10]{\\frac{ab^2 c^3 d^4}{[NUMBER]}}.\n\\end{align*}"
    )
    assert names("Find the maximum.", masked, "27648") == {"constraints"}
    # number_theory/838: "\\ &=" on one line continues the chain, and [N]! = 2^8 3^4 5^2 7 makes [N] 10
    masked = (
        r"\begin{align*} [NUMBER]!&=10\cdot 9\cdot 8\cdot 7 \cdot [NUMBER]\cdot 5\cdot 4\cdot 3\cdot 2\cdot 1"
        r"\\ &=2^8\cdot 3^4 \cdot 5^2 \cdot 7.\end{align*}"
    )
    assert names("How many?", masked, "6") == {"replay"}
    assert names("How many?", r"$[NUMBER]! = \sqrt{2} + 1$", "5") == set()  # no factorial is irrational


def test_constraints_coefficients_of_an_identity_in_three_variables():
    # intermediate_algebra/1407: (x+y+z)^3's expansion fixes the xyz coefficient, equal to the gold 6
    masked = (
        "\\begin{align*}\ns_1^3 &= (x + y + z)^3 \\\\\n&= (x^3 + y^3 + z^3) + "
        "[NUMBER](x^2 y + xy^2 + x^2 z + xz^2 + y^2 z + yz^2) + [NUMBER]xyz\n\\end{align*}"
    )
    assert names("Find s_2.", masked, "6") == {"constraints"}
    assert names("Find s_2.", masked.replace("(x + y + z)^3", "[EXPR]"), "6") == set()


def test_constraints_a_completed_square_with_two_blanks():
    # algebra/621, in other numbers: x^2 + 3.4x + 5 = (x + [N])^2 + [N] holds for every x only with 1.7
    # and 2.11 (2[N] = 3.4 from the difference of two points, then the constant): the answer b + c = 3.81
    masked = (
        "We have $(x+[NUMBER])^2 = x^2 + (3.4)x + 2.89$, and so $x^2+(3.4)x+5 = (x+[NUMBER])^2 + [NUMBER]$. "
        "Therefore $[EXPR] = \\boxed{[NUMBER]}$."
    )
    q = "Write $x^2+(3.4)x+5$ in the form $(x+b)^2+c$, where $b$ and $c$ are constants. What is $b+c$?"
    assert "constraints" in names(q, masked, "3.81")
    assert names(q, masked, "3.8") == set()
    # an equation to solve, no identity: (x + [N])^2 = [N] fixes no blank (its x is one value)
    assert names("Solve.", "We get $(x+[NUMBER])^2 = [NUMBER]$ and $x = 2$.", "9") == set()
    # blanks an identity would make 0 ((x + 0)^2 = x^2 + 0): an equation to solve, as on the linear path
    assert names("Solve.", "We get $(x+[NUMBER])^2 = x^2+[NUMBER]$ here.", "0") == set()


def test_replay_exempts_the_question_s_whole_expression_not_a_part_of_it():
    # the question's own computation, alone in the trace, is the task; a part of it that gives the gold is not
    q = "What is $(5 + 9) \\cdot 1$?"
    assert names(q, "We start from $(5 + 9) \\cdot 1$ and get $[NUMBER]$.", "14") == set()
    assert names(q, "First $5 + 9$, which is $[NUMBER]$, then the rest.", "14") == {"replay"}
    # in prose as well: "What is 2+3?" written again is the task, "2+3" of "2+3+4" is not
    assert names("What is 2+3?", "We compute $2+3$ to get $[NUMBER]$.", "5") == set()
    assert names("What is 2+3+4?", "We compute $2+3$ first, then $[NUMBER]$.", "5") == {"replay"}


def test_a_blank_that_quotes_the_question_is_not_the_answer():
    # the question's own coefficient, solved for, equals the gold by chance: reading it back is allowed
    q = r"If $x^2 = 7x$, what is the value of $x^3 - 3x^2 + 5$?"
    masked = r"We have $x^3 - [NUMBER]x^2 + 5 = x^2(x - 1) - 2x^2 + 5$, which is $[EXPR]$."
    assert names(q, masked, "3") == set()
    assert names("What is the value?", masked, "3") == {"constraints"}  # not in the question: it leaks


def test_exponents_stay_at_every_level():
    trace = r"Rearranging $x^2 - x - 1 = 0$ gives $x^2 = x + 1$, so $x^3 = x^2 + x = 2x + 1$ and $\boxed{5}$."
    for level in ("answer", "critical", "all"):
        r = mask_example(
            Example("e", "math", "If $x^2 - x - 1 = 0$ and x = 2, find 2x + 1.", trace, "5"), level
        )
        assert r.text.count("x^2") == trace.count("x^2") and "x^3" in r.text, (level, r.text)


def test_visible_value_and_answer_text_are_located():
    ex = Example("x", "math", "Who?", "", r"\text{Evelyn}")
    [f] = get_domain("math").verifier.attacks(ex, "So Evelyn wins.")
    assert (f.attack, f.start, f.end) == ("answer_text", 3, 9)
    [f] = attacks("How many?", "There are 72 in all.", "72")
    assert (f.attack, "There are 72 in all."[f.start : f.end]) == ("visible_value", "72")


@pytest.mark.parametrize("level", ["answer", "critical", "all"])
def test_masked_samples_pass_every_attack(gsm8k_sample, math_sample, level):
    for ex in gsm8k_sample[:15] + math_sample[:15]:
        r = mask_example(ex, level)
        assert r.leak is None, (ex.id, r.leak)
        assert attacks(ex.question, r.text, ex.answer) == [], ex.id


def test_repairs_hide_the_blamed_operand_not_a_level(gsm8k_sample):
    # a reference-style (results only) masking leaks; ours repairs at the level asked for
    ex = gsm8k_sample[0]
    r = mask_example(ex, "answer")
    assert r.level == "answer" and r.repairs and r.leak is None


def test_a_wrong_trace_is_rejected_and_can_be_kept(gsm8k_sample, math_sample):
    ex = gsm8k_sample[0]
    wrong = Example(ex.id, "math", ex.question, ex.trace.replace("#### 72", "#### 71"), "72")
    with pytest.raises(RowError) as e:
        mask_example(wrong)
    assert e.value.reason == "wrong_trace" and "71" in e.value.detail
    kept = mask_example(wrong, keep_wrong_traces=True)
    assert kept.wrong_trace is not None and kept.leak is None
    assert mask_example(ex).wrong_trace is None
    m = math_sample[0]
    content = last_boxed(m.trace)
    assert content
    bad = Example(
        m.id, "math", m.question, m.trace.replace("\\boxed{" + content + "}", "\\boxed{12345}"), m.answer
    )
    with pytest.raises(RowError, match="wrong_trace"):
        mask_example(bad)


def test_a_trace_ending_at_an_empty_answer_is_a_wrong_trace(gsm8k_sample, math_sample):
    """A real trace whose final \\boxed{} or #### line was emptied concludes nothing: rejected as a wrong
    trace, not written as guidance; an empty box the trace fills later (a template) is no conclusion."""
    m = math_sample[0]
    content = last_boxed(m.trace)
    assert content
    for empty in ("\\boxed{}", "\\boxed{ }", "\\boxed{\\text{}}"):
        bad = Example(m.id, "math", m.question, m.trace.replace("\\boxed{" + content + "}", empty), m.answer)
        with pytest.raises(RowError) as e:
            mask_example(bad)
        assert e.value.reason == "wrong_trace" and "empty" in e.value.detail, empty
    template = Example(m.id, "math", m.question, "We write the result as \\boxed{}. " + m.trace, m.answer)
    assert mask_example(template).wrong_trace is None
    g = gsm8k_sample[0]
    cut = Example(g.id, "math", g.question, g.trace.rsplit("####", 1)[0] + "####", g.answer)
    with pytest.raises(RowError, match="wrong_trace"):
        mask_example(cut)


def test_typed_placeholders_never_single_out_the_answer(gsm8k_sample):
    for ex in gsm8k_sample[:10]:
        assert "[ANSWER]" not in mask_example(ex).text
        assert "[ANSWER]" in mask_example(ex, placeholder="typed_answer").text


def test_a_file_of_model_solutions_graded_against_a_reference_with_a_colon_ending(tmp_path, gsm8k_sample):
    """Model-written solutions (some ending at another value than the gold) beside a separate reference
    solution ending "A: N": the gold comes from that ending; wrong traces are rejected as wrong_trace,
    correct ones written; --keep-wrong-traces writes them flagged."""
    import json

    import pyarrow.parquet as pq

    from smepo_data.cli import main

    rows = []
    for i, ex in enumerate(gsm8k_sample[:8]):
        gold = ex.answer
        solution = ex.trace.rsplit("####", 1)[0].rstrip() + f"\nThe answer is {gold}."
        if i % 2:  # a wrong final value, as a model would write it
            solution = solution.rsplit("The answer is", 1)[0] + f"The answer is {int(gold) + 3}."
        reference = ex.trace.rsplit("####", 1)[0].rstrip() + f"\nA: {gold}"
        rows.append({"q": ex.question, "model": solution, "reference": reference})
    src = tmp_path / "graded.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    cols = ["--column", "question=q", "--column", "trace=model", "--column", "answer=reference"]
    out = tmp_path / "out"
    assert main(["mask", str(src), "-o", str(out), "--domain", "math", *cols, "-q"]) == 0
    written = pq.read_table(out / "data").to_pylist()
    rejects = pq.read_table(out / "rejects").to_pylist()
    assert len(written) == 4 and len(rejects) == 4
    assert {r["reason"] for r in rejects} == {"wrong_trace"}
    assert all(r["reward_model"]["ground_truth"].isdigit() for r in written)  # "A: 72" -> "72"
    kept = tmp_path / "kept"
    assert (
        main(["mask", str(src), "-o", str(kept), "--domain", "math", *cols, "--keep-wrong-traces", "-q"]) == 0
    )
    table = pq.read_table(kept / "data").to_pylist()
    assert len(table) == 8 and sum(r["wrong_trace"] is not None for r in table) == 4
    stats = json.loads((kept / "stats.json").read_text())
    assert stats["wrong_traces_kept"] == 4


def test_two_lines_that_meet_at_the_answer():
    # MATH-500 geometry/538: "x-[NUMBER]" is written twice for two values (x-5, then x-10), and y = x - [N]
    # holds along a line, not for every x and y: neither may stop the solver from meeting y=x-10 and y=-x+6
    masked = (
        r"the perpendicular bisector has equation $y-([NUMBER])=x-[NUMBER]$ or $y=x-[NUMBER]$."
        "\n\n"
        r"$P$ is the point of intersection of the lines $y=x-10$ and the line $y=-x+6$."
        r" Setting these equal gives $-x+[NUMBER]=x-10 \Rightarrow x=[NUMBER]$, so $P=\boxed{[EXPR]}$."
    )
    assert names("Find the point on $y=-x+6$.", masked, "(8,-2)") == {"constraints"}
    assert (
        names("Find the point on $y=-x+6$.", masked.replace("$y=x-10$", "$y=x-[NUMBER]$"), "(8,-2)") == set()
    )


# --------------------------------------------------------------------------- system: named unknowns

SINE_Q = r"Suppose $\sin D = 0.7$ in the right triangle $DEF$ with $EF = 7$. What is $DE$?"
SINE = (
    r"The triangle is a right triangle, so $\sin D = \frac{EF}{DF}$. Then we have that "
    r"$\sin D = 0.7 = \frac{7}{DF}$, so $DF = [NUMBER]$. By Pythagoras, $DE$ is $\sqrt{DF^2 - EF^2},$ "
    r"or $\sqrt{[NUMBER] - [NUMBER]} = \boxed{[EXPR]}$."
)


def system(question: str, masked: str, answer: str) -> list:
    return [f for f in attacks(question, masked, answer) if f.attack == "system"]


def test_system_segment_names_and_a_sine_are_quantities():
    # 0.7 = 7/DF fixes DF, sin D = EF/DF then EF, and the written sqrt(DF^2 - EF^2) is the gold
    found = system(SINE_Q, SINE, r"\sqrt{51}")
    assert found and {SINE[f.start : f.end] for f in found} == {"0.7"}  # the value that fixes DF
    assert names(SINE_Q, SINE.replace("0.7 =", "[NUMBER] ="), r"\sqrt{51}") == set()


def test_system_a_dot_product_of_column_vectors():
    v = r"\begin{pmatrix} 2 \\ y \\ -5 \end{pmatrix}"
    w = r"\begin{pmatrix} 1 \\ -2 \\ 1 \end{pmatrix}"
    masked = (
        rf"The projection is \[\frac{{{v} \cdot {w}}}{{{w} \cdot {w}}} {w} "
        rf"= \frac{{-2y - [NUMBER]}}{{6}} {w}.\]"
        r"Then $-2y - [NUMBER] = 5,$ so $[EXPR] = \boxed{[NUMBER]}.$"
    )
    found = system("Find $y$.", masked, "-4")
    assert found and {masked[f.start : f.end] for f in found} == {"5"}
    assert system("Find $y$.", masked.replace("= 5,", "= [NUMBER],"), "-4") == []


#: MATH-500 precalculus/398 as masked before the vector gold was compared (blind round 23 reached the gold)
REFLECT_Q = (
    r"A reflection takes $\begin{pmatrix} 5 \\ 0 \end{pmatrix}$ to $\begin{pmatrix} 4 \\ 3 \end{pmatrix}.$  "
    r"Which vector does the reflection take $\begin{pmatrix} -2 \\ 3 \end{pmatrix}$ to?"
)
_U = r"\begin{pmatrix} 3 \\ 1 \end{pmatrix}"
_V = r"\begin{pmatrix} -2 \\ 3 \end{pmatrix}"
_P = r"\begin{pmatrix} -[EXPR] \\ -\frac{3}{[NUMBER]} \end{pmatrix}"
REFLECT = (
    rf"The projection of ${_V}$ onto ${_U}$ is \[\frac{{{_V} \cdot {_U}}}{{{_U} \cdot {_U}}} {_U} "
    rf"= \frac{{-3}}{{[NUMBER]}} {_U} = {_P}.\]Hence, the reflection of ${_V}$ is "
    rf"$2 {_P} - {_V} = \boxed{{[EXPR]}}.$"
)
REFLECT_GOLD = r"\begin{pmatrix} 1/5 \\ -18/5 \end{pmatrix}"


def test_system_a_vector_gold_worked_out_from_a_projection():
    # the visible dot products fix [NUMBER] = 10, the projection's blanks follow, and the reflection's
    # vector, written with the projection's text again (the same blanks), is the gold vector
    found = system(REFLECT_Q, REFLECT, REFLECT_GOLD)
    assert found and found[0].detail.endswith("is the gold vector, by the equations")
    # without the second copy's link to the first, nothing fixes its blanks
    unlinked = REFLECT.replace(rf"$2 {_P}", r"$2 \begin{pmatrix} -[EXPR] \\ -[EXPR] \end{pmatrix}")
    assert system(REFLECT_Q, unlinked, REFLECT_GOLD) == []
    # another vector than the gold: no finding
    assert system(REFLECT_Q, REFLECT, r"\begin{pmatrix} 1/5 \\ 18/5 \end{pmatrix}") == []


def test_a_vector_gold_is_cut_by_the_masker():
    trace = (
        REFLECT.replace("-[EXPR]", "-\\frac{9}{10}")
        .replace("{[NUMBER]}", "{10}")
        .replace("\\boxed{[EXPR]}", "\\boxed{" + REFLECT_GOLD + "}")
    )
    assert "[" not in trace.replace("\\[", "").replace("\\]", "")
    out = mask_example(Example("398", "math", REFLECT_Q, trace, REFLECT_GOLD), "critical")
    assert system(REFLECT_Q, out.text, REFLECT_GOLD) == []
    assert "\\cdot" in out.text and "pmatrix" in out.text  # the plan's operations stay


def test_system_named_coefficients_fix_a_symbolic_answer():
    masked = (
        r"Let $r(x) = ax+b$. Observe that $x=-1$ and $x=1$ are both zeroes of $x^2-1$, so $f(1)=r(1)$. "
        r"We compute $f(1)=-10$ and $f(-1)=[NUMBER]$, so "
        r"$$\begin{cases} -10 = a\cdot (1) + b,\\ [NUMBER] = a\cdot (-1) + b. \end{cases}$$"
        r"Adding these equations yields $6=2b$ and hence $b=3$. So $a=[NUMBER]$ and $r(x) = \boxed{[EXPR]}$."
    )
    # the plain reading takes x for one unknown with two values and gives up; named, x stays free
    assert {f.attack for f in attacks("Find the remainder.", masked, "-13x+3")} == {"system"}
    found = system("Find the remainder.", masked, "-13x+3")
    assert "-10" in {masked[f.start : f.end] for f in found}  # the steps that fix a
    cut = masked.replace("-10", "[NUMBER]")  # both copies: f(1) = r(1) carries one to the other
    assert system("Find the remainder.", cut, "-13x+3") == []


def test_system_a_function_the_trace_defines_is_applied():
    masked = (
        r"We can write \[p(x) = (x - 1)(x - 2)(x - 3)(x - r).\]Then "
        r"\begin{align*} p(0) + p(4) &= ([NUMBER])(-2)(-3)(-r) + (3)(2)(1)(4 - r) \\ "
        r"&= [NUMBER]r + [NUMBER] - [NUMBER]r = \boxed{[NUMBER]}. \end{align*}"
    )
    q = "Three of the roots of the monic quartic $p(x)$ are 1, 2, and 3.  Find $p(0) + p(4).$"
    found = system(q, masked, "24")
    assert found and masked[found[0].start : found[0].end] == "(x - 1)(x - 2)(x - 3)(x - r)"
    # one root hidden: the next line, an identity in r, fixes it again (a blank in a definition is one value);
    # blamed on that line, where the visible siblings of the hidden factor give it away
    one = masked.replace("(x - 2)(x - 3)", "(x - [NUMBER])(x - 3)")
    found = system(q, one, "24")
    assert [one[f.start : f.end] for f in found] == [
        "p(0) + p(4) &= ([NUMBER])(-2)(-3)(-r) + (3)(2)(1)(4 - r)"
    ]
    cut = masked.replace("(x - 2)(x - 3)", "(x - [NUMBER])(x - [NUMBER])")
    assert names(q, cut, "24") == set()  # reading 2 and 3 back from the question is reasoning


def test_system_stays_quiet_without_a_determined_quantity():
    # x takes two values (two cases): no system; a symbol never fixed says nothing
    masked = (
        r"Observe that $x=-1$ and $x=1$ are roots, so $x^2 - 1 = (x-1)(x+1)$ "
        r"and the answer is $\boxed{[NUMBER]}$."
    )
    assert system("q", masked, "-1") == []
    assert system("q", r"Let $AB = c$ and $BC = 2c$; then $AC = \boxed{[EXPR]}$.", "3") == []


def test_system_masking_hides_the_determining_value():
    trace = SINE.replace("[NUMBER] - [NUMBER]", "100 - 49").replace("DF = [NUMBER]", "DF = 10")
    trace = trace.replace(r"\boxed{[EXPR]}", r"\boxed{\sqrt{51}}")
    r = mask_example(Example("s", "math", SINE_Q, trace, r"\sqrt{51}"), level="critical")
    assert r.leak is None and r.level == "critical"
    assert (
        "0.7 =" not in r.text and r"\sqrt{DF^2 - EF^2}" in r.text
    )  # the plan stays, the value that fixes DF goes
    assert any(s.reason.startswith("audit (system)") for s in r.spans)
    assert system(SINE_Q, r.text, r"\sqrt{51}") == []


def test_system_a_quantity_a_linear_combination_fixes():
    # neither p nor d is known, but 10 + 4p + d is: P(...) is fixed by the two equations together (P has
    # two bodies, so P([NUMBER]) is a quantity of its own)
    masked = (
        r"Let $P(x) = x^3 + ax^2 + bx + 5.$  Write \[P(x) = (x + p)(x - 1)(x - 4) + cx + d.\]"
        r"Comparing the constant coefficients, we get $5 = 4p + d.$  Therefore, "
        r"\[P([NUMBER]) = (5 + p)(4)(1) - 10 + d = 10 + [NUMBER]p + d = \boxed{[NUMBER]}.\]"
    )
    assert [masked[f.start : f.end] for f in system("Find the remainder.", masked, "15")] == ["5"]
    assert system("Find the remainder.", masked.replace("$5 = 4p", "$[NUMBER] = 4p"), "15") == []


def test_system_values_named_in_prose_segments():
    # "$D=6$ ($C$ and $D$ ...)": the segment ends the expression, so D = 6 is read
    masked = (
        r"So, we obtain $A=2, B=2, C=3$ and $D=6$ ($C$ and $D$ are interchangeable). "
        r"So $A+B+C+D = [NUMBER]+2+3+6 = \boxed{[NUMBER]}$."
    )
    # the plain reading replays the boxed step itself (the 2 of A=2 goes in the blank); the system reader,
    # asked alone, fixes D from its own segment
    found = _system(masked, parse_gold("13"))
    assert [masked[f.start : f.end] for f in found] == ["6"]


def test_an_interval_said_in_words_is_found_and_hidden():
    q = "What is the range of $y = \\log_2 (\\sqrt{\\sin x})$ for $0^\\circ< x < 180^\\circ$?"
    trace = (
        "On that interval $\\sin x$ is in $(0, 1]$, so the range is all non-positive numbers, or "
        "$x \\in \\boxed{(-\\infty, 0]}$."
    )
    masked = trace.replace("(-\\infty, 0]", "[EXPR]")
    assert "equivalent_form" in names(q, masked, "(-\\infty, 0]")
    assert "equivalent_form" not in names(q, masked, "(-\\infty, 0)")  # open at 0: non-positive says more
    r = mask_example(Example("w", "math", q, trace, "(-\\infty, 0]"))
    assert r.leak is None and "the range is [EXPR], or" in r.text


RATE_Q = (
    "A worker receives an annual wage of $\\$20{,}000$, which he always deposits into a savings account at "
    "the end of the year. By the end of the third year, he wants to have at least $\\$66,200$ in the "
    "account. What is the minimal compound interest rate? Express your answer as a percentage."
)
RATE = (
    "If the interest rate is $r$, it follows that $$20000(1+r)^2 + 20000(1+r) + 20000 \\ge 66200.$$ "
    "If we set $x = 1+r$ and divide through the inequality by $200$, it follows that "
    "$$100x^2 + 100x - 231 \\ge 0.$$ We factor it as $(10x - 11)(10x + 21) \\ge 0$, so "
    "$x \\ge \\frac{11}{10}$ and $r = \\boxed{10}\\%$."
)


def test_an_inequality_whose_boundary_is_the_gold():
    # every value of the set-up inequality visible: a reader solves it at its boundary, r = 1/10 (10%)
    masked = (
        "If the interest rate is $r$, it follows that $$20000(1+r)^2 + 20000(1+r) + 20000 \\ge 66200.$$ "
        "Dividing by $[NUMBER]$ gives $$100x^2 + 100x - [NUMBER] \\ge 0,$$ so $r = \\boxed{[NUMBER]}\\%$."
    )
    found = attacks(RATE_Q, masked, "10")
    assert [(f.attack, masked[f.start : f.end]) for f in found] == [
        ("constraints", "20000(1+r)^2 + 20000(1+r) + 20000 \\ge 66200")
    ]
    # one value of it hidden, or a boundary that is no gold (r > 0, 2r <= 7): nothing to solve for
    assert names(RATE_Q, masked.replace("\\ge 66200", "\\ge [NUMBER]"), "10") == set()
    assert names(RATE_Q, "Since $r > 0$ and $2r \\le 7$, $r = \\boxed{[NUMBER]}$.", "10") == set()


def test_the_masker_cuts_the_inequality_at_a_question_copy():
    r = mask_example(Example("rate", "math", RATE_Q, RATE, "10"), level="critical")
    assert r.leak is None and r.level == "critical" and r.repairs == ["constraints"]
    # the question's 66200 goes (the policy reads it back from the question); the plan stays
    assert "20000(1+r)^2 + 20000(1+r) + 20000 \\ge [NUMBER]" in r.text
    assert "100x^2 + 100x" in r.text


def test_shorthand_fractions_are_values():
    # \frac12 is the 1/2 the trace hides elsewhere: a derived value, hidden like it (and at `all`)
    q = "Alice flips a coin first, then Bob; the first head wins. What is the chance Alice wins?"
    trace = (
        "Alice wins on her first turn with chance $1/2$, and the ratio is $1/4$, so she wins with "
        "$$\\frac{\\frac12}{1-\\frac14} = \\boxed{\\frac{2}{3}}.$$"
    )
    for level in ("critical", "all"):
        r = mask_example(Example("coin", "math", q, trace, "\\frac{2}{3}"), level=level)
        assert r.leak is None
        assert "frac12" not in r.text and "frac14" not in r.text, r.text
        assert "\\frac{[EXPR]}" in r.text  # the shorthand's blank keeps its braces: still TeX
    # a shorthand fraction the question gives stays visible
    r = mask_example(Example("coin", "math", q + " Each flip wins with $\\frac12$.", trace, "\\frac{2}{3}"))
    assert "\\frac12" in r.text


def test_a_mixed_number_in_shorthand_is_one_value():
    # 16\frac23 is 16 2/3 (as 16\frac{2}{3} is): one value, one blank, never "[NUMBER][EXPR]"
    from smepo_data.math._values import numeric_value

    assert numeric_value("16\\frac23") == numeric_value("16\\frac{2}{3}") == Fraction(50, 3)
    q = "What is the probability that a number from 1 to 100 is even and not a multiple of 3?"
    trace = (
        "There are 50 even numbers. Dividing 100 by 6 gives $16\\frac23$, so there are 16 multiples of 6, "
        "which leaves $50-16 = 34$. The probability is $\\dfrac{34}{100} = \\boxed{\\dfrac{17}{50}}$."
    )
    r = mask_example(Example("mixed", "math", q, trace, "\\dfrac{17}{50}"))
    assert r.leak is None and "gives $[EXPR]$, so" in r.text, r.text


# --------------------------------------------------------------------------- system: the question asks

SUM_Q = r"The product of $3t^2+5t+a$ and $4t^2+bt-2$ is $12t^4+26t^3-8t^2-16t+6$. What is $a+b$?"


def test_system_the_question_asks_an_expression_of_the_traces_values():
    # the trace fixes a and b and hides only the last step: the question's own a+b is that step
    masked = (
        r"The constant terms give $6=-2a$, so $a$ is negative. The linear terms give "
        r"$-16t=[NUMBER]t+(-3)bt$, so $b=2$. Therefore our answer is $[EXPR]=\boxed{[NUMBER]}$."
    )
    # both values written as values ("$a=-3$", "$b=2$"): the point attack reads them first, blamed on both
    written = masked.replace("$a$ is negative", "$a=-3$")
    point = [written[f.start : f.end] for f in attacks(SUM_Q, written, "-1") if f.attack == "point"]
    assert {"3", "2"} <= set(point)  # both written values (and the identity in t that also fixes b)
    found = system(SUM_Q, masked, "-1")
    assert found and all("the question's 'a+b'" in f.detail for f in found)
    assert {masked[f.start : f.end] for f in found} == {"2"}  # the value that fixed b, the last operand
    assert system(SUM_Q, masked.replace("$b=2$", "$b=[NUMBER]$"), "-1") == []
    assert system(SUM_Q, masked, "5") == []  # a+b is not the gold: nothing


def test_system_the_question_asks_nothing_of_a_trace_that_fixes_no_name(monkeypatch):
    # every value the trace computes is hidden and it applies no function: no expression the question asks
    # can rest on it (nothing named is fixed, no definition applies), so the trace is read once, not again
    # with the question's expressions after it; a trace that fixes a (above) is read again
    from smepo_data.math import attacks as attacks_module

    texts: list[str] = []
    real = attacks_module.read_named
    monkeypatch.setattr(attacks_module, "read_named", lambda text: texts.append(text) or real(text))
    masked = (
        r"The constant terms give $6=[NUMBER]a$, so $a=[NUMBER]$. The linear terms give "
        r"$-16t=[NUMBER]t+(-3)bt$, so $b=[NUMBER]$. Therefore our answer is $[EXPR]=\boxed{[NUMBER]}$."
    )
    assert system(SUM_Q, masked, "-1") == []
    assert texts == [masked]
    texts.clear()
    assert system(SUM_Q, masked.replace("$6=[NUMBER]a$", "$6=-2a$"), "-1") == []
    assert len(texts) == 2 and texts[1].endswith("$a+b$")


def test_system_a_chain_gives_its_named_quantity_the_value_at_its_end():
    # x = xyz/yz = 4: the middle side needs x itself, the chain's value side fixes it (a reader reads
    # "x = ... = 4" as x = 4), so the question's x+y+z is visible; hiding the value cuts it
    q = r"If $x$, $y$, and $z$ are positive with $xy = 6$, $xz = 10$, and $yz = 15$, then find $x + y + z.$"
    masked = (
        r"Multiplying, $xyz = [EXPR] = [NUMBER].$ Then \begin{align*}"
        "\n"
        r"x &= \frac{xyz}{yz} = [EXPR] = 2, \\"
        "\n"
        r"y &= \frac{xyz}{xz} = [EXPR] = 3, \\"
        "\n"
        r"z &= \frac{xyz}{xy} = [EXPR] = 5."
        "\n"
        r"\end{align*}Hence, $[EXPR] = \boxed{[NUMBER]}.$"
    )
    found = system(q, masked, "10")
    assert found and {masked[f.start : f.end] for f in found} <= {"2", "3", "5"}
    assert system(q, masked.replace("= 5.", "= [NUMBER]."), "10") == []


def test_system_the_question_asks_a_polynomial_at_the_traces_point():
    q = r"Find the remainder when $(x + 5)^{3} + 3x^2 + 1$ is divided by $x + 2.$"
    masked = (
        r"By the Remainder Theorem we set $x = -2.$ This gives us \[[EXPR] + [EXPR] = \boxed{[NUMBER]}.\]"
    )
    found = system(q, masked, "40")
    assert [masked[f.start : f.end] for f in found] == ["-2"]
    assert system(q, masked.replace("-2", "[NUMBER]"), "40") == []


def test_system_the_question_asks_in_display_math():
    # "Equality occurs when x = 1": the question's displayed expression at x = 1 is the minimum
    q = "Find the minimum value of\n\\[\\frac{(x + 5)(x + 2)}{x + 1}\\]for $x > 0.$"
    masked = r"By AM-GM it is at least [NUMBER]. Equality occurs when $x = 1,$ so it is $\boxed{[NUMBER]}.$"
    found = system(q, masked, "9")
    assert [masked[f.start : f.end] for f in found] == ["1"]
    assert "\\frac{(x + 5)(x + 2)}{x + 1}" in found[0].detail
    assert system(q, masked.replace("x = 1", "x = [NUMBER]"), "9") == []


def test_system_the_question_asks_after_its_own_equations():
    # the question's equations are no expressions to evaluate, and do not shift which $ opens a segment
    q = r"If $x$, $y$, and $z$ are positive with $xy = 24$, $xz = 48$, and $yz = 72$, then find $x + y + z.$"
    masked = r"Dividing, $x = 4$, $y = 6$ and $z = 12$. Hence, $[EXPR] = \boxed{[NUMBER]}.$"
    found = _system(masked, parse_gold("22"), q)
    assert [masked[f.start : f.end] for f in found] == ["12"] and "'x + y + z'" in found[0].detail
    # run whole, the point attack reads the three values first (the system runs where nothing else is found)
    point = [masked[f.start : f.end] for f in attacks(q, masked, "22") if f.attack == "point"]
    assert point == ["4", "6", "12"]


def test_system_the_question_asks_a_function_the_trace_defines():
    q = r"A quadratic $p$ has roots at $-1$ and $-2$ and leading coefficient 1. Compute $p(1)$."
    masked = r"Its roots give $p(x) = x^2 + 3x + 2$, so the answer is $[EXPR] = \boxed{[NUMBER]}$."
    found = system(q, masked, "6")
    assert found and masked[found[0].start : found[0].end] in ("x^2 + 3x + 2", "p(x) = x^2 + 3x + 2")
    # the question's own definition, copied: evaluating it is the task
    own = r"Let $p(x) = x^2 + 3x + 2$. Compute $p(1)$."
    assert system(own, masked, "6") == []


def test_system_the_questions_given_values_are_no_leak():
    # x = 2 is the question's; evaluating the question's expression there is solving it
    q = r"If $x = 2$, what is the value of $x^2 + 3x$?"
    masked = r"Substituting $x = 2$ gives $[EXPR] + [EXPR] = \boxed{[NUMBER]}$."
    assert system(q, masked, "10") == []


def test_system_masking_hides_an_operand_of_the_questions_expression():
    trace = (
        r"The constant terms give $6=-2a$, so $a=-3$. The linear terms give $-16t=-10t+(-3)bt$, "
        r"so $b=2$. Therefore our answer is $a+b=\boxed{-1}$."
    )
    r = mask_example(Example("s", "math", SUM_Q, trace, "-1"), level="critical")
    assert r.leak is None and r.level == "critical"
    assert any("the question's 'a+b'" in s.reason for s in r.spans)
    assert system(SUM_Q, r.text, "-1") == []
    assert "a=-3" in r.text or "b=2" not in r.text  # one operand hidden, the plan's names kept
    assert "a" in r.text and "b" in r.text


def test_an_ordinal_or_count_of_the_plans_equations_is_a_label():
    # "the third equation", "the third given equation", "the three given equations" enumerate the plan
    # (the answer 3 is no value they name); "a third of" and a third day still state 3
    q = "Using the equations below, what is $b$?"
    for text in (
        "Substitute the second equation into the third equation, so $b=[NUMBER]$.",
        "Plugging these values into the third given equation, $b=[NUMBER]$.",
        "The three given equations become a system, and $b=[NUMBER]$.",
    ):
        assert "equivalent_form" not in names(q, text, "3"), text
    assert "equivalent_form" in names(q, "Take a third of it, so $b=[NUMBER]$.", "3")
    assert "equivalent_form" in names(q, "There are three values, so $b=[NUMBER]$.", "3")


def test_congruence_chains_are_relations_mod_m():
    q = r"If $k \equiv 3 \pmod{11}$, find the remainder when $(k+1)(k+5)(k+9)$ is divided by $11$."
    # term by term: the visible entries of sides written alike fill each other's blanks (4, 8, 1)
    termwise = (
        r"Then $(k+1)(k+5)(k+9) \equiv 4 \cdot 8 \cdot [NUMBER] \equiv [NUMBER] \cdot 8 \cdot 1"
        r" \equiv [NUMBER] \equiv \boxed{[NUMBER]} \pmod{11}$."
    )
    assert names(q, termwise, "10") == {"congruence"}
    # a position with no visible entry anywhere cuts it
    assert names(q, termwise.replace(r"\equiv 4 \cdot", r"\equiv [NUMBER] \cdot"), "10") == set()
    # entries that disagree mod m are no term-by-term reading
    assert names(q, termwise.replace(r"\cdot 8 \cdot 1", r"\cdot 9 \cdot 1"), "10") == set()
    # a side of visible values alone gives the residue
    side = r"The last two leave $5+7 \equiv \boxed{[NUMBER]} \pmod 9$."
    assert names("Find the remainder of $1+3+5+\\dots+41$ modulo 9.", side, "3") == {"congruence"}
    # the question's own expression is the task, no leak
    own = r"So $2+5+8 \equiv [NUMBER]+[NUMBER]+0 \equiv \boxed{[NUMBER]} \pmod 4$."
    assert names("What is the remainder when $$2+5+8$$ is divided by 4?", own, "3") == set()


def test_listed_items_added_up_with_a_visible_relation():
    q = r"Let $p(x) = x^3 - 12x^2 + 5x - 7$. Compute the sum of the roots of $p(x - 2)$."
    masked = (
        r"Let $r,$ $s,$ $t$ be the roots of $p$. By Vieta's formulas, $r + s + t = 12.$"
        r" The roots of $p(x-2)$ are $r + 2,$ $s + 2,$ and $t + 2,$ so their sum is"
        r" $r + s + t + [NUMBER] = 12 + [NUMBER] = \boxed{[NUMBER]}.$"
    )
    assert "listed" in names(q, masked, "18")
    # the relation's value hidden: the sum is no number any more
    cut = masked.replace("= 12.", "= [NUMBER].").replace("= 12 +", "= [NUMBER] +")
    assert "listed" not in names(q, cut, "18")
    # the product of the list over a visible product of the quantities
    prod = r"Since $rst = 7,$ the roots $2r,$ $2s,$ and $2t$ have product $\boxed{[NUMBER]}$."
    assert "listed" in names("Find the product of the roots of $q$.", prod, "56")
    # the quantities themselves are the relation, no list to add up
    bare = r"The roots $r,$ $s,$ and $t$ have $r + s + t + [NUMBER] = [NUMBER]$ and $r + s + t = 12$."
    assert "listed" not in names("Find the sum of the roots.", bare, "12")


ROTATION_Q = (
    "A $90^\\circ$ counter-clockwise rotation around $2 + i$ is applied to $5$. What complex number results?"
)
ROTATION = (
    "Since the center of the rotation is $2 + i,$ \\[z - (2 + i) = i(5 - (2 + i)).\\]Solving, we find "
    "$z = \\boxed{3 + 4i}.$"
)


def test_i_is_the_imaginary_unit_in_a_complex_row():
    # blind round 9 (MATH-500 precalculus/1291): the rotation's equation stayed visible and solves to the
    # gold, but the attacks read i as a second unknown
    masked = ROTATION.replace("3 + 4i", "[EXPR]")
    found = attacks(ROTATION_Q, masked, "3 + 4i", ROTATION)
    assert any(f.attack == "constraints" and "z = 3+4i" in f.detail for f in found), found
    # its question need not say "complex" when the gold is one; a question that says it counts alike
    assert attacks("Rotate 5 by 90 degrees around 2 + i.", masked, "3 + 4i", ROTATION)
    r = mask_text("math", ROTATION, question=ROTATION_Q, answer="3 + 4i")
    assert r.leak is None and r.level == "critical"
    assert not [f for f in attacks(ROTATION_Q, r.text, "3 + 4i", ROTATION) if f.attack == "constraints"]


def test_i_stays_a_variable_outside_complex_rows():
    question = "If $x + i = 7$ and $i = 2$, what is $x$?"
    trace = "We have $x + i = 7$ and $i = 2$, so $x = \\boxed{5}$."
    masked = trace.replace("\\boxed{5}", "\\boxed{[NUMBER]}")
    found = attacks(question, masked, "5", trace)
    assert any("x = 5" in f.detail for f in found), found  # i solved from i = 2, as any letter


ANGLES_Q = (  # MATH-500 test/geometry/434.json
    "$\\overline{BC}$ is parallel to the segment through $A$, and $AB = BC$. What is the number of degrees "
    "represented by $x$?\n\n[asy]\ndraw((0,0)--(10,0));\ndraw((0,3)--(10,3));\ndraw((2,3)--(8,0));\n"
    'draw((2,3)--(4,0));\nlabel("$A$",(2,3),N);\nlabel("$B$",(4,0),S);\nlabel("$C$",(8,0),S);\n'
    'label("$124^{\\circ}$",(2,3),SW);\nlabel("$x^{\\circ}$",(4.5,3),S);\n[/asy]'
)
ANGLES = (  # its trace's last sentences
    "The sum of the three angles at $A$ is $180^\\circ$, since they form a straight angle. Therefore, "
    "$$124+x+x=180,$$ which we can solve to obtain $x=\\boxed{28}$."
)


def test_an_equation_in_a_variable_is_cut_at_the_question_value():
    # 124+x+x=180 gives x: the cut hides the 124 the question states (the policy reads it back), not the
    # straight angle's 180, which the sentence before states again
    r = mask_text("math", ANGLES, question=ANGLES_Q, answer="28")
    assert r.leak is None and r.level == "critical"
    assert "$$[NUMBER]+x+x=180,$$" in r.text and "$180^\\circ$" in r.text


def test_a_computed_value_is_still_where_the_chain_is_cut():
    # 32+40=72 then x - 0.25x = 72: the 72 flows from a visible step, so the chain is cut there (hiding the
    # question's 0.25 would leave 0.75x = 72 to replay)
    q = "She has 32 cherry and 40 lemon sours; orange sours then make up 25% of all. How many sours in all?"
    trace = (
        "There are 32 + 40 = <<32+40=72>>72 cherry and lemon sours.\n"
        "Let x be the total: x - 0.25*x = 72, so 0.75*x = 72 and x = 72 / 0.75 = <<72/0.75=96>>96.\n#### 96"
    )
    for level in ("answer", "critical"):
        r = mask_text("math", trace, question=q, answer="96", level=level)
        assert r.leak is None
        assert "0.75*x = 72" not in r.text and "= 72 /" not in r.text, (level, r.text)


def test_a_range_in_words_hides_both_bounds_or_neither():
    # MATH-500 test/prealgebra/1238.json: "between $1$ and [NUMBER]" beside "between [NUMBER] and $3$" left
    # one integer between, the answer; a range with one bound hidden goes whole
    q = "What integer $x$ satisfies $\\frac{1}{4}<\\frac{x}{7}<\\frac{1}{3}$?"
    trace = (
        "Multiplying all expressions in the inequalities by $7$, we have $\\frac74 < x < \\frac73$. Since "
        "$\\frac74$ is between $1$ and $2$, and $\\frac73$ is between $2$ and $3$, the only integer $x$ "
        "between these two fractions is $\\boxed{2}$."
    )
    r = mask_text("math", trace, question=q, answer="2")
    assert r.leak is None and r.level == "critical"
    assert (
        "between $[NUMBER]$ and $[NUMBER]$, and" in r.text
        and "between $[NUMBER]$ and $[NUMBER]$, the" in r.text
    )
    # bounds the question gives, neither hidden, stay
    kept = mask_text(
        "math",
        "The value $x$ is between 10 and 20 and is a multiple of 7, so $x = \\boxed{14}$.",
        question="A multiple of 7 lies between 10 and 20. What is it?",
        answer="14",
    )
    assert "between 10 and 20" in kept.text


def test_a_zero_dot_product_or_perpendicular_gives_a_right_angle():
    # MATH-500 precalculus/927 (blind round 26): a visible "= 0" after a dot product of the lines' directions
    question = "Find the angle between these lines, in degrees."
    masked = (
        r"Note that \[\begin{pmatrix} 3 \\ 2 \\ -6 \end{pmatrix} \cdot \begin{pmatrix} 2 \\ -[NUMBER] \\ -3 "
        r"\end{pmatrix} = 0.\]Hence, the angle between the lines is $\boxed{[NUMBER]^\circ}.$"
    )
    found = [f for f in attacks(question, masked, r"90^\circ") if f.attack == "equivalent_form"]
    assert [masked[f.start : f.end] for f in found] == ["0"]
    assert not [f for f in attacks(question, masked, "45") if f.attack == "equivalent_form"]  # another gold
    assert not [
        f for f in attacks("Find x.", masked, "90") if f.attack == "equivalent_form"
    ]  # no angle asked
    words = "The two lines are perpendicular, so the angle is $\\boxed{[NUMBER]^\\circ}$."
    assert [f.attack for f in attacks(question, words, "90")] == ["equivalent_form"]
    assert (
        attacks("Find the angle between the perpendicular lines.", words, "90") == []
    )  # the question's word
    trace = masked.replace("-[NUMBER]", "-12").replace(r"\boxed{[NUMBER]^\circ}", r"\boxed{90^\circ}")
    r = mask_text("math", trace, question=question, answer=r"90^\circ", level="critical")
    assert r.leak is None and r"\end{pmatrix} = [NUMBER]." in r.text
