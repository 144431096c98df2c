"""The bound attacks (:mod:`smepo_data.math._bounds`) and their counterpart in the independent checker: a
visible inequality's bound written into a visible ratio, and the range of a visible one-variable function on
a visible interval. Traces are constructed, each with the cut the masker's repair makes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import sympy  # noqa: F401 - imported before the checker's row budget starts counting (a cold import is slow)

from smepo_data import Example, mask_example, mask_text
from smepo_data.math._answer import parse_gold
from smepo_data.math._bounds import bounds
from smepo_data.math.attacks import attacks

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "recover_check.py"


def _checker():
    spec = importlib.util.spec_from_file_location("recover_check", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["recover_check"] = module
    spec.loader.exec_module(module)
    return module


rc = _checker()

RATIO_Q = r"Find the maximum value of $\frac{a + b}{a^2 + b^2 + 2}$ over all positive reals $a$ and $b.$"
RATIO = (
    r"By AM-GM, $a^2 + 1 \ge 2a$ and $b^2 + 1 \ge 2b,$ so $a^2 + b^2 + 2 \ge 2(a + b).$ Hence"
    "\n"
    r"\[\frac{a + b}{a^2 + b^2 + 2} \le [EXPR].\]Equality occurs at $a = b = [NUMBER],$ so the maximum is "
    r"$\boxed{[EXPR]}.$"
)
RANGE_Q = r"Let $g(x) = \cos^2 x - 2 \cos x + 2.$ Find the range of $g(x).$"
RANGE = (
    r"Let $c = \cos x,$ so $-1 \le c \le 1.$ Then $g(x) = (c - 1)^2 + 1,$ which decreases on the interval, "
    r"so the range of $g$ is $\boxed{[EXPR]}.$"
)
ABS_Q = r"For $0 \le t \le \frac{3}{2},$ find the greatest value of $E(t) = t^2 + |4t^2 - 4t + 1|.$"
ABS = (
    r"Since $|4t^2 - 4t + 1| = (2t - 1)^2 = |2t - 1|^2$, let $s = 2t,$ so $0 \le s \le 3,$ and "
    r"$E = \frac{s^2}{4} + |s - 1|^2.$ Hence the greatest value is $\boxed{[NUMBER]}.$"
)


def _found(question: str, masked: str, answer: str) -> list:
    return bounds(question, masked, parse_gold(answer))


def _checked(question: str, masked: str, answer: str) -> dict:
    rc._init_worker(8.0)
    return rc.check_row({"id": "t", "question": question, "trace": masked, "masked": masked, "gold": answer})


def test_a_visible_bound_written_into_the_ratio_gives_its_maximum():
    [f] = _found(RATIO_Q, RATIO, r"\frac{1}{2}")
    assert f.attack == "constraints" and RATIO[f.start : f.end] == "2(a + b)"  # the bound is blamed
    assert "constraints" in _checked(RATIO_Q, RATIO, r"\frac{1}{2}")["leaks"]
    cut = RATIO.replace(r"\ge 2(a + b)", r"\ge [NUMBER](a + b)")  # a coefficient of the bound hidden
    assert _found(RATIO_Q, cut, r"\frac{1}{2}") == []
    assert "constraints" not in _checked(RATIO_Q, cut, r"\frac{1}{2}")["leaks"]
    # another value: no leak
    assert _found(RATIO_Q, RATIO, r"\frac{1}{3}") == []


def test_the_range_of_a_visible_function_on_a_visible_interval():
    [f] = _found(RANGE_Q, RANGE, "[1,5]")
    assert RANGE[f.start : f.end] == "(c - 1)^2 + 1"
    assert "constraints" in _checked(RANGE_Q, RANGE, "[1,5]")["leaks"]
    cut = RANGE.replace("(c - 1)^2", "(c - [NUMBER])^2")
    assert _found(RANGE_Q, cut, "[1,5]") == []
    assert "constraints" not in _checked(RANGE_Q, cut, "[1,5]")["leaks"]
    # the question's own function on the question's own interval is the task, not a leak
    own = r"Since $-1 \le c \le 1,$ the range of $c^2 + 1$ is $\boxed{[EXPR]}.$"
    assert _found(r"Find the range of $c^2 + 1$ for $-1 \le c \le 1.$", own, "[1,2]") == []


def test_a_maximum_through_an_absolute_value():
    # s^2/4 + (s - 1)^2 on [0, 3]: greatest 25/4 at s = 3 (the reader does not read |...|: written as a root)
    [f] = _found(ABS_Q, ABS, r"\frac{25}{4}")
    assert ABS[f.start : f.end] == r"\frac{s^2}{4} + |s - 1|^2"
    assert "constraints" in _checked(ABS_Q, ABS, r"\frac{25}{4}")["leaks"]
    assert _found(ABS_Q.replace("greatest", "average"), ABS, r"\frac{25}{4}") == []  # no range asked


@pytest.mark.parametrize(
    ("question", "masked", "answer"),
    [(RATIO_Q, RATIO, r"\frac{1}{2}"), (RANGE_Q, RANGE, "[1,5]")],
)
def test_the_masker_cuts_the_route(question, masked, answer):
    # the original trace: placeholders filled back with what they hid
    trace = masked.replace("[EXPR]", answer if "Equality" not in masked else r"\frac{1}{2}", 1)
    trace = trace.replace("[NUMBER]", "1").replace("[EXPR]", answer)
    for level in ("answer", "critical"):
        r = mask_example(Example("b", "math", question, trace, answer), level)
        assert r.leak is None, (level, r.leak)
        assert attacks(question, r.text, answer, trace) == [], (level, r.text)
        assert "constraints" not in _checked(question, r.text, answer)["leaks"], (level, r.text)


def test_a_bound_reached_through_a_chain_with_a_blank_inside():
    q = r"Find the minimum value of $t + \frac{9}{t} + 2$ for $t > 0.$"
    masked = (
        r"By AM-GM, $t + \frac{9}{t} \ge [NUMBER] \sqrt{t \cdot \frac{9}{t}} = 6,$ so "
        r"$t + \frac{9}{t} + 2 \ge [NUMBER].$ The minimum is $\boxed{[NUMBER]}.$"
    )
    [f] = _found(q, masked, "8")
    assert masked[f.start : f.end] == "6"  # t + 9/t >= 6 through the chain: the chain's end is blamed
    assert "constraints" in _checked(q, masked, "8")["leaks"]
    cut = masked.replace("= 6,", "= [NUMBER],")
    assert _found(q, cut, "8") == []
    assert "constraints" not in _checked(q, cut, "8")["leaks"]
    # relations of opposite directions bound nothing
    turned = masked.replace(r"\sqrt{t \cdot \frac{9}{t}} = 6", r"\sqrt{t \cdot \frac{9}{t}} \le 6")
    assert _found(q, turned, "8") == []
    assert "constraints" not in _checked(q, turned, "8")["leaks"]


def test_a_bound_on_some_operands_of_a_product():
    q = r"Positive reals $p$ and $q$ have $p + q = 5.$ Find the largest possible value of $3pq.$"
    masked = (
        r"By AM-GM, $\sqrt{pq} \le \frac{p + q}{2},$ so $pq \le \frac{25}{4}.$ Then $3pq \le [EXPR],$ "
        r"so the answer is $\boxed{[EXPR]}.$"
    )
    [f] = _found(q, masked, r"\frac{75}{4}")
    assert masked[f.start : f.end] == r"\frac{25}{4}"  # pq written as 25/4 inside 3pq
    assert "constraints" in _checked(q, masked, r"\frac{75}{4}")["leaks"]
    cut = masked.replace(r"pq \le \frac{25}{4}", r"pq \le [EXPR]")
    assert _found(q, cut, r"\frac{75}{4}") == []
    assert "constraints" not in _checked(q, cut, r"\frac{75}{4}")["leaks"]


def test_an_interval_with_a_root_at_its_ends():
    q = r"Find the greatest value of $(\sin \theta + \cos \theta)^2 + 1.$"
    masked = (
        r"Let $v = \sin \theta + \cos \theta,$ so $-\sqrt{2} \le v \le \sqrt{2},$ and the expression is "
        r"$E = v^2 + 1.$ Its greatest value is $\boxed{[NUMBER]}.$"
    )
    [f] = _found(q, masked, "3")
    assert masked[f.start : f.end] == "v^2 + 1"
    assert "constraints" in _checked(q, masked, "3")["leaks"]


COUNT_Q = (
    "The square root of $t$ is greater than $2$ and less than $3.5$. How many integer values of $t$ satisfy "
    "this condition?"
)
COUNT = (  # MATH-500 test/algebra/224.json
    "We have: $2 < \\sqrt{t} < \\frac{7}{2}$ so squaring the inequality (which we can do because all the "
    "terms in it are positive) gives us  $4 < t <\\frac{49}{4}=12.25$.  Therefore, $t$ is an integer "
    "between 5 and 12 inclusive, which leaves us with $\\boxed{8}$ possible integer values of $t$."
)


def test_a_visible_chain_counts_the_integers_between_its_boundaries():
    masked = (
        COUNT.replace("$4 < t <\\frac{49}{4}=12.25$", "$[NUMBER] < t <[EXPR]=[NUMBER]$")
        .replace("between 5 and 12", "between [NUMBER] and [NUMBER]")
        .replace("{8}", "{[NUMBER]}")
    )
    found = [f for f in attacks(COUNT_Q, masked, "8") if f.attack == "constraints"]
    assert len(found) == 1 and "8 integers" in found[0].detail
    assert masked[found[0].start : found[0].end] == "2 < \\sqrt{t} < \\frac{7}{2}"
    # another count, a question that counts no integers, or bounds the same way round: nothing
    assert not [f for f in attacks(COUNT_Q, masked, "9") if f.attack == "constraints"]
    assert not attacks(COUNT_Q.replace("integer values", "values"), masked, "8")
    one_way = masked.replace("2 < \\sqrt{t} < \\frac{7}{2}", "2 < \\sqrt{t} > \\frac{7}{2}")
    assert not attacks(COUNT_Q, one_way, "8")
    # non-strict bounds count their integer ends: 4 <= t <= 12.25 holds 4..12, 9 integers
    closed = masked.replace("2 < \\sqrt{t} < \\frac{7}{2}", "2 \\le \\sqrt{t} \\le \\frac{7}{2}")
    assert [f.attack for f in attacks(COUNT_Q, closed, "9")] == ["constraints"]
    # an irrational bound (MATH-500 test/algebra/1282.json): 0 <= k <= sqrt(120) holds 0..10, 11 integers
    root = "Then $0\\le k \\le \\sqrt{120}$, so there are $\\boxed{[NUMBER]}$ values."
    found = attacks("How many integer values of $k$ are there?", root, "11")
    assert [f.attack for f in found] == ["constraints"]


def test_the_masker_cuts_the_counted_chain():
    r = mask_text("math", COUNT, question=COUNT_Q, answer="8")
    assert r.leak is None and r.level == "critical"
    assert "< \\sqrt{t} <" in r.text and "2 < \\sqrt{t} < \\frac{7}{2}" not in r.text


def test_a_middle_that_turns_back_counts_nothing():
    # -4 < 8/t < 4 holds for |t| > 2, not between its roots (-1, 0, 1): no count of "the integers between"
    q = "How many integer values of $t$ satisfy it?"
    masked = "So $-4 < \\frac{8}{t} < 4$ and there are $\\boxed{[NUMBER]}$."
    assert attacks(q, masked, "3") == []
    # the same count over a middle that does not turn back is found
    rising = "So $-8 < 4t < 8$ and there are $\\boxed{[NUMBER]}$."
    assert [f.attack for f in attacks(q, rising, "3")] == ["constraints"]
