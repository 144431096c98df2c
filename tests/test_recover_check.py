"""Self-test of benchmarks/recover_check.py (the independent leak checker) on hand-made rows.

Each row is a template where ⟦original|PLACEHOLDER⟧ marks a masked span, so the trace, the masked trace
and the spans come from one string. Every attack has a row that leaks through it; clean rows and damage
rows must not leak. The checker is loaded from its file; it never imports smepo_data, nor does this test.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "recover_check.py"


def _load():
    spec = importlib.util.spec_from_file_location("recover_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["recover_check"] = module
    spec.loader.exec_module(module)
    return module


rc = _load()
MARK = re.compile(r"⟦(.*?)\|([A-Z][A-Z0-9_]*)⟧", re.S)


def row(rid, question, template, gold, style="typed", level="critical", spans=None):
    trace, masked, found = [], [], []
    pos_t, last = 0, 0
    for m in MARK.finditer(template):
        lit = template[last : m.start()]
        trace.append(lit)
        masked.append(lit)
        pos_t += len(lit)
        trace.append(m.group(1))
        masked.append(f"[{m.group(2)}]")
        found.append(
            {
                "start": pos_t,
                "end": pos_t + len(m.group(1)),
                "kind": "number",
                "reason": "test",
                "value": m.group(1),
            }
        )
        pos_t += len(m.group(1))
        last = m.end()
    trace.append(template[last:])
    masked.append(template[last:])
    return {
        "id": rid,
        "question": question,
        "trace": "".join(trace),
        "masked_trace": "".join(masked),
        "spans": found if spans is None else spans,
        "reward_model": {"style": "rule", "ground_truth": gold},
        "mask_level": level,
        "placeholder": style,
    }


ROWS = [
    # clean rows: nothing may fire
    row(
        "clean_gsm",
        "Tom has 3 apples and buys 4 more. How many apples does he have now?",
        "Tom has 3 + ⟦4|NUMBER⟧ = <<3+⟦4|NUMBER⟧=⟦7|NUMBER⟧>>⟦7|NUMBER⟧ apples.\n#### ⟦7|NUMBER⟧",
        "7",
    ),
    row(
        "clean_math",
        "Find $x$ if $2x + 3 = 11$.",
        "Subtracting 3 gives $2x = ⟦8|NUMBER⟧$, so $x = \\boxed{⟦4|ANSWER⟧}$.",
        "4",
    ),
    row(
        "clean_exempt",
        "A bag has 3 red balls and 5 blue balls. How many red balls are left after the game?",
        "Step 3: the bag has 3 red balls. We use $x^3$, $a_3$, $\\sqrt[3]{8}$, $\\frac{3}{4}$"
        " and $3\\sqrt{2}$ with a three-digit code.\n"
        "3. Nothing changes, so the answer is $\\boxed{⟦3|ANSWER⟧}$.",
        "3",
    ),
    # (a) side channels
    row(
        "extract",
        "Who ran the farthest?",
        "Evelyn ran the farthest. Therefore, $\\boxed{\\text{Evelyn}}$ is our answer.",
        "\\text{Evelyn}",
    ),
    row(
        "visible",
        "Sam has 6 bags with 7 marbles each. How many marbles does he have?",
        "He ends up with 42 marbles in all, ⟦6|NUMBER⟧ bags of ⟦7|NUMBER⟧ (see Step 2).\n#### ⟦42|NUMBER⟧",
        "42",
    ),
    row(
        "placeholder_question",
        "A box holds 12 eggs. Jo buys one box. How many eggs does Jo have?",
        "A box holds ⟦12|ANSWER⟧ eggs, so Jo has $\\boxed{⟦12|ANSWER⟧}$ eggs.",
        "12",
    ),
    row(
        "placeholder_indexed",
        "A box holds 12 eggs. Jo buys one box. How many eggs does Jo have?",
        "A box holds ⟦12|BLANK_1⟧ eggs, so Jo has $\\boxed{⟦12|BLANK_1⟧}$ eggs.",
        "12",
        style="indexed",
    ),
    row(
        "placeholder_eq",
        "How many stamps are in 6 sheets of 7 stamps?",
        "We have $6 \\cdot 7 = ⟦42|ANSWER⟧$ stamps, so the total is $\\boxed{⟦42|ANSWER⟧}$.",
        "42",
    ),
    row(
        "equiv_words",
        "How many faces does a cube have?",
        "A cube has six faces, so the answer is $\\boxed{⟦6|ANSWER⟧}$.",
        "6",
    ),
    row(
        "equiv_singular",
        "Ann has 3 pears and needs 4 pears for a pie. How many more pears does she need?",
        "She needs ⟦4|NUMBER⟧ - ⟦3|NUMBER⟧ = <<⟦4|NUMBER⟧-⟦3|NUMBER⟧=⟦1|NUMBER⟧>>⟦1|NUMBER⟧ more pear.\n"
        "#### ⟦1|NUMBER⟧",
        "1",
    ),
    row(
        "clean_singular",  # a modifier, a sum's noun and the question's own 1 are singular whatever the count
        "A 5 ounce cup costs $3, and one lemon makes 4 cups. How many lemons make 4 cups?",
        "The ⟦5|NUMBER⟧ ounce cup costs the $⟦3|NUMBER⟧ cost, and ⟦1|NUMBER⟧ lemon makes ⟦4|NUMBER⟧ cups, so"
        " ⟦4|NUMBER⟧ / ⟦4|NUMBER⟧ = <<⟦4|NUMBER⟧/⟦4|NUMBER⟧=⟦1|NUMBER⟧>>⟦1|NUMBER⟧ lemons.\n#### ⟦1|NUMBER⟧",
        "1",
    ),
    row(
        "clean_singular_copy",  # the question's "1 orange" in other words, and a multiplier: no count told
        "The price of 1 orange is $2, and 5 million oranges ship. Cost of a crate of 5 oranges?",
        "If ⟦1|NUMBER⟧ orange costs $⟦2|NUMBER⟧, then\nthe crate costs ⟦5|NUMBER⟧ * ⟦2|NUMBER⟧ ="
        " <<⟦5|NUMBER⟧*⟦2|NUMBER⟧=⟦10|NUMBER⟧>>⟦10|NUMBER⟧ of the ⟦5|NUMBER⟧ million.\n#### ⟦10|NUMBER⟧",
        "1",
    ),
    row(
        "equiv_interval",
        "Solve $2x + 6 < 0$.",
        "Dividing by 2 gives $x + ⟦3|NUMBER⟧ < 0$, so $x < -3$.\n"
        "The answer is $\\boxed{⟦(-\\infty,-3)|ANSWER⟧}$.",
        "(-\\infty,-3)",
    ),
    row(
        "equiv_interval_words",
        "What is the range of $y = \\log_2 (\\sqrt{\\sin x})$ for $0^\\circ< x < 180^\\circ$?",
        "On that interval $\\sin x$ is in $(0, 1]$, so the range is all non-positive numbers, or "
        "$\\boxed{⟦(-\\infty,0]|ANSWER⟧}$.",
        "(-\\infty,0]",
    ),
    row(
        "equiv_fraction",
        "A fair die is rolled. What is the probability of an even number?",
        "Three of the outcomes are even, so the probability is $\\tfrac12$.\n"
        "The answer is $\\boxed{⟦\\frac{1}{2}|ANSWER⟧}$.",
        "\\frac{1}{2}",
    ),
    row(
        "equiv_tuple",
        "Where do the lines meet?",
        "Solving, $x = 1$ and $y = 2$, so they meet at $\\boxed{⟦(1,2)|ANSWER⟧}$.",
        "(1,2)",
    ),
    row(
        "equiv_normalised",
        "How tall is the triangle?",
        "The height is $\\frac{\\sqrt{3}}{2}$ units.\n"
        "The answer is $\\boxed{⟦\\dfrac{\\sqrt{3}}{2}|ANSWER⟧}$.",
        "\\dfrac{\\sqrt{3}}{2}",
    ),
    # (b) constraints
    row(
        "constraints",
        "What number added to 5 gives 12?",
        "We need $⟦7|NUMBER⟧ + 5 = 12$, so the number is $\\boxed{⟦7|ANSWER⟧}$.",
        "7",
    ),
    row(  # MATH-500 test/algebra/2391.json as the seventeenth round read it: a = 2 or a = 8, their sum 10
        "constraints_values_sum",
        "What is the sum of the values of $a$ that satisfy the equation $(3)5^2-4(5-a)^2 \\div 3=63$?",
        "So $(5-a)^2=⟦9|NUMBER⟧$.\n$5-a=3$ OR $5-a=-3$, so $2=a$ OR $⟦8|NUMBER⟧=a$.\n"
        "The sum of the values of $a$ is $2+⟦8|NUMBER⟧=\\boxed{⟦10|NUMBER⟧}$.",
        "10",
    ),
    row(  # MATH-500 test/algebra/224.json as the eighteenth round read it: t = 5..12, 8 integers
        "constraints_integer_count",
        "The square root of $t$ is greater than $2$ and less than $3.5$. How many integer values of $t$ "
        "satisfy this condition?",
        "We have: $2 < \\sqrt{t} < \\frac{7}{2}$ so squaring gives us "
        "$⟦4|NUMBER⟧ < t <⟦\\frac{49}{4}|EXPR⟧$. "
        "Therefore, $t$ is an integer between ⟦5|NUMBER⟧ and ⟦12|NUMBER⟧ inclusive, which leaves us with "
        "$\\boxed{⟦8|NUMBER⟧}$ possible integer values of $t$.",
        "8",
    ),
    row(  # the same with a bound cut: the policy reads the 2 back from the question
        "clean_integer_count",
        "The square root of $t$ is greater than $2$ and less than $3.5$. How many integer values of $t$ "
        "satisfy this condition?",
        "We have: $⟦2|NUMBER⟧ < \\sqrt{t} < \\frac{7}{2}$ so squaring gives us "
        "$⟦4|NUMBER⟧ < t <⟦\\frac{49}{4}|EXPR⟧$. "
        "Therefore, $t$ is an integer between ⟦5|NUMBER⟧ and ⟦12|NUMBER⟧ inclusive, which leaves us with "
        "$\\boxed{⟦8|NUMBER⟧}$ possible integer values of $t$.",
        "8",
    ),
    row(  # the same with the values cut: "5-a=[N]" twice leaves a = 2 alone; the 5 of (5-a)^2 is hidden
        # too: the roots of (5-a)^2 = K sum to 10 whatever K is (Vieta, round 22)
        "clean_values_sum",
        "What is the sum of the values of $a$ that satisfy the equation $(3)5^2-4(5-a)^2 \\div 3=63$?",
        "So $(⟦5|NUMBER⟧-a)^2=⟦9|NUMBER⟧$.\n"
        "$5-a=⟦3|NUMBER⟧$ OR $5-a=⟦-3|NUMBER⟧$, so $2=a$ OR $⟦8|NUMBER⟧=a$.\n"
        "The sum of the values of $a$ is $2+⟦8|NUMBER⟧=\\boxed{⟦10|NUMBER⟧}$.",
        "10",
    ),
    row(
        "constraints_indexed",
        "Solve for $n$: twice a number plus three is seventeen.",
        "We have $2⟦7|BLANK_1⟧ + 3 = 17$, so $n = \\boxed{⟦7|BLANK_1⟧}$.",
        "7",
        style="indexed",
    ),
    # (c)/(d) replay
    row(
        "replay_note",
        "Ann has 5 pens and buys 3 more. How many pens does she have?",
        "Ann has 5 + 3 = <<5+3=⟦8|NUMBER⟧>>⟦8|NUMBER⟧ pens.\n#### ⟦8|NUMBER⟧",
        "8",
    ),
    row(
        "replay_final",
        "How many battalions can be formed?",
        "The number of battalions is $\\binom{5}{4}\\cdot \\binom{10}{8} = \\boxed{⟦225|ANSWER⟧}$.",
        "225",
    ),
    row(
        "replay_struck",
        "Simplify $\\frac{1}{3}\\cdot \\frac{9}{7}\\div \\frac{10}{4}$.",
        "We get $⟦\\frac13|EXPR⟧\\cdot \\frac{9}{7}\\cdot \\frac{4}{10} = \\frac{1}{\\cancel{3}}\\cdot "
        "\\frac{\\cancelto{⟦3|NUMBER⟧}{9}}{7}\\cdot "
        "\\frac{\\cancelto{⟦2|NUMBER⟧}{4}}{\\cancelto{⟦5|NUMBER⟧}{10}} = \\boxed{⟦\\frac{6}{35}|EXPR⟧}$.",
        "\\frac{6}{35}",
    ),
    row(
        "rewritten_line",
        "There are 45 cars: the speeders are 3 fewer than 7 times the drivers. How many drivers are there?",
        "Let $d$ be the drivers: $d + 7d - 3 = ⟦45|NUMBER⟧$.\n"
        "Combining like terms, we get $⟦8|NUMBER⟧d - 3 = 45$.\n"
        "So $d = \\boxed{⟦6|NUMBER⟧}$.",
        "6",
    ),
    row(
        # GSM8K 5099 (shortened): `c = [N] + d` put into `c + d = 60` gives `20 + d + d = [N]`, side by side
        "substituted_line",
        "A shelter took in 60 animals, 20 more cats than dogs. How many cats did it take in?",
        "Let c be the cats and d the dogs: c = ⟦20|NUMBER⟧ + d and c + d = 60\n"
        "Replacing c gives 20 + d + d = ⟦60|NUMBER⟧ animals\n"
        "Subtracting 20, we get 2d = ⟦40|NUMBER⟧\n"
        "So there are ⟦40|NUMBER⟧ cats\n#### ⟦40|NUMBER⟧",
        "40",
    ),
    row(
        # the same, with no word of substituting: two lines in other letters are no rewrite of each other
        "clean_not_substituted",
        "A shelter took in 60 animals, 20 more cats than dogs. How many cats did it take in?",
        "Let c be the cats and d the dogs: c = ⟦20|NUMBER⟧ + d and c + d = 60\n"
        "Then 20 + d + d = ⟦60|NUMBER⟧ animals\n"
        "Subtracting 20, we get 2d = ⟦40|NUMBER⟧\n"
        "So there are ⟦40|NUMBER⟧ cats\n#### ⟦40|NUMBER⟧",
        "40",
    ),
    row(
        "clean_two_equations",
        "The sum of two numbers is 10 and their difference is 2. What is the larger number?",
        "Let the numbers be $x$ and $y$: $x + y = 10$.\n"
        "Their difference gives $x - ⟦1|NUMBER⟧y = 2$.\n"
        "Adding, $⟦2|NUMBER⟧x = ⟦12|NUMBER⟧$, so the larger is $\\boxed{⟦6|NUMBER⟧}$.",
        "6",
    ),
    row(
        "replay_indexed_chain",
        "What is the value?",
        "First $3 \\cdot 4 = ⟦12|BLANK_1⟧$. Then $⟦12|BLANK_1⟧ + 2 = ⟦14|BLANK_2⟧$, so the answer is "
        "$\\boxed{⟦14|BLANK_2⟧}$.",
        "14",
        style="indexed",
    ),
    row(
        "clean_coincidence",
        "Ann buys 3 apples at $2 each and walks for 3 hours. How much does she pay?",
        "She pays ⟦3|NUMBER⟧*2 = <<⟦3|NUMBER⟧*2=⟦6|NUMBER⟧>>⟦6|NUMBER⟧ dollars.\nShe walks for 3 hours.\n"
        "#### ⟦6|NUMBER⟧",
        "6",
    ),
    # inconsistent masking: a hidden value visible elsewhere as the same quantity
    row(
        "restated_prose",
        "Elsa bakes cookies for 15 minutes and ices them for 30 minutes. How long does it take?",
        "It takes 15 minutes to bake and 30 minutes to ice, so it takes ⟦15|NUMBER⟧+30 = "
        "<<⟦15|NUMBER⟧+30=⟦45|NUMBER⟧>>⟦45|NUMBER⟧ minutes.\n#### ⟦45|NUMBER⟧",
        "45",
    ),
    row(
        "restated_figure",
        "The radius of the circle is 14 inches. What is $r$?",
        "We have $QC=⟦7|NUMBER⟧$, so $(14-r)^2+⟦7|NUMBER⟧^2=(⟦7|NUMBER⟧+r)^2$ and "
        '$r=\\boxed{⟦\\frac{14}{3}|ANSWER⟧}$.\n[asy]\ndraw((0,0)--(1,0));\nlabel("$7$",(-7/20,-1/5),E);\n[/asy]',
        "\\frac{14}{3}",
    ),
    row(
        "restated_pair",
        "Where does the perpendicular bisector of $A(10,-10)$ and $O(0,0)$ meet the $y$-axis?",
        "The midpoint is $(⟦5|NUMBER⟧,⟦-5|NUMBER⟧)$. The bisector passes through $(5,-5)$ with slope $1$, "
        "so it meets the axis at $\\boxed{⟦-10|ANSWER⟧}$.",
        "-10",
    ),
    row(
        "restated_coordinate",
        "$A$ lies in the square with corners $(0,0)$ and $(2,2)$, $B$ in the one with corners $(4,2)$ and "
        "$(5,3)$. What is the greatest slope of line $AB$?",
        "The least possible $x$-coordinate for $B$ is 4 and the greatest for $A$ is 2. The slope is greatest "
        "when $A$ has coordinates $(2,0)$ and $B$ has coordinates $(⟦4|NUMBER⟧,3)$, so it is "
        "$\\boxed{⟦\\frac{3}{2}|ANSWER⟧}$.",
        "\\frac{3}{2}",
    ),
    row(
        "clean_coordinate_other_point",
        "$A$ lies on the segment from $(0,0)$ to $(4,0)$, $B$ in the square with corners $(4,2)$ and "
        "$(5,3)$. What is the greatest slope of line $AB$?",
        "The greatest possible $x$-coordinate for $A$ is 4.\nThe slope is greatest when $B$ is at "
        "$(⟦4|NUMBER⟧,3)$ and $A$ is as far left as it goes, so it is $\\boxed{⟦\\frac{3}{4}|ANSWER⟧}$.",
        "\\frac{3}{4}",
    ),
    row(
        "restated_figure_point",
        "What is the distance from $(6,0)$ to the line $y=2x-2$?",
        "From the point $(⟦6|NUMBER⟧,0)$ the foot is $(2,2)$, so the distance is "
        "$\\sqrt{(⟦6|NUMBER⟧-2)^2+4}=\\boxed{⟦2\\sqrt{5}|ANSWER⟧}$.\n[asy]\ndraw((-1,0)--(7,0));\n"
        'label("$(6,0)$",(6,0.3),S);\ndot((6,0));\n[/asy]',
        "2\\sqrt{5}",
    ),
    row(
        "clean_figure_coords",
        "A square has side 3. What is its area?",
        "The side is ⟦3|NUMBER⟧, so the area is $⟦3|NUMBER⟧^2=\\boxed{⟦9|ANSWER⟧}$.\n[asy]\n"
        'draw((0,0)--(3,0)--(3,3)--(0,3)--cycle);\nlabel("$s$",(1.5,0),S);\n[/asy]',
        "9",
    ),
    row(
        "restated_expression",
        "Find the remainder of $1+2+3+4+5+6+7+8$ modulo 7.",
        "Grouping residues: $1 + 2 + 3 + 0 + 1 + 2 + 3 + 0 \\equiv 2(1 + ⟦2|NUMBER⟧ + 3 + 0)$\n"
        "$\\equiv ⟦12|NUMBER⟧ \\equiv \\boxed{⟦5|ANSWER⟧} \\pmod{7}$.",
        "5",
    ),
    row(  # the blank of "(-4 - [N]i)" is the 5 of "(-4 - 5i)" on its own line: the same expression
        "restated_term",
        "A $90^\\circ$ clockwise rotation around $-4 - 5i$ is applied to $3$. What is the result?",
        "Since the center is $-4 - 5i,$\n"
        "$z - (-4 - ⟦5|NUMBER⟧i) = (-i)(3 - (-4 - 5i))$, so $z = \\boxed{⟦1 - 12i|EXPR⟧}.$",
        "1 - 12i",
    ),
    row(  # "[N]!" in the product beside "$5!$ ways" in the prose: the same factorial
        "restated_factorial",
        "A committee of 5 Democrats and 5 Republicans sits in two blocks. In how many ways?",
        "There are $5!$ ways to seat the Democrats. So the total is "
        "$2\\cdot⟦5|NUMBER⟧!\\cdot⟦5|NUMBER⟧!=\\boxed{⟦28800|NUMBER⟧}$.",
        "28800",
    ),
    row(  # the same, the copy on the line before: the question writes "-4 - 5i", the policy reads it there
        "clean_term_question_copy",
        "A $90^\\circ$ clockwise rotation around $-4 - 5i$ is applied to $3$. What is the result?",
        "Since the center is $-4 - 5i,$\n"
        "$z - (-4 - ⟦5|NUMBER⟧i) = (-i)(3 - (-4 - ⟦5|NUMBER⟧i))$, so $z = \\boxed{⟦1 - 12i|EXPR⟧}.$",
        "1 - 12i",
    ),
    row(
        "restated_note_twin",
        "Mark tips his server 20% on a $200 check. His friend adds $10. How much should Mark add?",
        "The tip is ⟦20|NUMBER⟧% * $200 = $<<20*⟦.01|NUMBER⟧*200=⟦40|NUMBER⟧>>⟦40|NUMBER⟧\n"
        "Mark adds $⟦40|NUMBER⟧ - $10 = $<<⟦40|NUMBER⟧-10=⟦30|NUMBER⟧>>⟦30|NUMBER⟧\n#### ⟦30|NUMBER⟧",
        "30",
    ),
    row(
        "restated_word",
        "Eli is nine years older than Freyja, who is ten. How old is Eli in two years?",
        "Since Freyja is ten years old, Eli is ⟦10|NUMBER⟧+9 = <<⟦10|NUMBER⟧+9=⟦19|NUMBER⟧>>⟦19|NUMBER⟧ "
        "years old.\nIn two years he is ⟦19|NUMBER⟧+2 = <<⟦19|NUMBER⟧+2=⟦21|NUMBER⟧>>⟦21|NUMBER⟧.\n"
        "#### ⟦21|NUMBER⟧",
        "21",
    ),
    row(
        "restated_multiplier_verb",
        "A ticket costs $800 and its price is halved every year. What does it cost after a year?",
        "Halve the price: $800 / ⟦2|NUMBER⟧ = $<<800/⟦2|NUMBER⟧=⟦400|NUMBER⟧>>⟦400|NUMBER⟧\n"
        "#### ⟦400|NUMBER⟧",
        "400",
    ),
    row(
        "restated_after_step",
        "A radio plays 3 songs every 4 minutes. How many songs does it play in one hour?",
        "There are 60/⟦4|NUMBER⟧=<<60/⟦4|NUMBER⟧=⟦15|NUMBER⟧>>⟦15|NUMBER⟧ 4-minute slots in an hour.\n"
        "⟦15|NUMBER⟧*3=<<⟦15|NUMBER⟧*3=⟦45|NUMBER⟧>>⟦45|NUMBER⟧ songs play.\n#### ⟦45|NUMBER⟧",
        "45",
    ),
    row(
        "restated_two",
        "Each of twelve boxes holds two pens, and Sam adds 6 pens to each box. How many pens are there?",
        "Each box has two pens, and when he adds 6 pens, a box has 6+⟦2|NUMBER⟧ = ⟦8|NUMBER⟧ pens.\n"
        "There are 12 boxes: 12*⟦8|NUMBER⟧ = <<12*⟦8|NUMBER⟧=⟦96|NUMBER⟧>>⟦96|NUMBER⟧ pens.\n"
        "#### ⟦96|NUMBER⟧",
        "96",
    ),
    row(
        "restated_fraction_word",
        "One-quarter of the brown toads are spotted. If 50 are spotted, how many brown toads are there?",
        "If 50 spotted toads are one-quarter of the brown toads, there are 50*⟦4|NUMBER⟧="
        "<<50*⟦4|NUMBER⟧=⟦200|NUMBER⟧>>⟦200|NUMBER⟧ brown toads.\n#### ⟦200|NUMBER⟧",
        "200",
    ),
    row(
        "restated_word_other_sentence",
        "A regular nonagon has side length 2. Each side gets a strip of width 1. How long are the strips?",
        "The outside splits into ⟦9|NUMBER⟧ rectangles and ⟦9|NUMBER⟧ sectors. The boundary is made of nine "
        "lines and nine arcs.\nEach line is 2 long, so the lines have length "
        "$2\\cdot ⟦9|NUMBER⟧ = ⟦18|NUMBER⟧$. So the answer is $\\boxed{⟦18|NUMBER⟧}$.",
        "18",
    ),
    row(
        "clean_value_of_the_question",
        "A ring of 9 rectangles and 9 sectors surrounds a regular nonagon of side 2. How long is it?",
        "The outside splits into ⟦9|NUMBER⟧ rectangles and ⟦9|NUMBER⟧ sectors. The boundary is made of nine "
        "lines and nine arcs.\nEach line is 2 long, so the lines have length "
        "$2\\cdot ⟦9|NUMBER⟧ = ⟦18|NUMBER⟧$. So the answer is $\\boxed{⟦18|NUMBER⟧}$.",
        "18",
    ),
    row(
        "clean_word_of_the_question",
        "Nine rectangles and nine sectors ring a regular nonagon of side 2. How long is the ring's boundary?",
        "The outside splits into ⟦9|NUMBER⟧ rectangles and ⟦9|NUMBER⟧ sectors. The boundary is made of nine "
        "lines and nine arcs.\nEach line is 2 long, so the lines have length "
        "$2\\cdot ⟦9|NUMBER⟧ = ⟦18|NUMBER⟧$. So the answer is $\\boxed{⟦18|NUMBER⟧}$.",
        "18",
    ),
    row(
        "clean_plan_words",
        "The symbols stand for integers. Using the equations below, what is $b$?",
        "The three given equations become a system. We substitute the second equation into the third "
        "equation, then into the third given equation, so $c=⟦2|NUMBER⟧$, $b=⟦3|NUMBER⟧$, and the value "
        "is $\\boxed{⟦3|NUMBER⟧}$.",
        "3",
    ),
    row(
        "clean_fraction_word",
        "Two-thirds of the 30 cakes sell on the third day. How many cakes sell then?",
        "On the third day, two-thirds of the ⟦30|NUMBER⟧ cakes sell: ⟦30|NUMBER⟧/3*2="
        "<<⟦30|NUMBER⟧/3*2=⟦20|NUMBER⟧>>⟦20|NUMBER⟧ cakes.\n#### ⟦20|NUMBER⟧",
        "20",
    ),
    row(
        "restated_neighbours_cut",
        "Jake watches half of a 24-hour day on Monday, and on Thursday half of the 22 hours so far. How long "
        "does he watch on Thursday?",
        "Monday: 24/⟦2|NUMBER⟧=<<24/⟦2|NUMBER⟧=⟦12|NUMBER⟧>>⟦12|NUMBER⟧ hours.\n"
        "Thursday: ⟦22|NUMBER⟧/2=<<⟦22|NUMBER⟧/2=⟦11|NUMBER⟧>>⟦11|NUMBER⟧ hours.\n#### ⟦11|NUMBER⟧",
        "11",
    ),
    row(
        "restated_step_copy",
        "Noa scored 30 points, and Phillip scores twice that number. How many points did they score?",
        "He scored 2*⟦30|NUMBER⟧ = <<2*⟦30|NUMBER⟧=⟦60|NUMBER⟧>>⟦60|NUMBER⟧ points.\n"
        "Together ⟦60|NUMBER⟧+30 = <<⟦60|NUMBER⟧+30=⟦90|NUMBER⟧>>⟦90|NUMBER⟧ points.\n#### ⟦90|NUMBER⟧",
        "90",
    ),
    row(
        "clean_step_copy_hidden",
        "A pond has five frogs and three times as many tadpoles. How many animals are in the pond?",
        "There are 3 * ⟦5|NUMBER⟧ = <<3*⟦5|NUMBER⟧=⟦15|NUMBER⟧>>⟦15|NUMBER⟧ tadpoles.\n"
        "In all ⟦5|NUMBER⟧ + ⟦15|NUMBER⟧ = <<⟦5|NUMBER⟧+⟦15|NUMBER⟧=⟦20|NUMBER⟧>>⟦20|NUMBER⟧.\n"
        "#### ⟦20|NUMBER⟧",
        "20",
    ),
    row(
        "clean_carried_result",
        "Ann fills 8 cups with 4 cups to a jug, adds 3 jugs, and doubles the lot. How many jugs?",
        "Ann has 8/⟦4|NUMBER⟧ = <<8/⟦4|NUMBER⟧=⟦2|NUMBER⟧>>⟦2|NUMBER⟧ jugs.\n"
        "She has 3+⟦2|NUMBER⟧ = <<3+⟦2|NUMBER⟧=⟦5|NUMBER⟧>>⟦5|NUMBER⟧ jugs.\n"
        "In all ⟦5|NUMBER⟧*2 = <<⟦5|NUMBER⟧*2=⟦10|NUMBER⟧>>⟦10|NUMBER⟧.\n#### ⟦10|NUMBER⟧",
        "10",
    ),
    row(
        "restated_round_trip",
        "The lake is 150 miles away and the car goes 30 miles a gallon. How many gallons there and back?",
        "A round trip is 150 x ⟦2|NUMBER⟧= <<150*⟦2|NUMBER⟧=⟦300|NUMBER⟧>>⟦300|NUMBER⟧ miles.\n"
        "She needs ⟦300|NUMBER⟧/30 = <<⟦300|NUMBER⟧/30=⟦10|NUMBER⟧>>⟦10|NUMBER⟧ gallons.\n#### ⟦10|NUMBER⟧",
        "10",
    ),
    row(
        "clean_counted_pairs",
        "Dennis buys 2 pairs of socks at $60 a pair. How much does he pay?",
        "He buys ⟦2|NUMBER⟧ pairs of socks that cost ⟦60|NUMBER⟧x⟦2|NUMBER⟧= "
        "$<<⟦60|NUMBER⟧*⟦2|NUMBER⟧=⟦120|NUMBER⟧>>⟦120|NUMBER⟧.\n#### ⟦120|NUMBER⟧",
        "120",
    ),
    row(
        "clean_counted_pairs_in_words",
        "Jaco buys 2 pairs of socks that cost $2 per pair. How much does he pay?",
        "⟦Two|NUMBER⟧ pairs of socks cost $⟦2|NUMBER⟧ x 2 = $<<⟦2|NUMBER⟧*2=⟦4|NUMBER⟧>>⟦4|NUMBER⟧.\n"
        "#### ⟦4|NUMBER⟧",
        "4",
    ),
    row(
        "restated_root_degree",
        "Let $a,b,c,d>0$. Find the minimum of $(a+b+c+d)(1/a+1/b+1/c+1/d)$.",
        "By AM-GM, $a + b + c + d \\ge ⟦4|NUMBER⟧ \\sqrt[4]{abcd}$ and the same for the reciprocals, so the "
        "product is at least ⟦16|NUMBER⟧. The minimum is $\\boxed{⟦16|NUMBER⟧}$.",
        "16",
    ),
    row(
        "clean_root_degree",
        "Let $a,b,c,d>0$. Find the minimum of $(a+b+c+d)(1/a+1/b+1/c+1/d)$.",
        "By AM-GM, $a + b + c + d \\ge ⟦4|NUMBER⟧ \\sqrt[⟦4|NUMBER⟧]{abcd}$ and the same for the reciprocals"
        ", so the product is at least ⟦16|NUMBER⟧. The minimum is $\\boxed{⟦16|NUMBER⟧}$.",
        "16",
    ),
    row(
        "clean_round_trip",
        "The lake is 150 miles away and the car goes 30 miles a gallon. How many gallons there and back?",
        "A round trip is ⟦150|NUMBER⟧ x 2= <<⟦150|NUMBER⟧*2=⟦300|NUMBER⟧>>⟦300|NUMBER⟧ miles.\n"
        "She needs ⟦300|NUMBER⟧/30 = <<⟦300|NUMBER⟧/30=⟦10|NUMBER⟧>>⟦10|NUMBER⟧ gallons.\n#### ⟦10|NUMBER⟧",
        "10",
    ),
    row(
        "clean_words_and_constants",
        "Ann buys four dozen eggs and eats 8. Then twice that many break. How many are left?",
        "Her ⟦4|NUMBER⟧ dozen eggs are ⟦4|NUMBER⟧*12 = <<⟦4|NUMBER⟧*12=⟦48|NUMBER⟧>>⟦48|NUMBER⟧ eggs.\n"
        "In the third step, twice 8 break: 2*8 = <<2*8=⟦16|NUMBER⟧>>⟦16|NUMBER⟧ after she eats 8, so "
        "⟦48|NUMBER⟧-8-⟦16|NUMBER⟧ = <<⟦48|NUMBER⟧-8-⟦16|NUMBER⟧=⟦24|NUMBER⟧>>⟦24|NUMBER⟧ are left.\n"
        "#### ⟦24|NUMBER⟧",
        "24",
    ),
    # a reader who names quantities: 0.7 = 7/DF fixes DF, sin D = EF/DF then EF; sqrt(DF^2 - EF^2) is written
    row(
        "system_segments",
        "Suppose $\\sin D = 0.7$ in the right triangle $DEF$ with $EF = 7$. What is $DE$?",
        "So $\\sin D = \\frac{EF}{DF}$. Then $\\sin D = 0.7 = \\frac{7}{DF}$, so $DF = ⟦10|NUMBER⟧$. "
        "Then $DE$ is $\\sqrt{DF^2 - EF^2},$ or $\\sqrt{⟦100|NUMBER⟧ - ⟦49|NUMBER⟧} "
        "= \\boxed{⟦\\sqrt{51}|EXPR⟧}$.",
        "\\sqrt{51}",
    ),
    # the same with the value that fixes DF hidden: DF and EF stay open
    row(
        "clean_system",
        "Suppose $\\sin D = 0.7$ in the right triangle $DEF$ with $EF = 7$. What is $DE$?",
        "So $\\sin D = \\frac{EF}{DF}$. Then $\\sin D = ⟦0.7|NUMBER⟧ = \\frac{7}{DF}$, "
        "so $DF = ⟦10|NUMBER⟧$. "
        "Then $DE$ is $\\sqrt{DF^2 - EF^2},$ or $\\sqrt{⟦100|NUMBER⟧ - ⟦49|NUMBER⟧} "
        "= \\boxed{⟦\\sqrt{51}|EXPR⟧}$.",
        "\\sqrt{51}",
    ),
    # a dot product of column vectors fixes the hidden 3, then -2y - 3 = 5 fixes y
    row(
        "system_vector",
        "The projection of $\\begin{pmatrix} 2 \\\\ y \\\\ -5 \\end{pmatrix}$ is given. Find $y.$",
        "\\[\\frac{\\begin{pmatrix} 2 \\\\ y \\\\ -5 \\end{pmatrix} "
        "\\cdot \\begin{pmatrix} 1 \\\\ -2 \\\\ 1 \\end{pmatrix}}{6} "
        "= \\frac{-2y - ⟦3|NUMBER⟧}{6}.\\]Then $-2y - ⟦3|NUMBER⟧ = 5,$ so $y = \\boxed{⟦-4|NUMBER⟧}.$",
        "-4",
    ),
    # the trace's own p(x), applied at 0 and 4: the r terms cancel
    row(
        "system_function",
        "Three of the roots of the monic quartic $p(x)$ are 1, 2, and 3.  Find $p(0) + p(4).$",
        "We can write \\[p(x) = (x - 1)(x - 2)(x - 3)(x - r).\\]Then "
        "\\[p(0) + p(4) = (⟦-1|NUMBER⟧)(-2)(-3)(-r) + "
        "(3)(2)(1)(4 - r) = ⟦6|NUMBER⟧r + ⟦24|NUMBER⟧ - ⟦6|NUMBER⟧r = \\boxed{⟦24|NUMBER⟧}.\\]",
        "24",
    ),
    # the question asks for a+b; the trace fixes a and b and hides only that last step
    row(
        "system_question_asks",
        "The product of $3t^2+5t+a$ and $4t^2+bt-2$ is $12t^4+26t^3-8t^2-16t+6$. What is $a+b$?",
        "The constant terms give $6=-2a$, so $a=-3$. The linear terms give $-16t=⟦-10|NUMBER⟧t+(-3)bt$, "
        "so $b=2$. Therefore our answer is $⟦a+b|EXPR⟧=\\boxed{⟦-1|NUMBER⟧}$.",
        "-1",
    ),
    # the same with b's value hidden: a+b stays open
    row(
        "clean_question_asks",
        "The product of $3t^2+5t+a$ and $4t^2+bt-2$ is $12t^4+26t^3-8t^2-16t+6$. What is $a+b$?",
        "The constant terms give $6=-2a$, so $a=-3$. The linear terms give $-16t=⟦-10|NUMBER⟧t+(-3)bt$, "
        "so $b=⟦2|NUMBER⟧$. Therefore our answer is $⟦a+b|EXPR⟧=\\boxed{⟦-1|NUMBER⟧}$.",
        "-1",
    ),
    # the question's own x = 2: evaluating its expression there is the task, not a leak
    row(
        "clean_question_given",
        "If $x = 2$, what is the value of $x^2 + 3x$?",
        "Substituting $x = 2$ gives $⟦4|NUMBER⟧ + ⟦6|NUMBER⟧ = \\boxed{⟦10|NUMBER⟧}$.",
        "10",
    ),
    # the question's displayed expression at the trace's point of equality is the minimum
    row(
        "system_question_display",
        "Find the minimum value of\n\\[\\frac{(x + 5)(x + 2)}{x + 1}\\]for $x > 0.$",
        "By AM-GM it is at least ⟦9|NUMBER⟧. Equality occurs when $x = 1,$ so it is $\\boxed{⟦9|NUMBER⟧}.$",
        "9",
    ),
    # the trace's own p(x), applied where the question asks for p(1)
    row(
        "system_question_function",
        "A quadratic $p$ has roots at $-1$ and $-2$ and leading coefficient 1. Compute $p(1)$.",
        "Its roots give $p(x) = x^2 + 3x + 2$, so the answer is $⟦p(1)|EXPR⟧ = \\boxed{⟦6|NUMBER⟧}$.",
        "6",
    ),
    # a visible inequality in one variable whose boundary is the gold (r = 1/10: 10%)
    row(
        "constraints_inequality",
        "A worker deposits $\\$20{,}000$ a year. He wants at least $\\$66,200$ after three deposits. "
        "What is the minimal interest rate, as a percentage?",
        "If the rate is $r$, then $$20000(1+r)^2 + 20000(1+r) + 20000 \\ge 66200.$$ Dividing by "
        "$⟦200|NUMBER⟧$ and solving, $r = \\boxed{⟦10|NUMBER⟧}\\%$.",
        "10",
    ),
    # the same with a value of the inequality hidden, and an inequality whose boundary is no gold
    row(
        "clean_inequality",
        "A worker deposits $\\$20{,}000$ a year. He wants at least $\\$66,200$ after three deposits. "
        "What is the minimal interest rate, as a percentage?",
        "If the rate is $r$, then $$20000(1+r)^2 + 20000(1+r) + 20000 \\ge ⟦66200|NUMBER⟧.$$ Since $r > 0$ "
        "and $2r \\le 7$, dividing by $⟦200|NUMBER⟧$ and solving, $r = \\boxed{⟦10|NUMBER⟧}\\%$.",
        "10",
    ),
    # TeX's shorthand \\frac12 left visible while the 2 of 1/2 is hidden: it fills the blank
    row(
        "restated_shorthand",
        "Alice flips a coin first, then Bob. Who first gets heads wins. What is the chance Alice wins?",
        "Alice wins on her first turn with chance $1/⟦2|NUMBER⟧$, then with ratio $1/⟦4|NUMBER⟧$, so she "
        "wins with $$\\frac{\\frac12}{⟦1|NUMBER⟧-\\frac14} = \\boxed{⟦\\frac{2}{3}|EXPR⟧}.$$",
        "\\frac{2}{3}",
    ),
    # shorthand fractions no hidden fraction writes
    row(
        "clean_shorthand",
        "Alice flips a coin first, then Bob. Who first gets heads wins. What is the chance Alice wins?",
        "She wins with $\\frac12 + \\frac14 \\cdot ⟦\\frac{2}{3}|EXPR⟧$, that is "
        "$\\boxed{⟦\\frac{2}{3}|EXPR⟧}$, with $1/⟦5|NUMBER⟧$ of nothing.",
        "\\frac{2}{3}",
    ),
    # named angles in align lines (degrees a unit): angle ADC, then ADB, BAD and BAC are fixed
    row(
        "system_angles",
        "In the diagram, $AD=BD=CD$ and $\\angle BCA = 40^\\circ.$ What is the measure of $\\angle BAC?$",
        "We know $\\angle DAC=\\angle ACD=40^\\circ.$ So \\begin{align*}\n"
        "\\angle ADC &= 180^\\circ - \\angle DAC - \\angle ACD \\\\\n&= ⟦100|NUMBER⟧^\\circ.\n\\end{align*}"
        "Then $\\angle ADB = 180^\\circ - \\angle ADC$ and "
        "$\\angle BAD = \\frac{1}{2}(180^\\circ - \\angle ADB)$."
        " Therefore \\begin{align*}\n\\angle BAC &= \\angle BAD + \\angle DAC \\\\\n"
        "&= ⟦50|NUMBER⟧^\\circ+40^\\circ \\\\\n&= \\boxed{⟦90^\\circ|EXPR⟧}.\n\\end{align*}",
        "90^\\circ",
    ),
    # a ratio in prose beside the hidden fraction it states (x/y = [EXPR] for 4:3)
    row(
        "restated_ratio",
        "The ratio of blue marbles to yellow marbles is 4:3. How many blue marbles are there if there are 12 "
        "yellow ones?",
        "The ratio of blue to yellow is 4:3, so $\\dfrac{x}{y}=⟦\\dfrac{4}{3}|EXPR⟧$ and "
        "$x = \\boxed{⟦16|NUMBER⟧}$.",
        "16",
    ),
    # the ratio hidden too, or in another sentence than a fraction of another value
    row(
        "clean_ratio",
        "The ratio of blue marbles to yellow marbles is 4:3. How many blue marbles are there if there are 12 "
        "yellow ones?",
        "The ratio of blue to yellow is ⟦4|NUMBER⟧:⟦3|NUMBER⟧, so $\\dfrac{x}{y}=⟦\\dfrac{4}{3}|EXPR⟧$. "
        "At 3:30 pm the ratio is 5:4. So $\\dfrac{x}{y}=⟦\\dfrac{5}{3}|EXPR⟧$ and "
        "$x = \\boxed{⟦16|NUMBER⟧}$.",
        "16",
    ),
    # damage rows (no leak)
    row(
        "dmg_swallowed",
        "What is the shaded area?",
        "The area is $⟦16\\pi|EXPR⟧⟦-4\\pi|EXPR⟧ = ⟦12\\pi|EXPR⟧$ and we factor $(y ⟦-3|NUMBER⟧)(y+1)$. "
        "The answer is $\\boxed{⟦5|ANSWER⟧}$.",
        "5",
    ),
    row(
        "dmg_sci",
        "Find $y$.",
        "We get $⟦2e+9|NUMBER⟧ = y$, so the answer is $\\boxed{⟦2e+9|ANSWER⟧}$.",
        "2e+9",
    ),
    row(
        "dmg_asy",
        "What is the length?",
        "[asy]\ndraw((0,0)--(⟦4|NUMBER⟧,0));\n[/asy]\nThe answer is $\\boxed{⟦9|ANSWER⟧}$.",
        "9",
    ),
    row(
        "dmg_zero",
        "Find $x$.",
        "We solve $x - 3 = ⟦0|NUMBER⟧$ for $x$; the answer is $\\boxed{⟦8|ANSWER⟧}$.",
        "8",
    ),
    row(
        "dmg_structure",
        "Compute it.",
        "Step ⟦2|NUMBER⟧: compute $x_⟦1|NUMBER⟧^⟦2|NUMBER⟧$; the answer is $\\boxed{⟦9|ANSWER⟧}$.",
        "9",
    ),
    row(
        "dmg_variable",
        "Find the odd $t$ with $t \\equiv 3 \\pmod{4}$ and $t<6$.",
        "Only one odd value below 6 fits, so $⟦t|EXPR⟧=\\boxed{⟦3|ANSWER⟧}$.",
        "3",
    ),
    row(
        "dmg_split",
        "A barn costs $40000. What is half of it?",
        "Half of $⟦40|NUMBER⟧ 000 is $⟦20 000|NUMBER⟧.\n#### ⟦20000|NUMBER⟧",
        "20000",
    ),
    row(
        "dmg_triangle",
        "How long is the short leg?",
        "It is a $⟦30|NUMBER⟧-60-⟦90|NUMBER⟧$ triangle with hypotenuse 10; "
        "the answer is $\\boxed{⟦5|ANSWER⟧}$.",
        "5",
    ),
    row(
        "dmg_render",
        "Compute it.",
        "The answer is $\\boxed{⟦9|ANSWER⟧}$.",
        "9",
        spans=[{"start": 3, "end": 6, "kind": "number", "reason": "test", "value": "x"}],
    ),
    # figures: a solved label where the question's figure writes an expression in x (x+4 = 9 gives 5)
    row(
        "figure_cell",
        'What is $x$ if each row of the grid has the same sum?\n[asy]\nlabel("$x+4$",(.5,1.5));\n'
        'label("$2$",(1.5,1.5));\nlabel("$3x-4$",(.5,.5));\n[/asy]',
        'So $x=\\boxed{⟦5|ANSWER⟧}$. Filled in:\n[asy]\nlabel("9",(.5,1.5));\nlabel("2",(1.5,1.5));\n'
        'label("11",(.5,.5));\n[/asy]',
        "5",
    ),
    # a segment the text names, measured on the figure's labelled points
    row(
        "figure_measure",
        "Ann walks 3 miles east, then 4 miles north. How far is she from her start?",
        "Call the start $A$ and the end $B$; then $AB=\\boxed{⟦5|ANSWER⟧}$.\n[asy]\npair a=(0,0), b=(3,4);\n"
        'draw(a--b);\nlabel("$A$", a, SW);\nlabel("$B$", b, NE);\n[/asy]',
        "5",
    ),
    # a ratio of two segments the text names, measured on the figure (round 37's reading of 178's figure)
    row(
        "figure_ratio",
        "In right triangle $ABC$, $\\sin A = 2\\cos A$. What is $\\tan A$?",
        "So $\\frac{BC}{AB} = ⟦2|NUMBER⟧$, and $\\tan A = \\boxed{⟦2|ANSWER⟧}$.\n[asy]\npair A,B,C;\n"
        'A = (0,0);\nB = (5,0);\nC = (5,10);\ndraw(A--B--C--A);\nlabel("$A$",A,SW);\n'
        'label("$B$",B,SE);\n[/asy]',
        "2",
    ),
    # the question's own figure has the same points: the question gives it, not the trace
    row(
        "clean_figure_question",
        "Ann walks from $A$ to $B$. How far is she from her start?\n[asy]\npair a=(0,0), b=(3,4);\n"
        'draw(a--b);\nlabel("$A$", a, SW);\nlabel("$B$", b, NE);\n[/asy]',
        "So $AB=\\boxed{⟦5|ANSWER⟧}$.\n[asy]\npair a=(0,0), b=(3,4);\n"
        'draw(a--b);\nlabel("$A$", a, SW);\nlabel("$B$", b, NE);\n[/asy]',
        "5",
    ),
    # figure code drawn with two hidden dimensions of one phrase
    row(
        "restated_dimensions",
        "A rectangle has vertices $(-3,-2)$, $(3,-2)$, $(3,2)$, $(-3,2)$. How many unit squares does it "
        "hold?",
        "It is ⟦6|NUMBER⟧ units by ⟦4|NUMBER⟧ units, so it holds $\\boxed{⟦24|ANSWER⟧}$ squares.\n"
        "[asy]\nadd(grid(6,4));\n[/asy]",
        "24",
    ),
    # two hidden numbers that are no phrase of dimensions: figure code is not compared
    row(
        "clean_dimensions",
        "A rectangle has vertices $(-3,-2)$, $(3,-2)$, $(3,2)$, $(-3,2)$. How many unit squares does it "
        "hold?",
        "Its sides are ⟦6|NUMBER⟧ and ⟦4|NUMBER⟧ units long, so it holds $\\boxed{⟦24|ANSWER⟧}$ squares.\n"
        "[asy]\nadd(grid(6,4));\n[/asy]",
        "24",
    ),
    # a congruence chain: the visible entries of sides written alike give the residue term by term
    row(
        "congruence_termwise",
        "If $k \\equiv 3 \\pmod{11}$, find the remainder when $(k+1)(k+5)(k+9)$ is divided by 11.",
        "Then $(k+1)(k+5)(k+9) \\equiv 4 \\cdot 8 \\cdot ⟦12|NUMBER⟧ \\equiv ⟦4|NUMBER⟧ \\cdot 8 \\cdot 1 "
        "\\equiv ⟦32|NUMBER⟧ \\equiv \\boxed{⟦10|NUMBER⟧} \\pmod{11}$.",
        "10",
    ),
    row(
        "congruence_side",
        "Find the remainder of $1+3+5+\\dots+41$ modulo 9.",
        "The rest cancel; the last two leave $5+7 \\equiv \\boxed{⟦3|NUMBER⟧} \\pmod 9$.",
        "3",
    ),
    row(
        "clean_congruence",
        "What is the remainder when $$2+5+8$$ is divided by 4?",
        "We have $2+5+8 \\equiv ⟦2|NUMBER⟧+⟦1|NUMBER⟧+0 \\equiv \\boxed{⟦3|NUMBER⟧} \\pmod 4$, and "
        "$⟦6|NUMBER⟧ \\cdot 7 \\cdot ⟦9|NUMBER⟧ \\equiv ⟦10|NUMBER⟧ \\cdot 7 \\cdot 1 \\pmod{4}$.",
        "3",
    ),
    # the sum of listed items (shifted roots) over a visible relation among their quantities
    row(
        "listed_sum",
        "Let $p(x) = x^3 - 12x^2 + 5x - 7$. Compute the sum of the roots of $p(x - 2)$.",
        "By Vieta's formulas, $r + s + t = 12.$ The roots of $p(x-2)$ are $r + 2,$ $s + 2,$ and $t + 2,$ so "
        "their sum is $r + s + t + ⟦6|NUMBER⟧ = 12 + ⟦6|NUMBER⟧ = \\boxed{⟦18|NUMBER⟧}.$",
        "18",
    ),
    # a row about complex numbers: i is the imaginary unit, the visible rotation equation fixes w = -1 + 2i
    row(
        "constraints_complex",
        "The complex number $2 + 3i$ is rotated $90^\\circ$ counter-clockwise around $1 + i$. What is the "
        "resulting complex number?",
        "Let $w$ be the image. Since the rotation is around $1 + i,$ \\[w - (1 + i) = i(2 + 3i - (1 + i)).\\]"
        " Solving, we find $w = \\boxed{⟦-1 + 2i|EXPR⟧}.$",
        "-1 + 2i",
    ),
    row(
        "clean_complex",
        "The complex number $2 + 3i$ is rotated $90^\\circ$ counter-clockwise around $1 + i$. What is the "
        "resulting complex number?",
        "Let $w$ be the image. Since the rotation is around $1 + i,$ \\[w - (1 + i) = i \\cdot "
        "⟦(1 + 2i)|EXPR⟧.\\] Solving, we find $w = \\boxed{⟦-1 + 2i|EXPR⟧}.$",
        "-1 + 2i",
    ),
    # i an index and a real variable where the row is not about complex numbers
    row(
        "clean_index_i",
        "Let $a_i = 2i + 1$ for each integer $i$. Compute $a_1 + a_2 + a_3$.",
        "Each $a_i$ adds $2i$ and $1$, so the sum is $\\sum_{i=1}^{3} (2i + 1) = 2 \\cdot ⟦6|NUMBER⟧ + "
        "⟦3|NUMBER⟧ = \\boxed{⟦15|NUMBER⟧}.$",
        "15",
    ),
    row(
        "clean_listed",
        "Let $p(x) = x^3 - 12x^2 + 5x - 7$. Compute the sum of the roots of $p(x - 2)$.",
        "By Vieta's formulas, $r + s + t = ⟦12|NUMBER⟧.$ The roots of $p(x-2)$ are $r + 2,$ $s + 2,$ "
        "and $t + 2,$ so their sum is $r + s + t + ⟦6|NUMBER⟧ = ⟦12|NUMBER⟧ + ⟦6|NUMBER⟧ = "
        "\\boxed{⟦18|NUMBER⟧}.$",
        "18",
    ),
    # a computation a segment holds alone, then "This simplifies to": its value is the answer
    row(
        "replay_alone",
        "What is the least value $1 + 2 + 3 - 4 + 5 + 6$ can take with parentheses added?",
        "It is least with $1+2+3-(4+5+6)$. This simplifies to $1+2+3-⟦15|NUMBER⟧ = 6-⟦15|NUMBER⟧"
        "=\\boxed{⟦-9|NUMBER⟧}$.",
        "-9",
    ),
    row(
        "clean_alone",
        "What is the least value $1 + 2 + 3 - 4 + 5 + 6$ can take with parentheses added?",
        "It is least with $1+2+3-(⟦4|NUMBER⟧+5+6)$. This simplifies to $1+2+3-⟦15|NUMBER⟧ = "
        "6-⟦15|NUMBER⟧=\\boxed{⟦-9|NUMBER⟧}$.",
        "-9",
    ),
    # "how many": the list the trace writes out has as many items as the answer, whatever they hide
    row(
        "counted_list",
        "For how many positive integers $n>1$ is $2^{24}$ a perfect $n^{\\text{th}}$ power?",
        "The factors of 24 which are greater than 1 are 2, ⟦3|NUMBER⟧, ⟦4|NUMBER⟧, ⟦6|NUMBER⟧, "
        "⟦8|NUMBER⟧, ⟦12|NUMBER⟧, and 24, so we have $\\boxed{⟦7|NUMBER⟧}$ possible values of $n$.",
        "7",
    ),
    row(
        "counted_formula",
        "How many positive divisors does 12 have?",
        "Each divisor is $2^a 3^b$, so it can be $1, 2^1, 2^2, 3, 2^1\\cdot 3,\\text{ or }2^2\\cdot 3$; that "
        "is $\\boxed{⟦6|NUMBER⟧}$ divisors.",
        "6",
    ),
    row(
        "clean_counted_list",
        "For how many positive integers $n>1$ is $2^{24}$ a perfect $n^{\\text{th}}$ power?",
        "The factors of ⟦24|NUMBER⟧ which are greater than 1 are ⟦2, 3, 4, 6, 8, 12, and 24|EXPR⟧, and the "
        "pattern goes on as $2, 4, 6, 8, 10, 12, 14, \\dots$, so we have $\\boxed{⟦7|NUMBER⟧}$ values of $n$ "
        "(the point $(1, 2, 3, 4, 5, 6, 8)$ aside).",
        "7",
    ),
    # a multiple-choice gold: the trace states its option's content
    row(
        "option_content",
        "Find the curve defined by $r^2 \\cos 2\\theta = 4$.\n(A) Line\n(B) Circle\n(C) Parabola\n"
        "(D) Ellipse\n(E) Hyperbola\n\nEnter the letter of the correct option.",
        "Then $x^2 - y^2 = ⟦4|NUMBER⟧$, so the graph is a hyperbola. The answer is "
        "$\\boxed{⟦\\text{(E)}|EXPR⟧}$.",
        "\\text{(E)}",
    ),
    # the one name of the question's the masked trace does not show is the answer
    row(
        "elimination_names",
        "Which student has the greatest average speed? Evelyn, Briana and Carla ran.",
        "⟦Evelyn|ENTITY⟧ ran farther than Briana in less time, and faster than Carla. So "
        "$\\boxed{⟦\\text{Evelyn}|EXPR⟧}$ is our answer.",
        "\\text{Evelyn}",
    ),
    row(
        "clean_elimination",
        "Which student has the greatest average speed? Evelyn, Briana and Carla ran.",
        "⟦Evelyn|ENTITY⟧ ran farther than ⟦Briana|ENTITY⟧ in less time, and faster than Carla. So "
        "$\\boxed{⟦\\text{Evelyn}|EXPR⟧}$ is our answer.",
        "\\text{Evelyn}",
    ),
    row(
        "clean_option",
        "Find the curve defined by $r^2 \\cos 2\\theta = 4$.\n(A) Line\n(B) Circle\n(C) Parabola\n"
        "(D) Ellipse\n(E) Hyperbola\n\nEnter the letter of the correct option.",
        "Then $x^2 - y^2 = ⟦4|NUMBER⟧$, so the graph is a ⟦hyperbola|ENTITY⟧, not a circle. The answer is "
        "$\\boxed{⟦\\text{(E)}|EXPR⟧}$.",
        "\\text{(E)}",
    ),
]

EXPECTED_LEAKS = {
    "clean_gsm": set(),
    "clean_math": set(),
    "clean_exempt": set(),
    "extract": {"extract", "visible_value"},
    "visible": {"visible_value", "restated"},  # the hidden 42 of "#### 42" stands in the prose
    "placeholder_question": {"placeholder"},
    "placeholder_indexed": {"placeholder"},
    "placeholder_eq": {"placeholder", "replay", "constraints"},
    "equiv_singular": {"equivalent_form"},  # "pear" after the blank, where "pears" is written, tells 1
    "clean_singular": set(),
    "clean_singular_copy": set(),
    "equiv_words": {"equivalent_form", "restated"},  # "six" also states the hidden 6 in its sentence
    "equiv_interval": {"equivalent_form", "restated"},  # x < -3 also restates the hidden 3 of x + 3
    "equiv_interval_words": {"equivalent_form"},  # "all non-positive numbers" for (-inf, 0]
    "equiv_fraction": {"equivalent_form", "restated"},  # \tfrac12 also fills the hidden \frac{1}{2}
    "equiv_tuple": {"equivalent_form"},  # (1,2) is hidden whole: its numbers are not compared (restated)
    "equiv_normalised": {"equivalent_form"},
    "constraints": {"constraints"},
    "constraints_indexed": {"constraints"},
    "constraints_values_sum": {"constraints"},
    "clean_values_sum": set(),
    "constraints_integer_count": {"constraints"},
    "clean_integer_count": set(),
    "restated_term": {"restated"},
    "restated_factorial": {"restated"},
    "clean_term_question_copy": set(),
    "replay_note": {"extract", "replay", "constraints"},  # math_verify reads `5 + 3` as the answer
    "replay_final": {"replay", "constraints"},
    "rewritten_line": {"constraints"},  # like terms combined: [N]d - 3 is d + 7d - 3 for every d
    "substituted_line": {"constraints"},  # c = [N] + d put into c + d = 60: [N] is 20, the other [N] 60
    "clean_not_substituted": set(),  # no word says the second line is the first with c put in
    "clean_two_equations": set(),  # two lines in x and y with other right sides are a system, no rewrite
    "replay_struck": {"replay", "constraints"},  # \\cancel{3} and \\cancelto{3}{9} are the 3 and the 9
    "replay_indexed_chain": {"replay", "constraints"},
    "clean_coincidence": set(),
    # a dozen after a hidden count is a unit, 12 a standard constant, "twice" states a visible 2, "the
    # third step" is a label: nothing is restated
    "clean_words_and_constants": set(),
    "restated_prose": {"restated"},
    "restated_figure": {"restated"},
    "restated_pair": {"restated"},
    "restated_coordinate": {"restated"},  # "x-coordinate for B is 4" fills B's hidden x of (4,3)
    "clean_coordinate_other_point": set(),  # A's x-coordinate is 4, and so is B's hidden one: two quantities
    # the hidden 6 of (6,0) stays in the figure's label text and as the same point dot((6,0))
    "restated_figure_point": {"restated"},
    # figure coordinates equal to a hidden value, but no point the text writes: not the same quantity
    "clean_figure_coords": set(),
    # the hidden 2 of 2(1 + [NUMBER] + 3 + 0) is the visible 2 of 1 + 2 + 3 + 0: the same expression around
    "restated_expression": {"restated"},
    # the percent hidden in the words, its twin left in the calculator note (the note adds the .01)
    "restated_note_twin": {"restated"},
    # "ten" states the hidden 10 in the same sentence
    "restated_word": {"restated"},
    # "halve" states the hidden 2 of "/ [NUMBER]" as "half" would
    "restated_multiplier_verb": {"restated"},
    # the 4 of "4-minute" right after the step's result is the hidden 4 of 60/[NUMBER]
    "restated_after_step": {"restated"},
    # "/2=1" in two notes: the first digits of two different results, no shared neighbourhood; but the 2 is
    # an operand of both notes, hidden in one and visible in the other: the same value of another step
    "restated_neighbours_cut": {"restated"},
    # a cut value kept as an operand of another step's note; every copy hidden; a result carried on
    "restated_step_copy": {"restated"},
    "clean_step_copy_hidden": set(),
    "clean_carried_result": set(),
    # "round trip" states the hidden factor 2 of its sentence; kept visible, the distance cut instead
    "restated_round_trip": {"restated"},
    "clean_round_trip": set(),
    "clean_counted_pairs": set(),  # "2 pairs" counts them: no factor the word states
    "clean_counted_pairs_in_words": set(),  # "Two pairs" alike
    # AM-GM over 4 terms: the visible degree of "[NUMBER] \sqrt[4]" is the hidden coefficient
    "restated_root_degree": {"restated"},
    "clean_root_degree": set(),
    # in a word problem (calculator notes) "two pens" states the hidden 2 of 6+[NUMBER]
    "restated_two": {"restated"},
    "restated_fraction_word": {"restated"},
    "clean_fraction_word": set(),
    # "nine" a sentence after the digits hidden on their own states them
    "restated_word_other_sentence": {"restated"},
    # "the third (given) equation", "the three given equations": labels and counts of the plan, not the 3
    "clean_plan_words": set(),
    # the question writes "nine": the trace's "nine" restates the question, which the policy reads anyway
    "clean_word_of_the_question": set(),
    "clean_value_of_the_question": set(),  # the question writes 9 in numerals
    "system_segments": {"system"},
    "clean_system": set(),
    "system_vector": {"system"},
    "system_function": {"system"},
    "system_question_asks": {"system", "constraints"},  # constraints: a and b written, the question's a+b
    "clean_question_asks": set(),
    "clean_question_given": set(),
    "system_question_display": {"system"},
    "system_question_function": {"system"},
    "constraints_inequality": {"constraints"},
    "clean_inequality": set(),
    "restated_shorthand": {"restated"},
    "clean_shorthand": set(),
    "system_angles": {"system"},
    "restated_ratio": {"restated"},
    "clean_ratio": set(),
    "figure_cell": {"figure"},
    "figure_ratio": {"figure"},  # BC/AB is 10/5 on the figure; asy's "pair A,B,C;" is code, no word for 2
    "figure_measure": {"figure"},
    "clean_figure_question": set(),
    "restated_dimensions": {"restated"},
    "clean_dimensions": set(),
    "congruence_termwise": {"congruence"},
    "congruence_side": {"congruence"},
    "clean_congruence": set(),
    "listed_sum": {"listed"},
    "clean_listed": set(),
    "constraints_complex": {"constraints", "system"},
    "clean_complex": set(),
    "clean_index_i": set(),
    "replay_alone": {"replay"},
    "clean_alone": set(),
    "counted_list": {"counted", "replay"},  # and the divisors of the visible 24, counted
    "counted_formula": {"counted", "replay"},  # 2^1 \\cdot 3, an item, is 6 too
    "clean_counted_list": set(),
    "option_content": {"option"},
    "clean_option": set(),
    "elimination_names": {"elimination"},
    "clean_elimination": set(),
}
EXPECTED_DAMAGE = {
    "dmg_swallowed": {"swallowed_operator", "glued", "lost_structure"},
    "dmg_sci": {"sci_notation"},
    "dmg_asy": {"asy_placeholder"},
    "dmg_zero": {"hidden_zero"},
    "dmg_structure": {"lost_structure"},
    "dmg_render": {"render_mismatch"},
    "dmg_variable": {"hidden_variable"},
    "dmg_split": {"split_number"},
    "dmg_triangle": {"lost_structure"},
}


def as_record(r: dict) -> dict:
    return {
        "id": r["id"],
        "question": r["question"],
        "trace": r["trace"],
        "masked": r["masked_trace"],
        "gold": r["reward_model"]["ground_truth"],
        "style": r["placeholder"],
        "spans": r["spans"],
        "level": r["mask_level"],
    }


def checker_leaks(rid: str, question: str, template: str, gold: str) -> dict:
    """The checker's leaks on one hand-made row (a template with ⟦original|PLACEHOLDER⟧ marks)."""
    rc._init_worker(8.0)
    return rc.check_row(as_record(row(rid, question, template, gold)))["leaks"]


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    rc._init_worker(8.0)
    return {r["id"]: rc.check_row(as_record(r)) for r in ROWS}


@pytest.mark.parametrize("rid", sorted(EXPECTED_LEAKS))
def test_each_attack_fires_exactly_where_it_should(results, rid):
    got = results[rid]
    assert set(got["leaks"]) == EXPECTED_LEAKS[rid], got["leaks"]
    assert got["unchecked"] == [], got
    for findings in got["leaks"].values():
        assert findings[0]["text"] and findings[0]["detail"]  # the row names the text that gave it away
    if not rid.startswith("dmg_"):
        assert not any(got["damage"].values()), got["damage_details"]


def test_every_attack_is_exercised():
    fired = set().union(*EXPECTED_LEAKS.values())
    assert fired == set(rc.ATTACKS)


@pytest.mark.parametrize("rid", sorted(EXPECTED_DAMAGE))
def test_damage_checks(results, rid):
    got = results[rid]
    assert {k for k, v in got["damage"].items() if v} == EXPECTED_DAMAGE[rid], got["damage_details"]
    assert got["leaks"] == {}, got["leaks"]


def test_kept_structure_and_masked_fraction(results):
    kept = results["dmg_structure"]["kept"]
    assert kept["step_labels"] == (0, 1) and kept["indices"] == (0, 1) and kept["exponents"] == (0, 1)
    clean = results["clean_exempt"]["kept"]
    assert clean["step_labels"] == (1, 1) and clean["list_markers"] == (1, 1) and clean["exponents"] == (1, 1)
    r = next(x for x in ROWS if x["id"] == "clean_math")
    assert results["clean_math"]["masked_fraction"] == pytest.approx(2 / len(r["trace"]))


def _write_out_dir(path: Path, rows: list[dict]) -> Path:
    schema = pa.schema(
        [
            ("id", pa.string()),
            ("question", pa.string()),
            ("trace", pa.string()),
            ("masked_trace", pa.string()),
            (
                "spans",
                pa.list_(
                    pa.struct(
                        [
                            ("start", pa.int32()),
                            ("end", pa.int32()),
                            ("kind", pa.string()),
                            ("reason", pa.string()),
                            ("value", pa.string()),
                        ]
                    )
                ),
            ),
            ("reward_model", pa.struct([("style", pa.string()), ("ground_truth", pa.string())])),
            ("mask_level", pa.string()),
            ("placeholder", pa.string()),
        ]
    )
    (path / "data").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path / "data" / "part-00000.parquet")
    return path


def test_cli_on_out_dirs(tmp_path):
    leaky = _write_out_dir(tmp_path / "all", ROWS)
    clean = _write_out_dir(tmp_path / "clean", [r for r in ROWS if r["id"].startswith("clean")])
    cmd = [sys.executable, str(SCRIPT), str(leaky), str(clean), "--json", "--jobs", "2", "--examples", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    first, second = out["inputs"]
    assert first["rows"] == len(ROWS)
    for attack in rc.ATTACKS:
        want = sorted(rid for rid, exp in EXPECTED_LEAKS.items() if attack in exp)
        assert sorted(first["leaky_ids"][attack]) == want
        assert first["examples"][attack][0]["gold"]
    assert first["damage"]["render_mismatch"] == 1 and first["damage"]["asy_placeholder"] == 1
    assert second["leak_rows"] == 0 and not any(second["damage"].values())


def test_clean_out_dir_passes(tmp_path, capsys):
    clean = _write_out_dir(tmp_path / "clean", [r for r in ROWS if r["id"].startswith("clean")])
    assert rc.main([str(clean), "--jobs", "1"]) == 0
    assert "rows leaking (any attack)    0" in capsys.readouterr().out


def test_reference_masking(tmp_path, capsys):
    gsm = tmp_path / "gsm.jsonl"
    gsm.write_text(
        json.dumps(
            {
                "question": "Ann has 5 pens and buys three more. How many?",
                "answer": "She has 5 + 3 = <<5+3=8>>8 pens.\n#### 8",
            }
        )
        + "\n"
        + json.dumps(
            {"question": "How many faces does a cube have?", "answer": "A cube has six faces.\n#### 6"}
        )
        + "\n"
    )
    math = tmp_path / "math.jsonl"
    math.write_text(
        json.dumps(
            {
                "problem": "Compute $2^3$.",
                "solution": "$2^3 = \\boxed{8}$.",
                "answer": "8",
                "unique_id": "test/x/1.json",
            }
        )
        + "\n"
    )
    code = rc.main(
        [
            "--reference",
            str(gsm),
            "--format",
            "gsm8k",
            "--reference",
            str(math),
            "--format",
            "math",
            "--json",
            "--jobs",
            "1",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0  # references are reported, never fail the run
    g, m = out["inputs"]
    assert g["rows"] == 2 and m["rows"] == 1
    assert g["leaky_ids"]["equivalent_form"] == ["gsm8k-1"]  # "six faces" survives number-only masking
    assert g["leaky_ids"]["replay"] == []  # every number of `5 + 3` is hidden
    assert g["kept_pct"]["exponents"] is None and m["kept_pct"]["exponents"] == 0.0  # 2^[NUMBER]
    assert 0 < g["mean_masked_fraction"] < 1
    assert m["leak_rows"] == 0 and m["damage"]["lost_structure"] == 1


def test_complex_rows():
    """`i` is the imaginary unit only where the row is about complex numbers."""
    assert rc.is_complex_row("What is the resulting complex number?", "5")
    assert rc.is_complex_row("Evaluate $(2 + i)^2$.", "3 + 4i")
    assert rc.is_complex_row("", "\\frac{1}{2} - \\frac{3}{2}i") and rc.is_complex_row("", "6+9i")
    assert not rc.is_complex_row("Let $a_i = 2i + 1$. Compute $a_1 + a_2$.", "10")
    assert not rc.is_complex_row("Find $x_i$.", "x_i + 1") and not rc.is_complex_row("", "2i + j")
    assert rc.Gold("1 - 12i", imag=True).matches(complex(1, -12))
    assert rc.Gold("1 - 12i").value is None  # elsewhere i is a letter
    assert rc.eq_val(Fraction(3), 3 + 0j) and not rc.eq_val(complex(1, -12), complex(1, 12))


def test_render_check_takes_a_braced_bare_exponent():
    span = [{"start": 2, "end": 3}]
    assert rc.render_ok("2^8 = 256", "2^{[NUMBER]} = 256", span)  # braces a bare exponent needs
    assert rc.render_ok("2^8 = 256", "2^[NUMBER] = 256", span)
    assert not rc.render_ok("2^8 = 256", "2^{[NUMBER] = 256", span)
    assert not rc.render_ok("28 = 256", "2{[NUMBER]} = 256", span)  # no exponent: braces are damage


def test_alignment_takes_a_braced_bare_exponent():
    masked = "So 2^{[NUMBER]} = 256."
    ph = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\[[A-Z]+\]", masked)]
    assert rc.align("So 2^8 = 256.", masked, ph) is not None
    assert rc.align("So 28 = 256.", masked, ph) is None  # braces where no exponent was


def _checked(rid: str, question: str, template: str, gold: str) -> dict:
    rc._init_worker(8.0)
    return rc.check_row(as_record(row(rid, question, template, gold)))


def test_a_vector_answer_hidden_entry_by_entry_is_no_damage_and_no_restatement():
    question = "If $\\mathbf{c} = \\begin{pmatrix} 1 \\\\ -7 \\\\ 18 \\end{pmatrix}$, compute it."
    template = (
        "We get $6 \\begin{pmatrix} 1 \\\\ - 7 \\\\ 18 \\end{pmatrix} - ⟦24|NUMBER⟧ = "
        "\\boxed{\\begin{pmatrix} ⟦-18|NUMBER⟧ \\\\ ⟦-49|NUMBER⟧ \\\\ ⟦96|NUMBER⟧ \\end{pmatrix}}$."
    )
    got = _checked(
        "vector_entries", question, template, "\\begin{pmatrix} -18 \\\\ -49 \\\\ 96 \\end{pmatrix}"
    )
    # the minus after \begin{pmatrix} starts the first entry: no operator swallowed, none lost
    assert not any(got["damage"].values()), got["damage_details"]
    assert got["kept"]["operators"][0] == got["kept"]["operators"][1]
    # the hidden -18, sign and all, is not the visible 18 (no minus before it)
    assert "restated" not in got["leaks"], got["leaks"]
    # a visible -18, or 18 after a minus, is the same value written again
    for visible in (
        "$-18$",
        "$x - 18$",
        "$\\pm 18$",
        "negative 18",
        "$-(18)$",
        "$-{18}$",
        "$\u221218$",
        "$-\\,18$",
    ):
        template = f"The first entry is ⟦-18|NUMBER⟧ and, in the check, {visible} again."
        got = _checked("restated_signed", "Compute the entry.", template, "5")
        assert "restated" in got["leaks"], (visible, got["leaks"])
