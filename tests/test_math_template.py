"""The ``template`` attack (issue 11, round 29's MATH-500 276 and 1201): the question names a form with
letters ("can be written as $(Ax-8)(Bx+3),$ where $A$ and $B$ are integers. What is $AB + B$?"), the trace
writes the form with values, a blank reading as what the visible equations fix; the question's own
expression of the letters at those values is the gold. Each case is built here, in other numbers."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._template import instances, question_template
from smepo_data.math.attacks import attacks

FACTOR_Q = (
    "The expression $6x^2+x-15$ can be written as $(Ax+5)(Bx-3),$ where $A$ and $B$ are integers. "
    "What is $A + AB$?"
)
FACTOR_TRACE = "We see that $6x^2+x-15=(3x+5)(2x-3)$, thus $A = 3$ and $B = 2$. Hence, $A + AB = \\boxed{9}$."
#: A hidden where the factorization fixes it (coefficient matching), B visible: 3 + 3*2 = 9
FACTOR_MASKED = (
    "We see that $6x^2+x-15=([NUMBER]x+5)(2x-3)$, thus $A = [NUMBER]$ and $B = 2$. "
    "Hence, $A + AB = \\boxed{[NUMBER]}$."
)
POWER_Q = (
    "The number $(3^{1/4})^3$ can be expressed in the form $p^{a/b}$, where $a,$ $b,$ $p$ are positive "
    "integers, $p$ is prime, and $a$ and $b$ are relatively prime. Find $a + b + p.$"
)
POWER_TRACE = "We have $(3^{1/4})^3 = 3^{3/4}$, so the answer is $3 + 4 + 3 = \\boxed{10}$."
POWER_MASKED = (
    "We have $(3^{1/4})^3 = 3^{3/4}$, so the answer is $[NUMBER] + [NUMBER] + [NUMBER] = \\boxed{[NUMBER]}$."
)


def test_the_question_s_form_letters_and_target():
    t = question_template(FACTOR_Q)
    assert t is not None and t.form == "(Ax+5)(Bx-3)" and t.letters == ("A", "B")
    assert t.target == ("+", ("u", "v:A"), ("*", ("u", "v:A"), ("u", "v:B")))
    [(span, slots)] = instances(t, FACTOR_MASKED)
    assert FACTOR_MASKED[span[0] : span[1]] == "([NUMBER]x+5)(2x-3)"
    assert [(s.letter, s.text) for s in slots] == [("A", "[NUMBER]"), ("B", "2")]
    p = question_template(POWER_Q)
    assert p is not None and p.form == "p^{a/b}" and p.letters == ("p", "a", "b")
    assert [[s.text for s in slots] for _, slots in instances(p, POWER_MASKED)] == [
        ["3", "1", "4"],
        ["3", "3", "4"],
    ]
    # no declaration, or no expression of the letters asked: no template
    assert question_template("Write $6x^2+x-15$ as $(Ax+5)(Bx-3)$. What is $A$ times 2?") is None
    assert question_template("Factor $6x^2+x-15$ as $(Ax+5)(Bx-3)$, where $A$ and $B$ are integers.") is None


def test_a_form_written_with_values_gives_the_letters_and_the_target():
    found = {f.attack: FACTOR_MASKED[f.start : f.end] for f in attacks(FACTOR_Q, FACTOR_MASKED, "9")}
    assert found.get("template") == "2"  # the visible B
    assert "constraints" in found  # and the factorization that fixes the blank A
    assert not [f for f in attacks(FACTOR_Q, FACTOR_MASKED, "8") if f.attack == "template"]  # not the gold
    # the blank nothing fixes (the factorization's other values hidden): no value for A, nothing found
    cut = FACTOR_MASKED.replace("6x^2+x-15=", "6x^2+x-[NUMBER]=").replace("x+5)", "x+[NUMBER])")
    assert not [f for f in attacks(FACTOR_Q, cut, "9") if f.attack == "template"]
    # every letter visible: blamed on a value outside an exponent (the base), never on an exponent alone
    power = [f for f in attacks(POWER_Q, POWER_MASKED, "10") if f.attack == "template"]
    assert [POWER_MASKED[f.start : f.end] for f in power] == ["3"] and power[0].start == POWER_MASKED.index(
        "= 3^"
    ) + 2


def test_the_masker_cuts_the_template_and_keeps_the_exponents():
    r = mask_text("math", FACTOR_TRACE, question=FACTOR_Q, answer="9", level="critical")
    assert r.leak is None and r.level == "critical" and attacks(FACTOR_Q, r.text, "9") == []
    assert "(2x-3)" not in r.text and "B = 2" not in r.text
    p = mask_text("math", POWER_TRACE, question=POWER_Q, answer="10", level="critical")
    assert p.leak is None and attacks(POWER_Q, p.text, "10") == []
    assert "^{3/4}" in p.text and "^{1/4}" in p.text  # the exponents, the plan's, stay


def test_the_independent_checker_reads_the_question_s_form_too():
    from .test_recover_check import checker_leaks

    factor = (
        "We see that $6x^2+x-15=(⟦3|NUMBER⟧x+5)(2x-3)$, thus $A = ⟦3|NUMBER⟧$ and $B = 2$. "
        "Hence, $A + AB = \\boxed{⟦9|NUMBER⟧}$."
    )
    found = checker_leaks("form_factor", FACTOR_Q, factor, "9").get("constraints", [])
    assert any("form" in f["detail"] for f in found)
    assert "constraints" not in checker_leaks("form_other_gold", FACTOR_Q, factor, "8")
    cut = factor.replace("=(⟦3|NUMBER⟧x+5)(2x-3)", "=(⟦3|NUMBER⟧x+⟦5|NUMBER⟧)(⟦2|NUMBER⟧x-3)")
    assert "constraints" not in checker_leaks(
        "form_cut", FACTOR_Q, cut.replace("B = 2", "B = ⟦2|NUMBER⟧"), "9"
    )
    power = (
        "We have $(3^{1/4})^3 = 3^{3/4}$, so the answer is "
        "$⟦3|NUMBER⟧ + ⟦4|NUMBER⟧ + ⟦3|NUMBER⟧ = \\boxed{⟦10|NUMBER⟧}$."
    )
    found = checker_leaks("form_power", POWER_Q, power, "10").get("constraints", [])
    assert any("form" in f["detail"] for f in found)
    hidden = power.replace("= 3^{3/4}", "= ⟦3|NUMBER⟧^{3/4}").replace("(3^{1/4})", "(⟦3|NUMBER⟧^{1/4})")
    assert not any(
        "form" in f["detail"]
        for f in checker_leaks("form_power_cut", POWER_Q, hidden, "10").get("constraints", [])
    )


def test_hostile_forms_are_refused_or_read_safely():
    # a backslash before a line break, or ending the form: no crash
    q = "Write it as $(Ax-8)\\\n(Bx+3)$, where $A$ and $B$ are integers. What is $AB + B$?"
    assert attacks(q, "so $x = 3$", "5") == []
    # letters side by side ("AB", "10a") read as one number: no form (and no time spent on digit runs)
    digits = "Find the digits: $AB$ and $BA$, where $A$ and $B$ are digits. What is $A + B$?"
    assert question_template(digits) is None
    assert question_template("Write $n$ as $10a+b$, where $a$ and $b$ are digits. What is $a+b$?") is None
    # a long question with an unclosed \( stays linear
    import time

    long_q = "\\(" * 20000 + " where $A$ and $B$ are integers. What is $A+B$?"
    started = time.perf_counter()
    question_template(long_q)
    assert time.perf_counter() - started < 5.0


def test_the_question_s_own_values_are_no_instance():
    q = (
        "The point $(2,5)$ is moved one unit right and one unit down to the point $(a,b)$, where $a$ and $b$ "
        "are integers. Find $a+b$."
    )
    masked = (
        "Moving $(2,5)$ one unit right and one unit down gives $([NUMBER],[NUMBER])$, so "
        "$[EXPR]=\\boxed{[NUMBER]}$."
    )
    assert [f for f in attacks(q, masked, "7") if f.attack == "template"] == []


def test_an_instance_inside_an_exponent_goes_whole():
    q = (
        "The number $\\sqrt[4]{8}$ can be written as $2^{\\frac{a}{b}}$, where $a$ and $b$ are relatively "
        "prime positive integers. Find $a+b$."
    )
    masked = (
        "Since $8 = 2^3$, we have $\\sqrt[4]{8} = 2^{\\frac{3}{4}}$, so the answer is $\\boxed{[NUMBER]}$."
    )
    [found] = [f for f in attacks(q, masked, "7") if f.attack == "template"]
    assert masked[found.start : found.end] == "2^{\\frac{3}{4}}"  # whole: never an exponent's value alone
    r = mask_text("math", masked.replace("[NUMBER]", "7"), question=q, answer="7", level="critical")
    assert r.leak is None and "^{\\frac{3}{4}}" not in r.text


def test_the_checker_s_form_rule_on_edge_cases():
    from .test_recover_check import checker_leaks

    q = "Factor $2x^2+5x-3$ as $(Ax-1)(x+B)$, where $A$ and $B$ are integers. What is $AB + B$?"
    plain = "It factors as $(2x-1)(x+3)$. So the answer is $\\boxed{⟦9|NUMBER⟧}$."  # no equation at all
    assert "constraints" in checker_leaks("form_no_equation", q, plain, "9")
    # a letter used twice reads its sign both times: (-3x+3) is no (Ax+A)
    twice = "Factor $-3x^2+... $ as $(Ax+A)(Bx+1)$, where $A$ and $B$ are integers. What is $A+B$?"
    signs = "It factors as $(-3x+3)(2x+1)$. So the answer is $\\boxed{⟦-1|NUMBER⟧}$."
    assert "constraints" not in checker_leaks("form_signs", twice, signs, "-1")
