"""A stated answer that is a tuple or a vector keeps its shape: its brackets, commas and matrix rows stay
visible and each entry is its own blank (the question asks for an ordered pair or a vector; the shape is
the plan's). Intervals, and anything that is not one tuple, go whole."""

from __future__ import annotations

import json

from smepo_data import mask_example, mask_text
from smepo_data._domains import find_preset
from smepo_data.math.masker import MathMasker

from .conftest import SAMPLES


def boxed(text: str) -> str:
    return text[text.index("\\boxed{") :].split("}$", 1)[0].split("}.", 1)[0]


def test_a_real_polar_pair_keeps_its_brackets_and_comma():
    rows = [json.loads(line) for line in (SAMPLES / "math500_sample.jsonl").read_text().splitlines()]
    i, row = next((i, r) for i, r in enumerate(rows) if r["unique_id"] == "test/precalculus/807.json")
    ex = find_preset("math").to_example(row, source="math500_sample.jsonl", index=i)
    assert "\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}" in ex.trace
    for level in ("critical", "all"):
        r = mask_example(ex, level)
        assert r.leak is None
        assert "\\boxed{\\left( [NUMBER], [EXPR] \\right)}" in r.text, level
    # at ``answer`` the answer goes whole, in every form (its text matches would cut a shape)
    assert "\\boxed{[EXPR]}" in mask_example(ex, "answer").text
    answer = [s for s in MathMasker().find_spans(ex, "critical") if s.reason == "final answer in \\boxed{}"]
    assert [ex.trace[s.start : s.end] for s in answer] == ["3", "\\frac{\\pi}{2}"]
    assert {s.kind for s in answer} == {"answer"}
    # on request the placeholders say which blanks are the answer: each entry is
    r = mask_example(ex, "critical", "typed_answer")
    assert "\\boxed{\\left( [ANSWER], [ANSWER] \\right)}" in r.text


def test_tuples_and_vectors_are_hidden_entry_by_entry():
    q = "Enter the ordered pair $(m,b)$."
    trace = (
        "Expanding, $y = \\frac{3}{2} x - 13$. Thus, $(m,b) = \\boxed{\\left( \\frac{3}{2}, -13 \\right)}.$"
    )
    r = mask_text("math", trace, question=q, answer="\\left( \\frac{3}{2}, -13 \\right)")
    assert "\\boxed{\\left( [EXPR], [NUMBER] \\right)}" in r.text and r.leak is None
    # in ``indexed`` each entry is its own blank, never one blank for the pair
    r = mask_text(
        "math", trace, question=q, answer="\\left( \\frac{3}{2}, -13 \\right)", placeholder="indexed"
    )
    first, second = boxed(r.text)[len("\\boxed{\\left( ") :].split(" \\right)")[0].split(", ")
    assert first != second and first.startswith("[BLANK_") and second.startswith("[BLANK_")
    answer = "\\begin{pmatrix} 16/49 \\\\ 48/49 \\\\ 24/49 \\end{pmatrix}"
    trace = f"The projection is $\\boxed{{{answer}}}$."
    r = mask_text("math", trace, question="Find the projection of the vector.", answer=answer)
    assert (
        r.text
        == "The projection is $\\boxed{\\begin{pmatrix} [EXPR] \\\\ [EXPR] \\\\ [EXPR] \\end{pmatrix}}$."
    )
    answer = "\\begin{pmatrix} 1 & 0 \\\\ 0 & \\frac{1}{2} \\end{pmatrix}"
    trace = f"So $\\mathbf{{M}} = \\boxed{{{answer}}}$."
    r = mask_text("math", trace, question="Find the matrix $\\mathbf{M}$.", answer=answer)
    entries = "[NUMBER] & [NUMBER] \\\\ [NUMBER] & [EXPR]"
    assert r.text == f"So $\\mathbf{{M}} = \\boxed{{\\begin{{pmatrix}} {entries} \\end{{pmatrix}}}}$."
    # an entry with brackets of its own stays one entry
    trace = "So the point is $\\boxed{\\left( \\frac{1}{2}, (3+1)^2 \\right)}$."
    r = mask_text("math", trace, question="Find the point.", answer="\\left( \\frac{1}{2}, 16 \\right)")
    assert "\\boxed{\\left( [EXPR], [EXPR] \\right)}" in r.text


def test_intervals_and_what_is_not_one_tuple_go_whole():
    for question, trace, answer in (
        ("Solve the inequality.", "So $x \\in \\boxed{(-\\infty, -3)}$.", "(-\\infty, -3)"),
        ("Give your answer in interval notation.", "So $x \\in \\boxed{(2, 5)}$.", "(2, 5)"),
        ("Find the sum of the two points.", "So it is $\\boxed{(1)+(2,3)}$.", "(3,3)"),
        ("Find $x$.", "So $x = \\boxed{(3)}$.", "3"),  # one value in brackets: no tuple
        ("Find the range of $f$.", "So the range is $\\boxed{(0,1)}$.", "(0,1)"),  # asks for no tuple
        ("Solve $x^2 < 4$.", "So $x \\in \\boxed{(-2,2)}$.", "(-2,2)"),
        # a question that speaks of points and asks for an interval: the interval wins
        ("At which points is $f$ negative? Answer in interval notation.", "So $\\boxed{(-2,2)}$.", "(-2,2)"),
        ("Find the pair.", "So it is $\\boxed{(1, 2, 3)}$.", "(1, 2)"),  # the gold counts two entries
    ):
        r = mask_text("math", trace, question=question, answer=answer, keep_wrong_traces=True)
        inside = boxed(r.text)[len("\\boxed{") :]
        assert inside in ("[EXPR]", "[NUMBER]"), (trace, r.text)
