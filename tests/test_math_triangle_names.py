"""A triangle named by its angles ("30-60-90 triangle") is a standard object of the plan: the masker keeps
the name whole, or, where a repair must hide one of its numbers (the name states the answer), hides it
whole, never "[NUMBER]-60-[NUMBER]"."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._damage import spans_damage

ALTITUDE_Q = "An equilateral triangle has area $16\\sqrt{3}$. What is its altitude?"
ALTITUDE = (  # after MATH-500 test/geometry/843.json
    "Drawing an altitude splits the equilateral triangle into two $30-60-90$ triangles with the longest side "
    "having length $x$. The altitude is $\\frac{x\\sqrt{3}}{2}$ and the area is "
    "$\\frac{x^2\\sqrt{3}}{4}=16\\sqrt{3}$, so $x=8$ and the altitude is $\\boxed{4\\sqrt{3}}$."
)


def test_a_standard_triangle_name_stays_at_critical():
    # neither 30 nor 90 is given by the question, yet the name is no derived value: it stays whole
    r = mask_text("math", ALTITUDE, question=ALTITUDE_Q, answer="4\\sqrt{3}")
    assert r.leak is None and r.level == "critical"
    assert "two $30-60-90$ triangles" in r.text
    assert "x=[NUMBER]" in r.text and "\\boxed{[EXPR]}" in r.text
    assert not spans_damage(ALTITUDE, [{"start": s.start, "end": s.end} for s in r.spans])


def test_a_name_that_states_the_answer_goes_whole():
    q = "In right triangle $ABC$ with $AB=AC$, what is the measure of $\\angle B$ in degrees?"
    trace = (
        "Since $AB=AC$, the acute angles are equal. So $\\triangle ABC$ is a 45-45-90 triangle, and "
        "$\\angle B=\\boxed{45}$."
    )
    r = mask_text("math", trace, question=q, answer="45")
    assert r.leak is None
    assert "is a [NUMBER]-[NUMBER]-[NUMBER] triangle" in r.text  # the 90 goes with the two 45s
    assert not spans_damage(trace, [{"start": s.start, "end": s.end} for s in r.spans])


def test_a_name_that_holds_the_answer_goes_whole_at_answer_level():
    q = "In triangle $ABC$, $\\angle A = 30^\\circ$ and $\\angle C = 90^\\circ$. Find $\\angle B$ in degrees."
    trace = "So $ABC$ is a 30-60-90 triangle, and $\\angle B = \\boxed{60}$."
    r = mask_text("math", trace, question=q, answer="60", level="answer")
    assert "a [NUMBER]-[NUMBER]-[NUMBER] triangle" in r.text, r.text  # not "30-[NUMBER]-90": 180 - 30 - 90
