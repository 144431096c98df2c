"""The `answer` level against the independent checker's last findings (issue 11, session 28): every value
hidden there equals the gold, so any blank the visible text fixes is the gold. Each trace is built here,
after the shape of a dev row the checker flagged (GSM8K 5708, 2241, 299; MATH-500 134, 1992).

- Like terms summed on the next line (``10x + [N]x + 8 = [N]``, then ``14x = [N]``) fix the blank by
  coefficient matching; the equation alone is no identity in x: it holds for every x only with -10 in a
  blank written after a ``+``, which hides a numeral as written (the solver once took the -10, and that
  stopped the rewrite from being read). A blank that cancels a letter with a value a numeral can be
  (``[N](n + 7) - (2n + 1) = [N]``: 2) still fixes it.
- A product a line expands (``2x = (x + [N])[N]``, then ``2x = x + [N]``) fixes its factor even where the
  added blanks are only equal.
- Every side of the chain that ends in the boxed answer equals it: each gets a cut, the question's own
  expression aside (the audit still blames it: a calculator evaluates it from the trace); after an
  ellipsis the run that is evaluated is the one after it.
- The derived endpoint of an interval answer is hidden.
- An interval answer's endpoint gets a blank of its own, and a side after an ellipsis keeps its operator.
- An expression alone in prose (``1/[N] in the morning``) links later parts written like it.
"""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.audit.damage import structure_damage
from smepo_data.math._answer import parse_gold
from smepo_data.math._equations import read_equations
from smepo_data.math._rational import Fraction
from smepo_data.math._values import values_equal
from smepo_data.math.attacks import _rewritten, _visible_value, attacks, solve

SHOP = (
    "A shop sells mugs and plates. A plate costs $2 more than a mug. It sells 10 mugs and 4 plates and "
    "earns $36. How much does a plate cost?"
)
SHOP_TRACE = (
    "Let X be the price of a mug. Then 10(X) + 4(X+2) = 36\n"
    "So 10X + 4X + 8 = 36\n"
    "So 14X = 28\n"
    "A mug costs $2 because 28 / 14 = <<28/14=2>>2\n"
    "A plate costs $4 because 2 + 2 = <<2+2=4>>4\n"
    "#### 4"
)


def test_an_equation_in_a_letter_is_no_identity():
    known = solve(read_equations("So 10X + [NUMBER]X + 8 = [NUMBER]\n")).known
    assert not [u for u in known if u.startswith("u")]


def test_a_blank_after_a_binary_sign_is_never_negative():
    text = "So 10X + [NUMBER]X + 8 = [NUMBER]\n"
    reading = read_equations(text)
    assert reading.unsigned == {f"u{text.index('[')}"}  # after "10X +"; the one after "=" may hide any value
    known = solve(read_equations("Then $d$ divides $[NUMBER](n + 7) - (2n + 1) = [NUMBER]$.")).known
    assert sorted(k.value for u, k in known.items() if u.startswith("u")) == [Fraction(2), Fraction(13)]


def test_a_side_constant_whatever_the_blanks_still_fixes_one():
    masked = "$4 \\sqrt[4]{abcd} \\cdot 4 \\sqrt[4]{\\frac{1}{abcd}} = [NUMBER]$"
    known = solve(read_equations(masked)).known
    (value,) = [k.value for u, k in known.items() if u.startswith("u")]
    assert values_equal(value, Fraction(16))  # a fourth root: computed in floating point


def test_like_terms_summed_on_the_next_line_fix_the_blank():
    masked = "So 10X + [NUMBER]X + 8 = [NUMBER]\nSo 14X = [NUMBER]\n"
    reading = read_equations(masked)
    fixed = _rewritten(reading, solve(reading), masked)
    assert [v for v, _ in fixed.values()] == [Fraction(4)]


def test_the_masker_cuts_the_like_terms_at_answer():
    r = mask_text("math", SHOP_TRACE, question=SHOP, answer="4", level="answer")
    assert r.leak is None and r.level == "answer"
    assert not attacks(SHOP, r.text, "4", SHOP_TRACE)
    assert "10X" in r.text  # the plan's other coefficient stays


def test_an_expanded_product_fixes_its_factor():
    masked = "then 2*x=(x+[NUMBER])*[NUMBER]\nSimplifying, we get 2*x=x+[NUMBER].\n"
    reading = read_equations(masked)
    fixed = _rewritten(reading, solve(reading), masked)
    assert Fraction(1) in [v for v, _ in fixed.values()]


def test_every_side_of_the_answer_chain_is_cut():
    question = "Compute: $2-4+6-8+ \\dots +18-20$."
    trace = "$(2-4)+(6-8)+ \\dots +(14-16)+(18-20) = 5(-2) = \\boxed{-10}.$"
    r = mask_text("math", trace, question=question, answer="-10", level="answer")
    head, tail = r.text.split("\\dots", 1)
    assert "[" not in head  # the run before the ellipsis is no side a reader evaluates
    before, after = tail.split("=", 1)
    assert "[NUMBER]" in before and "[NUMBER]" in after.split("=")[0]


def test_each_side_before_the_answer_is_cut():
    question = "A rectangle is 6 by 4 and a square has side 3. What is their total area?"
    trace = "The total is $6 \\cdot 4 + 3^2 = 24 + 9 = \\boxed{33}$."
    r = mask_text("math", trace, question=question, answer="33", level="answer")
    first, middle, _ = r.text.split("=")
    assert "[NUMBER]" in first and "[NUMBER]" in middle
    assert "^2" in first  # an exponent is the plan's


def test_a_derived_endpoint_of_an_interval_answer_is_hidden():
    question = "Solve\n\\[\\frac{|x^2 - 16|}{x^2 - 25x} < 0.\\]"
    trace = (
        "Note that $|x^2 - 16| \\ge 0$ for all $x,$ with $|x^2 - 16| = 0$ only for $x = \\pm 4.$\n\n"
        "The denominator factors as $x(x - 25).$  This is negative only for $0 < x < 25.$  Thus, the "
        "solution is\n\\[x \\in \\boxed{(0,4) \\cup (4,25)}.\\]"
    )
    r = mask_text("math", trace, question=question, answer="(0,4) \\cup (4,25)", level="answer")
    assert "\\pm [NUMBER]" in r.text
    # the hull of the answer's pieces is an equivalent form since round 44 (tests/test_interval_hull.py)
    assert "0 < x < 25" not in r.text and "negative only for $" in r.text


def test_the_answer_restated_in_the_question_s_words_is_hidden():
    # a review's case: the gold is the question's own 5, restated with the question's words around it
    question = (
        "Tom has 5 apples. He buys 3 more apples and then eats 3 apples. How many apples does Tom have now?"
    )
    trace = "He buys 3 and eats 3, so the count does not change: Tom has 5 apples. The 3 he ate were the 3 "
    trace += "he bought.\n#### 5"
    assert _visible_value(question, "so the count does not change: Tom has 5 apples. The 3", parse_gold("5"))
    r = mask_text("math", trace, question=question, answer="5")
    assert "Tom has 5" not in r.text and r.leak is None


def test_an_identity_whose_side_is_constant_fixes_its_blank_at_answer():
    question = "For which constant $c$ is $(x+c)^2 - x^2 - 10x$ independent of $x$?"
    masked = "$(x+[NUMBER])^2 - x^2 - 10x = 25$ for every $x$, so $c = \\boxed{[NUMBER]}$."
    assert [f.attack for f in attacks(question, masked, "5")] == ["constraints"]


def test_an_interval_endpoint_is_no_answer_blank():
    question = "Solve\n\\[\\frac{|x^2 - 16|}{x^2 - 25x} < 0.\\]"
    trace = "Here $|x^2 - 16| = 0$ only for $x = \\pm 4.$  So the solution is\n"
    trace += "\\[x \\in \\boxed{(0,4) \\cup (4,25)}.\\]"
    r = mask_text(
        "math", trace, question=question, answer="(0,4) \\cup (4,25)", level="answer", placeholder="indexed"
    )
    endpoint = r.text.split("\\pm ")[1][:9]
    assert endpoint.startswith("[BLANK_") and endpoint not in r.text.split("boxed")[1]


def test_a_side_after_an_ellipsis_keeps_its_operator():
    question = "Find a formula for $1 + 2 + \\dots + n$ in terms of $n$."
    trace = "Pairing terms, $S = 1 + 2 + \\dots + n = \\boxed{\\frac{n(n+1)}{2}}$."
    r = mask_text("math", trace, question=question, answer="\\frac{n(n+1)}{2}", level="answer")
    assert "\\dots + n =" in r.text
    assert not structure_damage(r.text, trace, [s.to_dict() for s in r.spans])
    assert not structure_damage("so $[ABC][DEF] = 1$", None, None)  # a figure's area notation is no blank


COOKIE = (
    "Basil gets 1/3 of a cookie at breakfast, lunch and dinner. She gets 4 whole cookies during the day. "
    "Her cookies come 20 to a box. How many boxes does she need for 12 days?"
)


def test_an_expression_alone_links_the_parts_written_like_it():
    masked = (
        "Basil gets 1/[NUMBER] at breakfast, 1/[NUMBER] at lunch and 1/[NUMBER] at dinner so she gets "
        "1/[NUMBER]+1/[NUMBER]+1/[NUMBER] = <<1/[NUMBER]+1/[NUMBER]+1/[NUMBER]=1>>1 whole cookie\n"
    )
    assert read_equations(masked).relinks
    found = attacks(COOKIE, masked, "3")
    assert found and all(masked[f.start : f.end] == "1" for f in found)  # blamed on the sum, 1


def test_the_masker_cuts_the_linked_parts_at_answer():
    trace = (
        "Basil gets 1/3 at breakfast, 1/3 at lunch and 1/3 at dinner so she gets 1/3+1/3+1/3 = "
        "<<1/3+1/3+1/3=1>>1 whole cookie\n"
        "She also gets 4 whole cookies during the day so in all she gets 4+1 = <<4+1=5>>5 cookies\n"
        "For 12 days she needs 12*5 = <<12*5=60>>60 cookies\n"
        "So she needs 60/20 = <<60/20=3>>3 boxes\n"
        "#### 3"
    )
    r = mask_text("math", trace, question=COOKIE, answer="3", level="answer")
    assert r.leak is None and r.level == "answer"
    assert not attacks(COOKIE, r.text, "3", trace)
    assert "gets 4 whole cookies" in r.text  # the question's value, where the question writes it


def test_a_product_by_juxtaposition_is_one_placeholder():
    question = "Find the perimeter of triangle $ABC$."
    trace = "\\[AB + AC + BC = \\frac{11}{2} \\sqrt{5} + \\frac{11}{2} \\sqrt{5} + 11"
    trace += " = \\boxed{11 \\sqrt{5} + 11}.\\]"
    r = mask_text("math", trace, question=question, answer="11 \\sqrt{5} + 11", level="all")
    assert "] [" not in r.text
    assert r.text.split("boxed")[0].count("+") == trace.split("boxed")[0].count("+")  # every operator stays


def test_a_count_of_a_fraction_word_is_one_placeholder_but_a_count_and_a_label_two():
    question = "An octagon is cut into squares. What is its area?"
    trace = "The octagon is five squares and four half squares, so its area is $5 + 4/2 = \\boxed{7}$."
    r = mask_text("math", trace, question=question, answer="7", level="all")
    assert "] [" not in r.text and "squares and [" in r.text
    gsm = "They scored 2 3-point baskets, so 2*3 = <<2*3=6>>6 points.\n#### 6"
    r = mask_text(
        "math", gsm, question="They scored two 3-point baskets. How many points?", answer="6", level="all"
    )
    assert "[NUMBER] [NUMBER]-point" in r.text
