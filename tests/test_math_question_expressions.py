"""The question's own expression, written again in the trace (issue 11, over-masking): "Simplify
$\\frac{3}{\\sqrt{27}}$" beside a trace that starts ``\\frac{3}{\\sqrt{27}} = ...``. Evaluating it is the
task, so the masker leaves it visible and no attack blames it; a step that goes on from it with values of the
trace is still a replay. Also the ``matched`` attack: a side with a letter and a side written alike with
values (MATH-500 2430 as a first version of this change wrote it, with the question's ``\\frac{255}{512}``
visible: ``\\frac{[N]^n-1}{[N]^{n+1}}`` then ``\\frac{[N]^8-1}{[N]^9}``, and no attack read n = 8 off the
exponents). Each case is built here, in other numbers."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math._matched import letter_values
from smepo_data.math._question import question_computation
from smepo_data.math._restated import restated
from smepo_data.math.attacks import attacks

BINOM_Q = "Compute $\\dbinom{14}{11}$."
BINOM_TRACE = (
    "\\begin{align*}\n\\dbinom{14}{11} &= \\dbinom{14}{3} \\\\\n"
    "&= \\dfrac{14\\times 13\\times 12}{3\\times 2\\times 1} \\\\\n&= \\boxed{364}.\n\\end{align*}"
)
ROOT_Q = "Simplify $\\frac{5}{\\sqrt{20}}$."
ROOT_TRACE = (
    "We have $\\frac{5}{\\sqrt{20}}=\\frac{5}{2\\sqrt{5}}=\\frac{\\sqrt{5}}{2}$, so the answer is "
    "$\\boxed{\\frac{\\sqrt{5}}{2}}$."
)


def _found(question: str, masked: str, answer: str) -> list[str]:
    return sorted({f.attack for f in attacks(question, masked, answer)})


def test_a_computation_the_question_writes_whole():
    assert question_computation("\\frac{5}{\\sqrt{20}}", ROOT_Q)
    assert question_computation("\\dbinom{14}{11}", BINOM_Q)
    assert question_computation("6^3 - 5^3", "What is $6^3 - 5^3$?")
    # a part of the question's expression, or a value written plainly, is not
    assert not question_computation("6^3", "What is $6^3 - 5^3$?")
    assert not question_computation("\\frac{4}{9}", "What is $\\frac{4}{9}$ as a decimal?")
    assert not question_computation("-2\\sqrt{5}", "Write $-2\\sqrt{5}$ as $-\\sqrt{n}$.")
    # not in the question at all
    assert not question_computation("\\frac{5}{\\sqrt{20}}", "Simplify $\\frac{5}{\\sqrt{45}}$.")
    # the question writes two expressions of values or more: one may be the pick (options, a modulus)
    assert not question_computation("2^{10}", "Which is larger, $2^{10}$ or $3^{6}$?")
    assert not question_computation("2^{10}", "Find the remainder when $2^{10}$ is divided by $7$.")
    assert not question_computation("3^2", "What is $x$ in the arithmetic sequence $3^2, x, 3^4$?")
    # a question in prose (GSM8K) writes no math segment: nothing is spared
    assert not question_computation("3*4+2", "What is 3*4+2?")


def test_the_masker_leaves_the_question_s_expression_visible():
    r = mask_text("math", ROOT_TRACE, question=ROOT_Q, answer="\\frac{\\sqrt{5}}{2}", level="critical")
    assert r.level == "critical" and r.leak is None
    assert r.text.startswith("We have $\\frac{5}{\\sqrt{20}}=[")  # the simplified forms stay hidden
    assert "\\sqrt{5}" not in r.text.replace("\\sqrt{20}", "")
    b = mask_text("math", BINOM_TRACE, question=BINOM_Q, answer="364", level="critical")
    assert b.level == "critical" and b.leak is None
    assert "\\dbinom{14}{11} &= \\dbinom{14}{[NUMBER]}" in b.text and "364" not in b.text
    assert attacks(BINOM_Q, b.text, "364") == []


def test_no_attack_blames_the_question_s_expression():
    masked = "We have $\\frac{5}{\\sqrt{20}}=[EXPR]=[EXPR]$, so the answer is $\\boxed{[EXPR]}$."
    assert attacks(ROOT_Q, masked, "\\frac{\\sqrt{5}}{2}") == []  # no visible_value, replay or restated
    assert restated(ROOT_TRACE, masked, ROOT_Q) == []
    assert restated(ROOT_TRACE, masked, "") != []  # without the question, the value is restated
    diff = "What is $6^3 - 5^3$?"
    assert attacks(diff, "We have $6^3 - 5^3 = [NUMBER] - [NUMBER] = \\boxed{[NUMBER]}$.", "91") == []


def test_a_step_beyond_the_question_s_expression_is_still_a_replay():
    # one operand of the next step is the trace's own value: 216 - 125
    diff = "What is $6^3 - 5^3$?"
    assert _found(diff, "We have $6^3 - 5^3 = 216 - [NUMBER] = \\boxed{[NUMBER]}$.", "91") == ["replay"]
    # the question's expression fixes a, then the trace computes on with its own 17
    q = "Let $a = 3^4$. What is $a - 17$?"
    masked = "First, $a = 3^4 = [NUMBER]$, so $a - 17 = [NUMBER] - 17 = \\boxed{[NUMBER]}$."
    assert "replay" in _found(q, masked, "64")
    # a written value of the question that the trace picks among others is still the answer
    choice = "Which is larger, $\\frac{3}{7}$ or $\\frac{4}{9}$?"
    picked = "Cross-multiplying, $27 < 28$, so $\\frac{4}{9}$ is larger: $\\boxed{[EXPR]}$."
    assert "visible_value" in _found(choice, picked, "\\frac{4}{9}")


def test_a_choice_among_the_question_s_expressions_stays_hidden():
    # review of the first version: a question that lists two computations or more and asks which one; the
    # trace's pick, written with its value, is the answer (typed and indexed placeholders alike)
    picks = (
        (
            "Which is larger, $2^{10}$ or $3^{6}$? Give its value.",
            "We have $2^{10} = 1024$ and $3^{6} = 729$, so the larger is $\\boxed{1024}$.",
            "1024",
            "indexed",
        ),
        (
            "Which is the largest of $2^{10}$, $3^6$ and $5^4$? Give its value.",
            "The largest is $2^{10}=1024$, since $3^6 = 729$ and $5^4 = 625$. So $\\boxed{1024}$.",
            "1024",
            "typed",
        ),
        (
            "Which is larger, $\\frac{3}{\\sqrt{27}}$ or $\\frac{2}{\\sqrt{8}}$?",
            "Rationalising, $\\frac{3}{\\sqrt{27}} = \\frac{\\sqrt{3}}{3}$ and "
            "$\\frac{2}{\\sqrt{8}} = \\frac{\\sqrt{2}}{2}$, so the larger is $\\frac{2}{\\sqrt{8}}$, "
            "which is $\\boxed{\\frac{\\sqrt{2}}{2}}$.",
            "\\frac{\\sqrt{2}}{2}",
            "typed",
        ),
        (
            "Which is smaller, $-2\\sqrt{5}$ or $-3\\sqrt{2}$? Express it as $-\\sqrt{n}$.",
            "Squaring, $20 > 18$, so $-2\\sqrt{5}$ is smaller, and it equals $\\boxed{-\\sqrt{20}}$.",
            "-\\sqrt{20}",
            "typed",
        ),
    )
    for q, trace, gold, placeholder in picks:
        r = mask_text("math", trace, question=q, answer=gold, level="critical", placeholder=placeholder)
        assert r.level == "critical" and r.leak is None, r
        assert "2^{10} =" not in r.text and "2^{10}=" not in r.text, r.text
        assert "\\frac{2}{\\sqrt{8}}" not in r.text and "$-2\\sqrt{5}$" not in r.text, r.text
    # the attacks still blame the pick where it stands visible
    masked = "We have $2^{10} = [BLANK_1]$ and $3^{6} = [BLANK_2]$, so the larger is $\\boxed{[BLANK_1]}$."
    assert "replay" in _found("Which is larger, $2^{10}$ or $3^{6}$? Give its value.", masked, "1024")


GEOMETRIC_Q = (
    "The sum of the first $k$ terms of the geometric sequence $\\left\\{\\frac{1}{3},\\frac{1}{9},"
    "\\frac{1}{27},\\dots \\right\\}$ is $\\frac{364}{729}$. Find $k$."
)
GEOMETRIC_MASKED = (
    "$\\frac{364}{729}=[EXPR]\\left(\\frac{1-\\left(\\frac{1}{[NUMBER]}\\right)^k}{1-\\frac{1}{[NUMBER]}}"
    "\\right)=\\frac{[NUMBER]^k-1}{[NUMBER]\\cdot[NUMBER]^{k}}$.\n\nWe see that $\\frac{364}{729}="
    "\\frac{[NUMBER]^6-1}{[NUMBER]\\cdot[NUMBER]^6}$, so $k=\\boxed{[NUMBER]}$."
)


def _sides(text: str, form: str, instance: str):
    reading = read_equations(text)
    by_text = {text[s.start : s.end]: s for s in reading.sides}
    return by_text[form], by_text[instance]


def test_a_form_and_its_instance_fix_the_letter():
    form, instance = _sides(
        GEOMETRIC_MASKED,
        "\\frac{[NUMBER]^k-1}{[NUMBER]\\cdot[NUMBER]^{k}}",
        "\\frac{[NUMBER]^6-1}{[NUMBER]\\cdot[NUMBER]^6}",
    )
    assert letter_values(form, instance) == {"v:k": 6}
    found = [f for f in attacks(GEOMETRIC_Q, GEOMETRIC_MASKED, "6") if f.attack == "matched"]
    assert [GEOMETRIC_MASKED[f.start : f.end] for f in found] == [
        "\\frac{[NUMBER]^6-1}{[NUMBER]\\cdot[NUMBER]^6}"
    ]
    assert not [f for f in attacks(GEOMETRIC_Q, GEOMETRIC_MASKED, "7") if "written with values" in f.detail]


def test_forms_that_do_not_match():
    # two parts of one letter that disagree (k = 6 and k + 1 = 8), a part not linear in its letter
    for text in (
        "$2^{k}+2^{k+1}=[NUMBER]$ and $2^{6}+2^{8}=[NUMBER]$",
        "$3\\cdot k^2-1=[NUMBER]$ and $3\\cdot 64-1=[NUMBER]$",
    ):
        reading = read_equations(text)
        forms = [s for s in reading.sides if "v:k" in s.unknowns]
        others = [s for s in reading.sides if not s.unknowns and s.tree[0] != "u"]
        assert forms and others
        assert all(letter_values(f, o) is None for f in forms for o in others)
    # one operator shared is too little: x^2 beside 3^2 is the trace's check of a root
    reading = read_equations("$x^2=[NUMBER]$, and indeed $3^2=[NUMBER]$")
    form, instance = reading.sides[0], reading.sides[2]
    assert letter_values(form, instance) is None


def test_the_independent_checker_reads_the_form_and_its_instance_too():
    from .test_recover_check import as_record, rc, row

    template = (
        "$\\frac{364}{729}=\\frac{⟦3^k-1|NUMBER⟧}{2\\cdot3^{k}}$, so $\\frac{364}{729}="
        "\\frac{⟦3|NUMBER⟧^6-1}{⟦2|NUMBER⟧\\cdot⟦3|NUMBER⟧^6}$ and $k=\\boxed{⟦6|NUMBER⟧}$."
    )
    rc._init_worker(8.0)
    for gold, found in (("6", True), ("7", False)):
        got = rc.check_row(as_record(row("matched", GEOMETRIC_Q, template, gold)))
        assert got["unchecked"] == [], got
        hits = [x for x in got["leaks"].get("constraints", []) if "written with numbers" in x["detail"]]
        assert bool(hits) is found, got["leaks"]


def test_thousands_of_sides_are_compared_within_a_bound():
    import smepo_data.math.attacks as attacks_module

    text = " ".join(f"$x^{{2}}+x-{k}=[NUMBER]$ and $3^{{2}}+3-{k}=[NUMBER]$." for k in range(1500))
    reading = read_equations(text)
    assert len(reading.sides) == 6000
    # instance k matches form k only (x = 3), after the k forms before it: the bound on pairs compared
    # stops the reading long before the 1500 * 1500 pairs (the first instances are still read)
    found = attacks_module._matched("Find $x$.", text, attacks_module.parse_gold("3"), reading)
    assert 0 < len(found) < 1500
    assert found[0].detail.startswith("'x^{2}+x-0' written with values as '3^{2}+3-0': x = 3")
    assert attacks_module._matched("Find $x$.", text, attacks_module.parse_gold("4"), reading) == []


def test_the_masker_hides_a_form_s_instance_whole():
    # the instance's values stand in exponents, which a repair never hides alone: the instance goes whole,
    # and the row is written at its level (it was rejected as `leak` when the repair hid one value at a time)
    trace = (
        "This is a geometric sequence with first term $\\frac{1}{3}$ and common ratio $\\frac{1}{3}$. So\n\n"
        "$\\frac{364}{729}=\\frac{1}{3}\\left(\\frac{1-\\left(\\frac{1}{3}\\right)^k}{1-\\frac{1}{3}}\\right)"
        "=\\frac{3^k-1}{2\\cdot3^{k}}$.\n\nWe see that $\\frac{364}{729}=\\frac{3^6-1}{2\\cdot3^6}$, so "
        "$k=\\boxed{6}$."
    )
    r = mask_text("math", trace, question=GEOMETRIC_Q, answer="6", level="critical")
    assert r.level == "critical" and r.leak is None
    assert "3^6" not in r.text and "^6" not in r.text
    assert "\\frac{3^k-1}{[NUMBER]\\cdot3^{k}}" in r.text  # the form, the plan, stays
    assert [
        s.reason.split(":")[0] for s in r.spans if trace[s.start : s.end] == "\\frac{3^6-1}{2\\cdot3^6}"
    ] == ["audit (matched)"]


def test_a_part_not_linear_in_its_letter_fixes_nothing():
    # (n^2)*3+1 against (1)*3+1: n = 1 or n = -1; three points tell it from a line (the checker too)
    from .test_recover_check import rc

    reading = read_equations("$(n^2)\\cdot 3+1=[NUMBER]$ and $(1)\\cdot 3+1=[NUMBER]$")
    form, instance = reading.sides[0], reading.sides[2]
    assert letter_values(form, instance) is None
    parser_form = (
        "add",
        [
            (1, ("mul", ("pow", ("var", "n"), ("num", rc.Fraction(2))), ("num", rc.Fraction(3)))),
            (1, ("num", rc.Fraction(1))),
        ],
    )
    parser_instance = (
        "add",
        [(1, ("mul", ("num", rc.Fraction(1)), ("num", rc.Fraction(3)))), (1, ("num", rc.Fraction(1)))],
    )
    assert rc.match_letters(parser_form, parser_instance) is None
    linear = ("add", [(1, ("mul", ("var", "n"), ("num", rc.Fraction(3)))), (1, ("num", rc.Fraction(1)))])
    assert rc.match_letters(linear, parser_instance) == {"n": 1}


def test_a_form_s_instance_goes_whole_with_its_left():
    # the side the reading gives starts at the bracket, after \left: the repair hides the \left with it, so
    # no "\left[EXPR]" is left dangling (MATH-500 686 in the first version)
    from smepo_data import Example, render
    from smepo_data._leak import Finding
    from smepo_data.math.masker import MathMasker

    trace = "We try $a=5$ and get $\\left(\\frac{5}{1-\\frac{2}{5}}\\right)=\\frac{25}{3}$."
    start = trace.index("(\\frac")
    end = trace.index("\\right)") + len("\\right)")
    ex = Example("x", "math", "Find the smallest $a$.", trace, "5")
    [span] = MathMasker().repair(ex, [], start, end, Finding("matched", "a form's instance", start, end))
    assert trace[span.start : span.end] == "\\left(\\frac{5}{1-\\frac{2}{5}}\\right)"
    assert "\\left" not in render(trace, [span]) and "get $[EXPR]=" in render(trace, [span])
