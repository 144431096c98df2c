"""The math verifier: the same extraction and verdicts as math-verify, and the three leak checks."""

from __future__ import annotations

import pytest
from math_verify import parse, verify

from smepo_data import Example, mask_example
from smepo_data.math.verifier import MathVerifier, extract

VERIFIER = MathVerifier()


def test_extraction_and_verdicts_match_math_verify_on_real_traces(gsm8k_sample, math_sample, cases):
    texts = []
    for ex in [*gsm8k_sample, *math_sample, *cases.values()]:
        texts.append((ex.trace, ex.answer))
        for level in ("answer", "critical"):
            texts.append((mask_example(ex, level).text, ex.answer))
    for text, answer in texts:
        ours, theirs = extract(text), parse(text)
        assert [str(x) for x in ours[-1:]] == [str(x) for x in theirs[-1:]], text[-120:]
        expected = verify(parse(f"${answer}$"), theirs)
        assert (VERIFIER.reward(text, answer) == 1.0) == expected, (answer, text[-120:])


@pytest.mark.parametrize(
    "completion, answer, reward",
    [
        ("So the total is 72 clips.", "72", 1.0),
        ("So the total is 71 clips.", "72", 0.0),
        (r"Thus $\boxed{\dfrac{14}{3}}$.", r"\frac{14}{3}", 1.0),
        (r"Thus $\boxed{4.6667}$.", r"\frac{14}{3}", 0.0),
        (r"The answer is $\boxed{\left( 3, \frac{\pi}{2} \right)}$", r"\left( 3, \frac{\pi}{2} \right)", 1.0),
        (r"Therefore $\boxed{q - p}$.", "p - q", 0.0),
        ("The answer is 25%", "25", 1.0),
        ("", "72", 0.0),
    ],
)
def test_score(completion, answer, reward):
    assert VERIFIER.reward(completion, answer) == reward


def test_an_unmasked_trace_leaks_and_its_masked_trace_does_not(cases):
    for ex in cases.values():
        assert VERIFIER.leak(ex, ex.trace) is not None, ex.id
        assert VERIFIER.leak(ex, mask_example(ex).text) is None, ex.id


def test_leak_checks_each_say_what_they_found():
    ex = Example("x", "math", "Who is fastest?", "", r"\text{Evelyn}")
    found = VERIFIER.attacks(ex, "Evelyn wins. So $\\boxed{[ANSWER]}$.")
    assert [(f.attack, f.start, f.end) for f in found] == [("answer_text", 0, 6)]
    assert VERIFIER.leak(ex, "Evelyn wins.").startswith("answer_text: the gold answer's text")
    ex = Example("x", "math", "Find x.", "", r"1\frac{4}{5}")
    masked = r"We find $GK=\frac{9}{5}$, so $\boxed{[ANSWER]}$."
    found = VERIFIER.attacks(ex, masked)
    assert found[0].attack == "visible_value" and masked[found[0].start : found[0].end] == r"\frac{9}{5}"
    ex = Example("x", "math", "Simplify.", "", "3")
    assert VERIFIER.leak(ex, r"$\frac{\log3}{\log2}$ so $\boxed{[ANSWER]}$").startswith("visible_value: '3'")
    assert (
        VERIFIER.leak(ex, r"$\sqrt[3]{2}$ is irrational, so $\boxed{[ANSWER]}$") is None
    )  # a radical's index


def test_a_blank_is_never_the_answer():
    ex = Example("x", "math", "q", "", "72")
    assert VERIFIER.leak(ex, "48+[NUMBER] = [ANSWER]\n#### [ANSWER]") is None


@pytest.mark.parametrize(
    "text",
    [
        "Natalia sold [NUMBER] + = 5 and so 10 +",
        "So the total is $3 =$ here",
        "It costs 200 * 2 = and then",
        "We get $\\frac{1}{2} \\cdot$ and $x^2 +$",
        "the cost is 1000-(",
        "Finally $\\boxed{4 +}$",
    ],
)
def test_latex_that_cannot_parse_is_read_as_math_verify_reads_it(text):
    # the audit skips the parser for LaTeX ending in an operator; math-verify's own parse must agree
    assert extract(text) == parse(text)


@pytest.mark.parametrize(
    ("gold", "pred"),
    [("184", "$200 - 1 \\cdot 16$"), ("41", "$200-16$"), ("0.6", "$60/100$"), ("3", "$1+1+24$")],
)
def test_numeric_expressions_are_compared_as_math_verify_compares_them(gold, pred):
    ours = MathVerifier().reward(pred, gold)
    assert ours == float(verify(parse(f"${gold}$"), parse(pred)))


def test_the_audit_reads_prose_between_currency_signs_as_prose():
    from smepo_data.math.verifier import _extract

    text = "She had 72 in all.\nSo $[NUMBER] and she makes $[NUMBER] more"
    # math-verify hands "$[NUMBER] and she makes $" to its LaTeX parser and stops at the letters' product
    assert not any(str(v) == "72" for v in extract(text))
    # the audit (and a reader) reads it as a sentence, and goes on to the value before it
    pred, source = _extract(text, None, prose_is_math=False)
    assert str(pred[0]) == "72" and source.strip() == "72"
