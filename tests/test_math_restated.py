"""The ``restated`` attack (a hidden value left visible elsewhere in the trace as the same quantity) and the
masker's answer to it: hide the restatement, keep the rest of the plan, never escalate for it."""

from __future__ import annotations

from smepo_data import Example, mask_example, mask_text
from smepo_data.audit.damage import span_damage
from smepo_data.math._restated import align, restated
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

BAKE_Q = (
    "Elsa bakes the cookies for 15 minutes, lets the white icing harden for 30 minutes and the chocolate "
    "icing for 30 more. If it takes her 2 hours in all, how long does the rest take?"
)
BAKE = (
    "It takes 15 minutes to bake, 30 minutes for the white icing and 30 minutes for the chocolate icing "
    "so it takes 15+30+30 = <<15+30+30=75>>75 minutes\n"
    "It takes her 2 hours so it takes 60*2 = <<60*2=120>>120 minutes\n"
    "So the rest takes 120-75 = <<120-75=45>>45 minutes\n"
    "#### 45"
)


def restatements(trace: str, masked: str) -> list[str]:
    return [masked[f.start : f.end] for f in restated(trace, masked)]


def test_an_operand_restated_in_the_prose_before_it():
    masked = BAKE.replace("15+30+30", "[NUMBER]+30+30")
    for value in ("75", "120", "45"):
        masked = masked.replace(value, "[NUMBER]")
    found = restated(BAKE, masked)
    assert [masked[f.start : f.end] for f in found] == ["15"]
    assert masked[found[0].start - 9 : found[0].end + 8] == "It takes 15 minutes"
    assert "the same sentence" in found[0].detail
    # the audit runs it when it knows the original trace, and says nothing without it
    assert "restated" in {f.attack for f in attacks(BAKE_Q, masked, "45", BAKE)}
    assert "restated" not in {f.attack for f in attacks(BAKE_Q, masked, "45")}


def test_the_masker_hides_the_restatement_and_keeps_the_plan():
    r = mask_text("math", BAKE, question=BAKE_Q, answer="45")
    assert r.leak is None and r.level == "critical"
    assert not restatements(BAKE, r.text)
    first = r.text.splitlines()[0]
    assert first.startswith("It takes [NUMBER] minutes to bake, 30 minutes for the white icing")
    assert "[NUMBER]+30+30 = <<[NUMBER]+30+30=[NUMBER]>>[NUMBER] minutes" in first
    # the unit conversion's 60 is cut in the step and so hidden where the trace states it ("60 minutes"
    # is not written here, so nothing else goes); every operator, unit and word stays
    assert r.text.count("minutes") == BAKE.count("minutes") and r.text.count("+") == BAKE.count("+")
    assert "restated" in r.repairs


def test_a_figure_label_carrying_a_hidden_value():
    trace = (
        "We have $QC=7$, so $(14-r)^2+7^2=(7+r)^2$, and $r=\\boxed{\\frac{14}{3}}$.\n\n"
        '[asy]\ndraw((0,0)--(1,0));\nlabel("$7$",(-7/20,-1/5),E);\nlabel("$r$",(0,1),N);\n[/asy]'
    )
    masked = trace.replace("QC=7", "QC=[NUMBER]").replace("^2+7^2=(7+r)", "^2+[NUMBER]^2=([NUMBER]+r)")
    masked = masked.replace("\\frac{14}{3}", "[EXPR]")
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["7"]
    assert "figure label" in found[0].detail
    # a figure's coordinates are not labels: the 7 of (-7/20, ...) stays out of it
    assert masked.rfind('label("$7$"') < found[0].start
    r = mask_text(
        "math",
        trace,
        question="The radius of the circle is 14 inches. What is $r$?",
        answer="\\frac{14}{3}",
    )
    # the label's text loses its value, the figure's code stays (a placeholder in a label's text, not code)
    assert r.leak is None and "[FIGURE]" not in r.text
    assert 'label("$[NUMBER]$",(-7/20,-1/5),E);' in r.text and "draw((0,0)--(1,0));" in r.text
    spans = [{"start": s.start, "end": s.end} for s in r.spans]
    assert not span_damage(trace, spans, r.text)  # the audit's damage check: no placeholder in figure code


def test_a_label_the_questions_own_figure_writes_is_the_questions():
    # the trace draws the question's figure again: its "5 cm" label is the question's, read from it, so a
    # hidden 5 in the text is no restatement there and the figure stays (the checker agrees)
    figure = '[asy]\ndraw((0,0)--(27,0)--(15,9)--(0,9)--cycle);\nlabel("5 cm",(21,4.5),NE);\n[/asy]'
    question = "What is the area of this trapezoid, in square centimeters?\n\n" + figure
    trace = "The rectangle has area $(5\\text{ cm})(3\\text{ cm})=15\\text{ cm}^2$.\n\n" + figure
    masked = trace.replace("(5\\text", "([NUMBER]\\text", 1)
    assert not restated(trace, masked, question)
    assert [masked[f.start : f.end] for f in restated(trace, masked, "What is the area?")] == ["5"]
    template = trace.replace("(5\\text", "(⟦5|NUMBER⟧\\text", 1)
    assert "restated" not in checker_leaks("question_figure", question, template, "15")
    assert "restated" in checker_leaks("question_figure", "What is the area?", template, "15")


def test_a_figure_label_whose_number_another_label_writes_goes_whole():
    # hiding the 7 in one label's text would leave the 7 of "$\\frac{7}{2}$" in another: the figure goes whole
    trace = (
        "We have $QC=7$, so $(14-r)^2+7^2=(7+r)^2$, and $r=\\boxed{\\frac{14}{3}}$.\n\n"
        '[asy]\ndraw((0,0)--(1,0));\nlabel("$7$",(-7/20,-1/5),E);\nlabel("$\\frac{7}{2}$",(0,1),N);\n[/asy]'
    )
    r = mask_text(
        "math",
        trace,
        question="The radius of the circle is 14 inches. What is $r$?",
        answer="\\frac{14}{3}",
    )
    assert r.leak is None and "[FIGURE]" in r.text and "label(" not in r.text


POINT = (
    "The shortest line from $(6,0)$ to $y=2x-2$ is perpendicular to it, so it is $y=-\\frac{1}{2}x+3$. "
    "They meet at $(2,2)$. [asy]\ndraw((-.5,0)--(7,0));\ndraw((6,0)--(0,3),linewidth(.7));\n"
    'label("$(6,0)$",(6,0),S);\nlabel("$(2,2)$",(2.3,2.1),E);\ndot((2,2));\ndot((6,0));\n[/asy] '
    "The distance is $\\sqrt{(6-2)^2+(0-2)^2}=\\sqrt{16+4}=\\boxed{2\\sqrt{5}}$."
)


def test_a_figure_restating_a_hidden_coordinate():
    masked = POINT.replace("from $(6,0)$", "from $([NUMBER],0)$").replace("(6-2)^2", "([NUMBER]-2)^2")
    masked = masked.replace("+3$", "+[NUMBER]$").replace("16+4", "[NUMBER]+[NUMBER]")
    masked = masked.replace("\\boxed{2\\sqrt{5}}", "\\boxed{[EXPR]}")
    found = restated(POINT, masked)
    figure = masked.index("[asy]"), masked.index("[/asy]")
    # inside the label's text "(6,0)" and at the very point the text names, in draw and dot; the figure's
    # 3 of (0,3) is a coordinate of another point, not the hidden 3 of "+3"
    assert {masked[f.start : f.end] for f in found} == {"6"} and len(found) == 4
    assert all(figure[0] < f.start < figure[1] for f in found)
    assert sorted(f.detail.split("(")[-1] for f in found).count("the same point in the figure)") == 3
    r = mask_text("math", POINT, question="How far is $(6,0)$ from $y=2x-2$?", answer="2\\sqrt{5}")
    assert r.leak is None and r.level == "critical" and "[FIGURE]" in r.text and "dot(" not in r.text
    # the figure hidden whole hides its code, not values of the plan: the 2s of "y=2x-2" and "(2,2)" stay
    assert "$y=2x-2$" in r.text and "$(2,2)$" in r.text


def test_a_coordinate_pair_restated():
    trace = (
        "The midpoint of $AO$ is $(5,-5)$. The perpendicular bisector passes through $(5,-5)$ with slope "
        "$1$.\n\nThe point $(2,0)$ lies on the $x$-axis. So $P$ is on it, and $P=(2,0)$."
    )
    masked = trace.replace("is $(5,-5)$", "is $([NUMBER],[NUMBER])$").replace("P=(2,0)", "P=([NUMBER],0)")
    assert restatements(trace, masked) == ["5", "-5", "2"]
    once = masked.replace("through $(5,-5)$", "through $([NUMBER],[NUMBER])$")
    assert restatements(trace, once.replace("point $(2,0)$", "point $([NUMBER],0)$")) == []


def test_a_coincidental_small_integer_elsewhere_stays():
    q = "Ann buys 3 apples at $2 each and walks for 3 hours. How much does she pay?"
    trace = "She pays 3*2 = <<3*2=6>>6 dollars for the apples.\nShe walks for 3 hours on the way.\n#### 6"
    masked = trace.replace("3*2 = <<3*2=6>>6", "[NUMBER]*2 = <<[NUMBER]*2=[NUMBER]>>[NUMBER]")
    masked = masked.replace("#### 6", "#### [NUMBER]")
    # another sentence, another unit, other neighbours: the same small value, not the same quantity
    assert restatements(trace, masked) == []
    r = mask_text("math", trace, question=q, answer="6")
    assert "walks for 3 hours" in r.text and "restated" not in r.repairs


def test_distinctive_and_common_values():
    trace = "The tank holds 1.25 liters.\n\nLater we pour out 1.25 liters and 100 grams; 100 grams remain."
    masked = trace.replace("holds 1.25", "holds [NUMBER]").replace("and 100 grams", "and [NUMBER] grams")
    # 1.25 is distinctive anywhere; 100 is common, but its unit word is the same
    assert restatements(trace, masked) == ["1.25", "100"]
    other = trace.replace("; 100 grams remain", ". Then 100 people remain")
    masked2 = other.replace("holds 1.25", "holds [NUMBER]").replace("and 100 grams", "and [NUMBER] grams")
    assert restatements(other, masked2) == ["1.25"]


def test_a_masked_text_that_does_not_align_is_not_judged():
    trace = "So 12+30 = 42 and 42 is the total."
    assert align(trace, "So [NUMBER]+30 = 42 and 42 is the total.") is not None
    assert align(trace, "So [NUMBER]+31 = 42 and 42 is the total.") is None
    assert restated(trace, "Something else [NUMBER] entirely") == []
    # a blank never ends inside a number: 3.5 hidden whole, not as 3 then .5
    al = align("x = 3.5 and y = .5", "x = [NUMBER].5 and y = .5")
    assert al is None or al.hidden != [(4, 5)]


def test_latex_commands_are_no_unit_or_neighbour():
    trace = "We get $2\\cdot 3=6$.\n\nSo $2\\cdot 4=8$ in all."
    masked = "We get $[NUMBER]\\cdot 3=[NUMBER]$.\n\nSo $2\\cdot 4=[NUMBER]$ in all."
    assert restatements(trace, masked) == []  # "\\cdot" after both is neither a unit word nor a neighbour


def test_the_same_expression_around_a_hidden_value():
    # the hidden 2 of "3(1 + [NUMBER] + 3 + 0)" is the visible 2 of "1 + 2 + 3 + 0": the same expression
    trace = (
        "Grouping residues: $1 + 2 + 3 + 0 + 1 + 2 + 3 + 0 \\equiv 3(1 + 2 + 3 + 0)$\n"
        "$\\equiv 18 \\equiv \\boxed{2} \\pmod{4}$."
    )
    masked = (
        trace.replace("3(1 + 2 +", "3(1 + [NUMBER] +").replace("{2}", "{[NUMBER]}").replace("18", "[NUMBER]")
    )
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["2", "2"]
    assert all("the same expression around both" in f.detail for f in found)
    # the masker hides every copy, not one: no blank is singled out among visible equal values
    q = "Find the remainder of $1+2+3+4+5+6+7+8$ modulo 4."
    r = mask_text("math", trace, question=q, answer="2")
    assert r.leak is None and r.level == "critical"
    assert "1 + [NUMBER] + 3 + 0 + 1 + [NUMBER] + 3 + 0" in r.text and "3(1 + [NUMBER] + 3 + 0)" in r.text


def test_another_expression_around_the_same_value_stays():
    # 2 in "x + 2 = 5" and in "y - 2 > 0" (each line its own sentence): both sides hold an operator, but
    # not the same characters; a command ("\\cdot 2") is no expression context
    trace = (
        "First $x + 2 = 5$, so $x = 3$.\nThen $y - 2 > 0$.\nAlso $a \\cdot 2 + 3 = 7$.\nSo $12 + 3 = 15$.\n"
        "And $b \\cdot 2 + 3 = 8$."  # another expression (``a \\cdot 2 + 3`` again would be the same one)
    )
    masked = trace.replace("x + 2 = 5", "x + [NUMBER] = 5").replace("x = 3", "x = [NUMBER]")
    assert restatements(trace, masked) == []
    masked = trace.replace("a \\cdot 2 + 3 = 7", "a \\cdot [NUMBER] + 3 = [NUMBER]")
    assert restatements(trace, masked) == []
    # the same line without the command does restate it
    plain = trace.replace("\\cdot ", "+ ").replace("$b + 2", "$a + 2")
    masked = plain.replace("a + 2 + 3 = 7", "a + [NUMBER] + 3 = [NUMBER]")
    assert restatements(plain, masked) == ["2"]


ROTATION_Q = (
    "A $90^\\circ$ rotation around $-4 - 5i$ in the clockwise direction is applied to $3$ (as a complex "
    "number).  What is the resulting complex number?"
)
ROTATION = (  # MATH-500 test/precalculus/1291.json, without its figure
    "A $90^\\circ$ rotation in the clockwise direction corresponds to multiplication by "
    "$\\operatorname{cis} (-90^\\circ) = -i.$\n\n"
    "Let $z$ be the image of $3$ under the rotation.  Since center of the rotation is $-4 - 5i,$\n"
    "\\[z - (-4 - 5i) = (-i)(3 - (-4 - 5i)).\\]Solving, we find $z = \\boxed{1 - 12i}.$"
)


def test_the_same_expression_up_to_its_brackets():
    # the blank of "z - (-4 - [NUMBER]i)" is the 5 of "(-4 - 5i)" on the same line: both read "-4-#i"
    masked = ROTATION.replace("z - (-4 - 5i)", "z - (-4 - [NUMBER]i)").replace("1 - 12i", "[EXPR]")
    found = restated(ROTATION, masked, ROTATION_Q)
    assert [masked[f.start : f.end] for f in found] == ["5"]  # the equation's own copy
    assert masked[found[0].start - 15 : found[0].end + 1] == "(-i)(3 - (-4 - 5i"
    assert "up to its brackets or relations" in found[0].detail
    # the prose line before writes the question's center: no restatement with the question known, one without
    assert len(restated(ROTATION, masked)) == 2
    # the masker hides the copies on the blank's line; the expression the question writes stays where it
    # stands apart (the prose line before), and nothing else of the plan goes
    r = mask_text("math", ROTATION, question=ROTATION_Q, answer="1 - 12i")
    assert r.leak is None and r.level == "critical"
    assert "(-4 - [NUMBER]i) = (-i)(3 - (-4 - [NUMBER]i))" in r.text
    assert "Since center of the rotation is $-4 - 5i,$" in r.text
    assert restated(ROTATION, r.text, ROTATION_Q) == []
    plan = ROTATION.replace("1 - 12i", "")  # the answer goes whole, operator and all
    assert r.text.count("(") == plan.count("(") and r.text.count("-") == plan.count("-")


def test_a_sum_restated_up_to_a_relation():
    # "x^4 + z^4 + [NUMBER]" in a denominator, "x^4 + z^4 + 6 \\ge" on the line before: both "x^4+z^4+#"
    trace = (
        "Adding, $x^4 + z^4 + 6 \\ge 4(x + z),$ which implies\n"
        "\\[\\frac{x + z}{x^4 + z^4 + 6} \\le \\frac{1}{4}.\\]"
    )
    masked = trace.replace("z^4 + 6}", "z^4 + [NUMBER]}").replace("\\frac{1}{4}", "[EXPR]")
    assert restatements(trace, masked) == ["6"]


def test_what_says_nothing_of_an_expression():
    # a degree sign, a lone exponent or a fraction's bare numerator is no expression around a value
    trace = (
        "The angles sum to $360^\\circ$.\nSo $6^{3} = 216$.\nThen $\\frac{3}{4}$ of it.\n"
        "In all $360^\\circ$, $6^{3} < 999$ and $\\frac{3}{5}$."
    )
    masked = (
        trace.replace("sum to $360", "sum to $[NUMBER]")
        .replace("So $6^{3}", "So $[NUMBER]^{3}")
        .replace("\\frac{3}{4}", "\\frac{[NUMBER]}{4}")
    )
    assert restatements(trace, masked) == []


def test_an_expression_the_question_writes_stays_on_another_line():
    q = "Find the greatest value of $\\gcd(n + 7, 2n + 1)$."
    trace = (
        "Let $d = \\gcd(n + 7, 2n + 1)$.\n"
        "Then $d$ divides $2(n + 7) - (2n + 1) = 13$, so $d$ is at most $\\boxed{13}$."
    )
    masked = trace.replace("2(n + 7) - (2n + 1) = 13", "[NUMBER](n + 7) - ([NUMBER]n + 1) = [NUMBER]")
    masked = masked.replace("{13}", "{[NUMBER]}")
    # the question's "2n + 1" copied on the line before: the policy reads it in the question anyway
    assert [f for f in restated(trace, masked, q) if "brackets" in f.detail] == []
    # without the question it is a restatement like any other
    assert "2" in restatements(trace, masked)


MARBLES_Q = (
    "I have a bag with yellow and blue marbles in it. At the moment, the ratio of blue marbles to yellow "
    "marbles is 4:3. If I add 5 blue marbles and remove 3 yellow marbles, the ratio will be 7:3. How many "
    "blue marbles were in the bag before I added more?"
)
MARBLES = (  # MATH-500 test/algebra/694.json
    "Let $x$ be the number of blue marbles and $y$ the number of yellow marbles before I added more. We are "
    "given that the ratio of blue to yellow is 4:3, so $\\dfrac{x}{y}=\\dfrac{4}{3}$. Additionally, after we "
    "add blue marbles and remove yellow marbles the total number of blue marbles and yellow marbles will be "
    "x+5 and y-3 respectively. We're given that at this point the ratio will be $7:3$, so "
    "$\\dfrac{x+5}{y-3}=\\dfrac{7}{3}$. Cross multiplying the first equation gives $3x=4y$ and cross "
    "multiplying the second gives $3(x+5)=7(y-3)$. Solving two linear equations on two variables is "
    "routine; we get the solution $y=12$, $x=16$. Since $x$ represents the number of blue marbles before "
    "more were added, the answer to the problem is just $\\boxed{16}$."
)


def test_a_ratio_restates_the_fraction_its_sentence_hides():
    masked = MARBLES.replace("\\dfrac{4}{3}$", "[EXPR]$").replace("\\dfrac{7}{3}$", "[EXPR]$")
    found = restated(MARBLES, masked)
    assert sorted(masked[f.start : f.end] for f in found) == ["4:3", "7:3"]
    # a ratio in another sentence than the hidden fraction, or of another value: no restatement
    other = MARBLES.replace("is 4:3, so", "is 4:3. So").replace("ratio will be $7:3$", "ratio will be $7:2$")
    assert (
        restated(other, other.replace("\\dfrac{4}{3}$", "[EXPR]$").replace("\\dfrac{7}{3}$", "[EXPR]$")) == []
    )
    # the masker cuts the ratios too: nothing gives x back
    r = mask_example(Example("marbles", "math", MARBLES_Q, MARBLES, "16"), level="critical")
    assert r.leak is None and r.level == "critical"
    assert "4:3" not in r.text and "7:3" not in r.text and "x+5 and y-" in r.text
    # a cut's copy in the prose before ("y-3" beside "\\dfrac{x+5}{y-[NUMBER]}") is hidden with it
    assert not restatements(MARBLES, r.text)


AMGM_Q = (
    "Let $a,$ $b,$ $c,$ $d$ be positive real numbers.  Find the minimum value of\n"
    "\\[(a + b + c + d) \\left( \\frac{1}{a} + \\frac{1}{b} + \\frac{1}{c} + \\frac{1}{d} \\right).\\]"
)
AMGM = (
    "By AM-GM,\n\\[a + b + c + d \\ge 4 \\sqrt[4]{abcd},\\]and\n"
    "\\[\\frac{1}{a} + \\frac{1}{b} + \\frac{1}{c} + \\frac{1}{d} \\ge 4 \\sqrt[4]{\\frac{1}{abcd}},\\]so\n"
    "\\[(a + b + c + d) \\left( \\frac{1}{a} + \\frac{1}{b} + \\frac{1}{c} + \\frac{1}{d} \\right) \\ge "
    "4 \\sqrt[4]{abcd} \\cdot 4 \\sqrt[4]{\\frac{1}{abcd}} = 16.\\]Equality occurs when $a = b = c = d,$ so "
    "the minimum value is $\\boxed{16}.$"
)


def test_a_root_degree_restates_the_hidden_am_gm_coefficient():
    # blind round 9 (MATH-500 intermediate_algebra/1300): "[NUMBER] \sqrt[4]{abcd}" gave the 4 back, so 4*4
    masked = AMGM.replace("4 \\sqrt", "[NUMBER] \\sqrt").replace("16", "[NUMBER]")
    assert restatements(AMGM, masked) == ["4"] * 4
    assert not restatements(AMGM, masked.replace("\\sqrt[4]", "\\sqrt[[NUMBER]]"))
    # a degree unlike the coefficient (2\sqrt[3]{x}) states nothing about it
    assert not restatements("So $y \\ge 2 \\sqrt[3]{x}$.", "So $y \\ge [NUMBER] \\sqrt[3]{x}$.")
    r = mask_text("math", AMGM, question=AMGM_Q, answer="16")
    assert r.leak is None and r.level == "critical"
    assert "\\ge [NUMBER] \\sqrt[[NUMBER]]{abcd}" in r.text and "4" not in r.text, r.text
    assert "\\frac{1}{a}" in r.text  # the plan's terms stay


def test_the_base_of_a_factorial_restated_by_another_factorial():
    # MATH-500 test/counting_and_probability/159.json: "[NUMBER]!" in the product, "$5!$ ways" in the prose
    trace = (
        "Either way, there are $5!$ ways to put the Democrats in their seats, and $5!$ ways to put the "
        "Republicans in their seats. So, the total is $2\\cdot5!\\cdot5!=2\\cdot120\\cdot120=\\boxed{28800}$."
    )
    masked = trace.replace(
        "$2\\cdot5!\\cdot5!=2\\cdot120\\cdot120=\\boxed{28800}$",
        "$[NUMBER]\\cdot[NUMBER]!\\cdot5!=2\\cdot[NUMBER]\\cdot[NUMBER]=\\boxed{[NUMBER]}$",
    )
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["5", "5", "5"]
    assert all("the same factorial" in f.detail for f in found)
    # factorials of another number in the prose restate nothing; the product's own visible 5! still does
    assert restatements(
        trace.replace("$5!$ ways", "$4!$ ways"), masked.replace("$5!$ ways", "$4!$ ways")
    ) == ["5"]


def test_an_environment_markup_is_no_part_of_the_expression():
    # MATH-500 test/precalculus/145.json: "\begin{pmatrix} [NUMBER]b + 2c" beside "5b + 2c &= 90"
    trace = (
        "so\n\\[\\begin{pmatrix} 5b + 2c \\\\ -5a - c \\end{pmatrix} = \\begin{pmatrix} 90 \\\\ 30 "
        "\\end{pmatrix}.\\]Comparing the components, we get\n"
        "\\begin{align*}\n5b + 2c &= 90, \\\\\n-5a - c &= 30.\n\\end{align*}"
    )
    masked = trace.replace("\\begin{pmatrix} 5b", "\\begin{pmatrix} [NUMBER]b", 1)
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["5"]
    assert masked[found[0].start : found[0].end + 8] == "5b + 2c &"  # the align's copy


def test_an_expression_inside_a_longer_one_of_the_question_is_no_copy_of_it():
    trace = "We factor: $(x+7)(x-2) = 0$ so $x = 2$.\nCheck $(x+7)(x-2)$ at the root."
    masked = "We factor: $(x+7)(x-[NUMBER]) = 0$ so $x = [NUMBER]$.\nCheck $(x+7)(x-2)$ at the root."
    # "x-2" stands inside the question's "(x-21)": the question does not write it, the copy restates the blank
    found = restated(trace, masked, "Solve $(x+7)(x-21)+3 = 0$ for the root.")
    assert [masked[f.start : f.end] for f in found] == ["2"]
    assert restated(trace, masked, "Solve $(x+7)(x-2) = 0$ for the root.") == []


def test_a_value_after_the_same_noun_and_of():
    # round 39's number_theory/515: "a multiple of 3" three times, then "a multiple of [NUMBER] is
    # [NUMBER]^3": the hidden 3 is the visible one (a noun and "of" say which quantity it is)
    q = "What is the smallest positive perfect cube that is the sum of three consecutive integers?"
    trace = (
        "The sum of three consecutive integers is $3k$, a multiple of 3. Conversely, every multiple of 3 is "
        "such a sum. The smallest positive perfect cube that is a multiple of 3 is $3^3=\\boxed{27}$."
    )
    masked = trace.replace(
        "a multiple of 3 is $3^3=\\boxed{27}", "a multiple of [NUMBER] is $[NUMBER]^3=\\boxed{[NUMBER]}"
    )
    found = restated(trace, masked, q)
    at = masked.index("every multiple of 3") + len("every multiple of ")
    assert any(f.start == at and "'multiple of'" in f.detail for f in found), found
    template = trace.replace(
        "a multiple of 3 is $3^3=\\boxed{27}",
        "a multiple of ⟦3|NUMBER⟧ is $⟦3|NUMBER⟧^3=\\boxed{⟦27|NUMBER⟧}",
    )
    assert "restated" in checker_leaks("noun_of", q, template, "27")
    # the masker hides the restatements too; "more of 3" or "sum of 3" with another value says nothing
    r = mask_text("math", trace, question=q, answer="27", level="critical")
    assert r.leak is None and "multiple of 3" not in r.text, r.text
    other = trace.replace("every multiple of 3", "every multiple of 5")
    assert not [f for f in restated(other, other.replace("of 5", "of [NUMBER]"), q) if "of'" in f.detail]
