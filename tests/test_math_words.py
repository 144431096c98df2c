"""A step written twice (words and calculator note) hides alike even when the note adds constants; a number
word that states a hidden value is a restatement; standard constants (the .01 of a percent, 12 a dozen, coin
values, wheels) are no values of the problem and a dozen after a count is a unit, not the value 12."""

from __future__ import annotations

from smepo_data import Example, mask_example, mask_text
from smepo_data.math._notes import note_twins
from smepo_data.math._rational import Fraction
from smepo_data.math._restated import restated
from smepo_data.math._words import number_words, standard_constants
from smepo_data.math.attacks import attacks

from .test_recover_check import checker_leaks

TIP_Q = "Mark tips his server 20% on a $200 check. His friend adds $10. How much should Mark add?"
TIP = (
    "First find the total tip amount: 20% * $200 = $<<20*.01*200=40>>40\n"
    "Then subtract the friend's contribution: $40 - $10 = $<<40-10=30>>30\n"
    "#### 30"
)


def test_words_and_note_align_by_value_when_the_note_adds_a_constant():
    pairs = [(TIP[a.start : a.end], TIP[b.start : b.end]) for a, b in note_twins(TIP)]
    assert pairs[:2] == [("20", "20"), ("200", "200")]  # the note's .01 has no twin in the words
    # a count written in the words before a unit word, and a dozen's 12 both copies show
    eggs = "She buys 5 dozen eggs, so 5*12=<<5*12=60>>60 eggs.\n#### 60"
    assert [(eggs[a.start : a.end], b.start > eggs.index("<<")) for a, b in note_twins(eggs)] == [
        ("5", True),
        ("12", True),
    ]


def test_a_percent_hides_alike_in_both_copies_and_keeps_its_constant():
    r = mask_text("math", TIP, question=TIP_Q, answer="30")
    assert r.leak is None and r.level == "critical"
    first = r.text.splitlines()[0]
    assert first.endswith("[NUMBER]% * $200 = $<<[NUMBER]*.01*200=[NUMBER]>>[NUMBER]")
    assert not restated(TIP, r.text)


def test_the_audit_finds_an_operand_hidden_in_one_copy_only():
    masked = (
        "First find the total tip amount: [NUMBER]% * $200 = $<<20*[NUMBER]*200=[NUMBER]>>[NUMBER]\n"
        "Then subtract the friend's contribution: $[NUMBER] - $10 = $<<[NUMBER]-10=[NUMBER]>>[NUMBER]\n"
        "#### [NUMBER]"
    )
    found = restated(TIP, masked)
    assert [masked[f.start : f.end] for f in found] == ["20"]
    assert "other copy" in found[0].detail
    assert "restated" in {f.attack for f in attacks(TIP_Q, masked, "30", TIP)}


AGE_Q = "Eli is nine years older than Freyja. If Freyja is ten years old, how old will Eli be in 4 years?"
AGE = (
    "Since Freyja is ten years old, Eli is 10+9 = <<10+9=19>>19 years old.\n"
    "In 4 years he will be 19+4 = <<19+4=23>>23 years old.\n"
    "#### 23"
)


def test_a_number_word_restating_a_hidden_value_is_found():
    masked = (
        "Since Freyja is ten years old, Eli is [NUMBER]+9 = <<[NUMBER]+9=[NUMBER]>>[NUMBER] years old.\n"
        "In 4 years he will be [NUMBER]+4 = <<[NUMBER]+4=[NUMBER]>>[NUMBER] years old.\n"
        "#### [NUMBER]"
    )
    found = restated(AGE, masked)
    assert [masked[f.start : f.end] for f in found] == ["ten"]
    assert "in words" in found[0].detail


def test_a_display_belongs_to_the_sentence_that_introduces_it():
    # "from the nine grid points is \\[ \\binom{9}{3} ... \\]": the line breaks around a display end no
    # sentence, so "nine" and the hidden 9 stand in one sentence
    trace = (
        "The sets that can be chosen from the nine points are \\[\n\\binom{9}{3} = 84.\n\\]"
        "So the answer is $\\boxed{84}$."
    )
    masked = trace.replace("{9}", "{[NUMBER]}").replace("84", "[NUMBER]")
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["nine"]
    assert "the same sentence" in found[0].detail
    # after a real line break the word is in another sentence: it still states the 9 hidden on its own
    other = restated(trace.replace("\\[\n", "\n"), masked.replace("\\[\n", "\n"))
    assert [f.detail for f in other] == [
        "'nine' restates a hidden value in words (a cardinal states a value "
        "hidden on its own, in any sentence)"
    ]


def test_the_masker_cuts_at_a_value_no_word_states():
    r = mask_text("math", AGE, question=AGE_Q, answer="23")
    assert r.leak is None and r.level == "critical"
    assert "Since Freyja is ten years old, Eli is 10+[NUMBER] = <<10+[NUMBER]=" in r.text
    assert not restated(AGE, r.text)


def test_a_cut_leaves_no_word_restating_what_it_hid():
    q = "Ann has 3 boxes of 7 pens. How many pens does she have?"
    trace = "Ann has three boxes of 7 pens, so 3*7 = <<3*7=21>>21 pens.\n#### 21"
    r = mask_text("math", trace, question=q, answer="21")
    assert r.leak is None
    assert not restated(trace, r.text)  # whichever operand the cut took, no word gives it back
    assert "[NUMBER] pens, so 3*[NUMBER]" in r.text  # the 7 goes: "three" states the 3
    assert r.text.count("pens") == trace.count("pens") and "three boxes of" in r.text


def test_words_of_the_plan_are_no_restatement():
    text = (
        "Step two: the first of them is 5. In the third case we have two equations, and one of them "
        "gives a double root. A two-digit number; twenty-five apples; a dozen eggs; four dozen."
    )
    words = {text[w.start : w.end]: w.values for w in number_words(text)}
    assert "two" in words  # the cardinal of "two equations" is a word (restating only by its unit word)
    assert "third" not in words and "double" not in words and "one" not in words
    assert text.count("two") == 3 and list(words).count("two") == 1  # not "Step two", not "two-digit"
    assert words["twenty-five"] == (25,) and words["a dozen"] == (12,) and 48 in words["four"]
    # a hidden 2 with "two equations" in its sentence is no restatement (only the unit word makes one)
    trace = "We have two equations: adding them gives 2x = 8, so x = 4.\n#### 4"
    masked = "We have two equations: adding them gives [NUMBER]x = [NUMBER], so x = [NUMBER].\n#### [NUMBER]"
    assert not restated(trace, masked)


def test_standard_constants_stay_and_a_cut_prefers_another_operand():
    q = "Tom finds 10 quarters and 3 dimes. How much money, in dollars, did he find?"
    trace = (
        "He found 10*.25=$<<10*.25=2.5>>2.5 in quarters\n"
        "He found 3*.1=$<<3*.1=.3>>.3 in dimes\n"
        "So he found $2.5 + $0.3 = $<<2.5+0.3=2.8>>2.8\n"
        "#### 2.8"
    )
    r = mask_text("math", trace, question=q, answer="2.8")
    assert r.leak is None
    lines = r.text.splitlines()
    assert lines[0].startswith("He found [NUMBER]*.25=$<<[NUMBER]*.25=")
    assert lines[1].startswith("He found [NUMBER]*.1=$<<[NUMBER]*.1=")
    wheels = "Those 23 cars have 4 wheels each so 23*4 = <<23*4=92>>92 wheels"
    starts = standard_constants(wheels)
    assert [wheels[s] for s in sorted(starts)] == ["4", "4", "4"]
    # a computed value is no constant, nor a 7 of "7 weeks" (a count of weeks, no "week" word)
    assert not standard_constants("She works 7 weeks, 3+4 = <<3+4=7>>7 days")
    assert not standard_constants("He saved for 7 weeks and 2 days.")


def test_the_constants_of_area_and_volume_formulas_stay_and_the_cut_hides_a_given():
    # half of base times height, a third of a cone's prism, four thirds of a sphere's cube: the plan; the
    # last step is cut at a copy of the question's value instead, which the policy reads back
    q = "A triangle has a base of 14 m and a height of 9 m. What is its area, in square meters?"
    trace = "The area of the triangle is $\\frac{1}{2} \\cdot 14 \\cdot 9 = \\boxed{63}$."
    r = mask_text("math", trace, question=q, answer="63")
    assert r.leak is None
    assert "\\frac{1}{2} \\cdot" in r.text and "[NUMBER]" in r.text.split("=")[0]
    cone = "The volume of the cone is $\\frac{1}{3}\\pi r^2 h$, and of the sphere $\\frac{4}{3}\\pi r^3$."
    assert {cone[s : s + 11] for s in standard_constants(cone)} == {"\\frac{1}{3}", "\\frac{4}{3}"}
    # a half with no such figure in its sentence is a value of the problem
    assert not standard_constants("She eats $\\frac{1}{2}$ of the pie, and the rest is shared.")


def test_a_dozen_after_a_count_is_a_unit_not_the_answer():
    q = "Susan buys five dozen peaches and puts them into 5 equal bags. How many peaches are in each bag?"
    trace = "5 dozen peaches is 5*12=<<5*12=60>>60 peaches.\nSo each bag has 60/5 = <<60/5=12>>12.\n#### 12"
    r = mask_text("math", trace, question=q, answer="12")
    assert r.leak is None
    assert r.text.count("dozen") == 1  # the unit word stays; the 12s that equal the answer may go
    assert not any(f.attack == "equivalent_form" for f in attacks(q, "[NUMBER] dozen peaches", "12"))
    assert any(f.attack == "equivalent_form" for f in attacks(q, "She has a dozen peaches.", "12"))


ANGLES_Q = (  # its question, figure and all
    "In the diagram,"
    " $AD=BD=CD$ and $\\angle BCA = 40^\\circ.$ What is the measure of $\\angle BAC?$\n"
    "\n"
    "[asy]\n"
    "draw((0,0)--(10,0)--(8.2635,9.8481)--cycle,black+linewidth(1));\n"
    "draw((10,0)--(20,0)--(8.2635,9.8481),black+linewidth(1));\n"
    "draw((5,-0.5)--(5,0.5),black+linewidth(1));\n"
    "draw((15,-0.5)--(15,0.5),black+linewidth(1));\n"
    "draw((8.6318,4.8359)--(9.6317,5.0122),black+linewidth(1));\n"
    'label("$A$",(8.2635,9.8481),N);\n'
    'label("$B$",(0,0),SW);\n'
    'label("$C$",(20,0),SE);\n'
    'label("$D$",(10,0),S);\n'
    "[/asy]"
)
ANGLES = (  # MATH-500 test/geometry/846.json
    "Since $\\angle BCA = 40^\\circ$ and $\\triangle ADC$ is isosceles with $AD=DC,$ we know"
    " $\\angle DAC=\\angle ACD=40^\\circ.$\n"
    "\n"
    "Since the sum of the angles in a triangle is $180^\\circ,$ we have \\begin{align*}\n"
    "\\angle ADC &= 180^\\circ - \\angle DAC - \\angle ACD \\\\\n"
    "&= 180^\\circ - 40^\\circ - 40^\\circ \\\\\n"
    "&= 100^\\circ.\n"
    "\\end{align*}Since $\\angle ADB$ and $\\angle ADC$ are supplementary, we have "
    " \\begin{align*}\n"
    "\\angle ADB &= 180^\\circ - \\angle ADC \\\\\n"
    "&= 180^\\circ - 100^\\circ \\\\\n"
    "&= 80^\\circ.\n"
    "\\end{align*}Since $\\triangle ADB$ is isosceles with $AD=DB,$ we have $\\angle BAD = \\angle"
    " ABD.$ Thus, \\begin{align*}\n"
    "\\angle BAD &= \\frac{1}{2}(180^\\circ - \\angle ADB) \\\\\n"
    "&= \\frac{1}{2}(180^\\circ - 80^\\circ) \\\\\n"
    "&= \\frac{1}{2}(100^\\circ) \\\\\n"
    "&= 50^\\circ.\n"
    "\\end{align*}Therefore,  \\begin{align*}\n"
    "\\angle BAC &= \\angle BAD + \\angle DAC \\\\\n"
    "&= 50^\\circ+40^\\circ \\\\\n"
    "&= \\boxed{90^\\circ}.\n"
    "\\end{align*}"
)


def test_the_angles_of_geometry_are_standard_constants():
    # 180 of a triangle's sum, 90 and 360 in degrees: the plan, not values of the problem
    starts = standard_constants(ANGLES)
    assert {ANGLES[s : s + 3] for s in starts} == {"180"}
    assert not standard_constants("She has 180 apples and 90 pears.")  # no degrees: values


def test_named_angles_are_quantities_and_the_cut_leaves_the_names():
    # with the 180s visible, the named angles fix angle BAC = 90: the system attack reads \angle ADC as one
    # quantity, and the cut hides values (the question's 40 first), never an equation of names alone
    r = mask_example(Example("angles", "math", ANGLES_Q, ANGLES, "90^\\circ"), level="critical")
    assert r.leak is None and r.level == "critical"
    assert "system" in r.repairs
    assert "$\\angle DAC=\\angle ACD=[NUMBER]^\\circ.$" in r.text
    assert "\\angle BAC &= \\angle BAD + \\angle DAC" in r.text
    assert "is $180^\\circ,$" in r.text  # the standard constant of the plan stays


def test_ordinals_are_positions_of_the_plan():
    trace = (
        "Since there are $8$ counties, the median is the average of the counties with the $4^\\text{th}$ "
        "and the $5^{\\text{th}}$ most students, the 2nd list. Both have $29$ students, so it is "
        "$\\boxed{29}$."
    )
    q = "What was the median number of students in 2005 of the eight counties listed?"
    r = mask_example(Example("ord", "math", q, trace, "29"), level="critical")
    assert r.leak is None
    assert "$4^\\text{th}$" in r.text and "$5^{\\text{th}}$" in r.text and "2nd" in r.text
    assert "29" not in r.text
    # a calculator note's result written as an ordinal is a result: hidden like one, with its suffix (the
    # "th" of "[NUMBER]th" would tell the blank's last digit)
    trace = "He climbs 1 + 5 = <<1+5=6>>6th floor after the 3rd stop.\n#### 6"
    r = mask_example(Example("floor", "math", "He starts on floor 1 and climbs 5 floors.", trace, "6"))
    assert r.leak is None and ">>[NUMBER] floor" in r.text and "3rd stop" in r.text, r.text


NONAGON_Q = "A regular nonagon has side length 2. Each side gets a strip of width 1. How long are the strips?"
NONAGON = (
    "The outside splits into 9 rectangles and 9 sectors. The boundary is made of nine lines and nine arcs, "
    "and we tackle the three given equations below.\n"
    "Each line is 2 long, so the lines have length $2\\cdot 9 = 18$. So the answer is $\\boxed{18}$."
)


def test_a_cardinal_restates_a_value_hidden_on_its_own_in_another_sentence():
    # the digits are hidden in one sentence, the words a sentence later: the words give the 9 back; "three"
    # counts the plan's equations (no value of the problem), "two" is the plan's word far more often
    masked = NONAGON.replace(" 9 ", " [NUMBER] ").replace("\\cdot 9", "\\cdot [NUMBER]")
    masked = masked.replace("18", "[NUMBER]")
    found = restated(NONAGON, masked)
    assert [masked[f.start : f.end] for f in found] == ["nine", "nine"]
    # a word the question writes restates the question, which the policy reads anyway
    assert not restated(NONAGON, masked, "Nine rectangles and nine sectors ring a nonagon of side 2.")
    assert not restated(NONAGON, masked, "A ring of 9 rectangles and 9 sectors has sides 2 and 1.")
    assert len(restated(NONAGON, masked, "A ring of 19 rectangles or 9.5 sectors has sides 2 and 1.")) == 2
    # a 9 hidden inside an expression (not on its own) is not compared
    inside = NONAGON.replace("2\\cdot 9 = 18", "[EXPR] = [NUMBER]").replace("18}", "[NUMBER]}")
    assert not [f for f in restated(NONAGON, inside) if "nine" in inside[f.start : f.end]]


def test_the_masker_hides_a_cardinal_that_restates_a_hidden_value():
    r = mask_text("math", NONAGON, question=NONAGON_Q, answer="18")
    assert r.leak is None
    assert not restated(NONAGON, r.text)
    if "[NUMBER] rectangles" in r.text:
        assert "nine lines" not in r.text and "nine arcs" not in r.text
    assert "the three given equations" in r.text


def test_letters_re_reads_as_ascii_do_not_break_the_word_tables():
    # case-insensitive re matches the long s, the Kelvin sign and the dotless i as ASCII letters, which
    # str.lower keeps: "ſix" was found as a number word, then looked up as "ſix" (KeyError, the row crashed)
    found = number_words("ſix cats, a thırd of ſeventy-ſix, the ſixth, \u212aILO")
    assert [(w.values[0], w.kind) for w in found] == [
        (Fraction(6), "cardinal"),
        (Fraction(3), "fraction"),
        (Fraction(76), "cardinal"),
        (Fraction(6), "ordinal"),
    ]
    r = mask_text(
        "math", "He has ſix cats, so $6+3=9$. The answer is $\\boxed{9}$.", question="Pets?", answer="9"
    )
    assert r.leak is None


def test_a_multiplier_restates_a_factor_the_next_sentence_draws_on():
    """MATH-500 1622 (round 48): "... is twice as large as the perimeter of a triangle. Therefore, the
    perimeter of the hexagon is $[NUMBER](21\\text{ inches})$": the sentence that starts "Therefore" uses the
    factor the one before states. Built here in other numbers; the checker reads it with its own code."""
    trace = (
        "The square has four sides and the triangle three, so the fence of the square is twice as long as "
        "the side rule says. Therefore, the fence is $2(15\\text{ feet})=\\boxed{30}$ feet."
    )
    masked = trace.replace("$2(", "$[NUMBER](").replace("\\boxed{30}", "\\boxed{[NUMBER]}")
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["twice"], found
    assert "'Therefore' draws on" in found[0].detail
    # two sentences apart, or a next sentence that does not draw on it: no restatement
    apart = masked.replace("says. Therefore", "says. The rule is old. Therefore")
    assert restated(trace.replace("says. Therefore", "says. The rule is old. Therefore"), apart) == []
    other = masked.replace("Therefore, the", "The")
    assert restated(trace.replace("Therefore, the", "The"), other) == []
    template = masked.replace("[NUMBER](", "⟦2|NUMBER⟧(").replace("\\boxed{[NUMBER]}", "\\boxed{⟦30|NUMBER⟧}")
    assert "restated" in checker_leaks("therefore", "A fence ... 15 feet ...?", template, "30")
    assert "restated" not in checker_leaks(
        "therefore", "A fence ... 15 feet ...?", template.replace("Therefore, the", "The"), "30"
    )


def test_a_multiplier_restates_a_hidden_coefficient_the_next_sentence_takes():
    """MATH-500 291: "... is half of the odds that Alice wins ... . Thus, if $a$ is Alice's chance ..., then
    $a = [NUMBER]b.$": the coefficient is the 2 "half" states (a sentence end inside ``$...$`` counts)."""
    trace = (
        "Bob's chance on each turn is half of the chance that Ann has on hers. Thus, if $a$ is Ann's "
        "chance and $b$ is Bob's, then $a = 2b.$ Also $a + b = 1,$ so $a = \\boxed{\\frac{2}{3}}.$"
    )
    masked = trace.replace("a = 2b", "a = [NUMBER]b").replace("\\boxed{\\frac{2}{3}}", "\\boxed{[EXPR]}")
    found = restated(trace, masked)
    assert [masked[f.start : f.end] for f in found] == ["half"], found
    template = masked.replace("[NUMBER]b", "⟦2|NUMBER⟧b")
    template = template.replace("\\boxed{[EXPR]}", "\\boxed{⟦\\frac{2}{3}|EXPR⟧}")
    question = "Ann and Bob take turns ... What is the probability that Ann wins?"
    assert "restated" in checker_leaks("half", question, template, "\\frac{2}{3}")
    other = template.replace("Thus, if", "If")
    assert "restated" not in checker_leaks("half", question, other, "\\frac{2}{3}")


def test_the_therefore_rule_needs_each_of_its_conditions():
    trace = (
        "The square has four sides and the triangle three, so the fence of the square is twice as long as "
        "the side rule says. Therefore, the fence is $2(15\\text{ feet})=\\boxed{30}$ feet."
    )
    masked = trace.replace("$2(", "$[NUMBER](").replace("\\boxed{30}", "\\boxed{[NUMBER]}")
    assert restated(trace, masked)  # the case itself (see above)

    def none(t: str, m: str, question: str = "") -> None:
        assert restated(t, m, question) == [], m

    # two sentence ends, the second one the "Therefore"
    two = trace.replace("says. Therefore", "says. It is old. Therefore")
    none(two, masked.replace("says. Therefore", "says. It is old. Therefore"))
    # the "Therefore" sentence ends before the hidden value: the value stands in a sentence of its own
    ended = trace.replace("Therefore, the fence is $2(", "Therefore, the fence is long. It is $2(")
    ended_masked = masked.replace(
        "Therefore, the fence is $[NUMBER](", "Therefore, the fence is long. It is $[NUMBER]("
    )
    none(ended, ended_masked)
    template = ended_masked.replace("[NUMBER](", "⟦2|NUMBER⟧(").replace(
        "\\boxed{[NUMBER]}", "\\boxed{⟦30|NUMBER⟧}"
    )
    assert "restated" not in checker_leaks("ended", "A fence ... 15 feet ...?", template, "30")
    # the hidden value is no factor (a length on its own)
    lone = trace.replace("$2(15\\text{ feet})=\\boxed{30}$ feet", "$2$ feet long on each side")
    none(
        lone,
        masked.replace(
            "$[NUMBER](15\\text{ feet})=\\boxed{[NUMBER]}$ feet", "$[NUMBER]$ feet long on each side"
        ),
    )
    # the question writes the word, or its value: the trace's word restates the question
    none(trace, masked, "A fence is twice as long as a rule ...")
    none(trace, masked, "A fence of 2 parts ...")
