"""Steps written in prose with unit words (issue 11, round 10's GSM8K rows of class (d)): "12
floors/building x 2 buildings = [NUMBER] floors" has no calculator note; its result, hidden, is the operand of
the next step, and a reader who computes it writes it into that step's blank. The lexer reads such a step as a
computation (so the masker cuts it at an operand), the equation reader reads it (so the attacks replay it), a
unit correspondence ("100 miles = 1 hour") stays no computation, a note's link to the value after it computes
nothing of its own, and an expression restated after a hidden value ("[NUMBER]/12 + 3/12" beside "4/12 +
3/12") restates it. Each trace is built here."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math._lexer import scan_cached
from smepo_data.math._restated import restated
from smepo_data.math.attacks import attacks

ORCHARD_Q = (
    "An orchard has 3 fields with 15 rows each. Every row holds 8 trees, and each tree gives 9 baskets of "
    "apples. How many baskets does the orchard give?"
)
ORCHARD = (
    "The orchard has 15 rows/field x 3 fields = 45 rows\n"
    "It holds 8 trees/row x 45 rows = <<8*45=360>>360 trees\n"
    "It gives 9 baskets/tree x 360 trees = <<9*360=3240>>3240 baskets\n"
    "#### 3240"
)


def results(text: str) -> dict[str, str]:
    """Each result the lexer reads: its text and its operands' text."""
    return {
        text[a.start : a.end]: text[a.operands[0] : a.operands[1]].strip()
        for a in scan_cached(text).atoms
        if a.result and a.operands[0] >= 0
    }


def test_a_computation_with_unit_words_is_a_result_with_its_operands():
    assert results(ORCHARD)["45"] == "15 rows/field x 3 fields"
    text = "First find the cups: 24 ounces per jug / 8 ounces/cup = 3 cups per jug"
    assert results(text) == {"3": "24 ounces per jug / 8 ounces/cup"}
    assert results("She earns 12 dollars - 5 dollars = 7 dollars.") == {"7": "12 dollars - 5 dollars"}


def test_a_unit_in_text_mode_after_a_value_is_no_variable():
    # "(5\\text{ cm})(3\\text{ cm})=15": the 15 is computed (hidden as a result, not kept as a question copy)
    text = "$(5\\text{ cm})(3\\text{ cm})=15\\text{ cm}^2$"
    assert list(results(text)) == ["15"] and results(text)["15"].endswith("(5\\text{ cm})(3\\text{ cm})")
    assert (
        results("$\\frac{1}{2}(3\\mbox{ in})(9\\mbox{ in}-5\\mbox{ in})=6\\mbox{ in}^2$")["6"]
        .lstrip("$")
        .startswith("\\frac")
    )
    assert results("$x\\text{ cm}=15$") == {} and results("$5\\text{ cm}=15$") == {}  # a letter; no operator


def test_units_without_an_operator_and_prose_between_values_are_no_computation():
    assert results("If 100 miles = 1 hour, then 300 miles = 3 hours.") == {}
    # "apples and" is prose, not the 5's unit: the computation starts at the 3
    assert results("She has 5 apples and 3 + 2 = 5 pears.") == {"5": "3 + 2"}


def test_the_equation_reader_reads_a_step_with_unit_words():
    masked = "The orchard has 15 rows/field x 3 fields = [NUMBER] rows"
    (eq,) = read_equations(masked).equations
    assert masked[eq.start : eq.end] == "15 rows/field x 3 fields = [NUMBER]"
    assert read_equations("If 100 miles = 1 hour, then 300 miles =x.").equations == []


def test_a_prose_step_replays_into_the_next_steps_blank():
    masked = (
        "The orchard has 15 rows/field x 3 fields = [NUMBER] rows\n"
        "It holds 8 trees/row x [NUMBER] rows = <<8*[NUMBER]=[NUMBER]>>[NUMBER] trees\n"
        "It gives 9 baskets/tree x [NUMBER] trees = <<9*[NUMBER]=[NUMBER]>>[NUMBER] baskets\n"
        "#### [NUMBER]"
    )
    assert {f.attack for f in attacks(ORCHARD_Q, masked, "3240")} == {"replay"}
    cut = masked.replace("15 rows/field", "[NUMBER] rows/field")
    assert attacks(ORCHARD_Q, cut, "3240") == []


def test_a_chain_of_notes_replays_through_each_notes_link():
    # "<<8*[N]=[N]>>[N]": the note's value and the value after it are one link, no computation; the reader
    # writes 45 into the note's operand, not into its link
    masked = (
        "The orchard has <<15*3=[NUMBER]>>[NUMBER] rows\n"
        "It holds <<8*[NUMBER]=[NUMBER]>>[NUMBER] trees\n"
        "It gives <<9*[NUMBER]=[NUMBER]>>[NUMBER] baskets\n"
        "#### [NUMBER]"
    )
    assert {f.attack for f in attacks(ORCHARD_Q, masked, "3240")} == {"replay"}


def test_the_masker_cuts_a_prose_step_at_an_operand():
    r = mask_text("math", ORCHARD, question=ORCHARD_Q, answer="3240")
    assert r.leak is None and r.level == "critical"
    first = r.text.splitlines()[0]
    assert first.count("[NUMBER]") == 2, first  # an operand and the result
    assert "rows/field x" in first and "fields = [NUMBER] rows" in first
    assert attacks(ORCHARD_Q, r.text, "3240") == []


SHAMPOO_Q = "She uses 1/3 of a bottle on Monday and 1/4 on Tuesday. What fraction has she used?"
SHAMPOO = (
    "Give both the same denominator: 1/3 + 1/4 = 4/12 + 3/12\n"
    "Then she has used 4/12 + 3/12 = 7/12 of a bottle.\n"
    "#### 7/12"
)


def test_an_expression_restated_after_a_hidden_value_restates_it():
    masked = SHAMPOO.replace("used 4/12", "used [NUMBER]/12").replace("= 7/12", "= [NUMBER]/12")
    masked = masked.replace("#### 7/12", "#### [EXPR]")
    found = {(f.start, masked[f.start : f.end]) for f in restated(SHAMPOO, masked)}
    assert (masked.index("4/12"), "4") in found
    # an expression that only ends alike ("/12") is no restatement
    short = (
        "Give both the same denominator: 1/3 = 4/12\nThen she has used [NUMBER]/12 of a bottle.\n#### [EXPR]"
    )
    short_trace = "Give both the same denominator: 1/3 = 4/12\nThen she has used 4/12 of a bottle.\n#### 7/12"
    assert restated(short_trace, short) == []


def test_a_spaced_x_before_a_named_quantity_is_a_multiplication():
    # "3 x Y = 15 x 8": a reader solves Y = 40; read as 3*x*Y it had two unknowns and fixed nothing
    question = "Peter rakes 3 bags in 15 minutes. How many minutes does he take for 8 bags?"
    masked = "Call the time Y. Cross-multiply: 3 x Y = 15 x 8 or 3Y = [NUMBER].\n#### [NUMBER]"
    assert "constraints" in {f.attack for f in attacks(question, masked, "40")}
    cut = masked.replace("15 x 8", "[NUMBER] x 8")
    assert attacks(question, cut, "40") == []


def test_a_minus_after_a_values_unit_word_is_an_operator_not_a_sign():
    # "1 full tank -1/3 tank": the minus takes 1/3 from the full tank; read as a sign, a cut of the 1
    # hid it too ("tank [NUMBER]/3 tank") and the subtraction was lost
    text = "The tank is 1/3 full. So 1 full tank -1/3 tank = 2/3 of the tank is empty."
    values = [a.values[0] for a in scan_cached(text).atoms]
    assert -1 not in values and values.count(1) == 3


def test_a_contraction_before_a_computation_is_prose_not_a_variable():
    # "so that's 40*.30 = $12.00": the "s" of "that's" read as a variable made the step an equation in
    # variables (no result, no cut), and between currency "$"s the reader took it as a factor
    text = "The pack costs $40.00 and shipping is 30% more, so that’s 40*.30 = $12.00\n#### 12"
    assert results(text) == {"12.00": "40*.30"}
    question = "A pack costs $40.00 and shipping adds 30%. The pack is split in 4. What is each share?"
    masked = (
        "The pack costs $40.00 and shipping is 30% more, so that's 40*.30 = $[NUMBER]\n"
        "With shipping that is 40+[NUMBER] = $<<40+[NUMBER]=[NUMBER]>>[NUMBER]\n"
        "Each share costs [NUMBER]/4 = $<<[NUMBER]/4=[NUMBER]>>[NUMBER]\n#### [NUMBER]"
    )
    assert {f.attack for f in attacks(question, masked, "13")} == {"replay"}


def test_a_value_the_step_writes_itself_is_not_carried_into_its_blank():
    # "[N]+3" right after "6/2=3": a reader carries the 22 computed before, not the 3 the step shows;
    # carrying the 3 made the natural reading 6 and the chain lost
    question = "Britney has twice 11 hens and half of 6 ducks. Susie has 11 hens and 6 ducks. How many more?"
    masked = (
        "Britney has 11*2=<<11*2=[NUMBER]>>[NUMBER] hens.\nShe has 6/2=<<6/2=3>>3 ducks.\n"
        "She has [NUMBER]+3=<<[NUMBER]+3=[NUMBER]>>[NUMBER] total.\nSusie has 11+6=<<11+6=17>>17 total.\n"
        "Britney has [NUMBER]-17=<<[NUMBER]-17=[NUMBER]>>[NUMBER] more.\n#### [NUMBER]"
    )
    assert {f.attack for f in attacks(question, masked, "8")} == {"replay"}


def test_an_en_dash_between_values_is_a_minus():
    text = "It must have driven 23 total meters – 13 calculated meters = 10 meters after the turn."
    assert results(text) == {"10": "23 total meters – 13 calculated meters"}
    assert results("He gets 8 pounds of oats/day x 3 days = 24 pounds") == {
        "24": "8 pounds of oats/day x 3 days"
    }


def test_an_article_between_currency_signs_is_no_variable():
    # "$<<...>>[NUMBER] a week": between a GSM8K trace's "$"s, "a" read as a factor of the step
    masked = (
        "So he earns 15*16=$<<15*16=240>>240\n"
        "So he earns [NUMBER]+240=$<<[NUMBER]+240=[NUMBER]>>[NUMBER] a week"
    )
    unknowns = set().union(*(e.unknowns for e in read_equations(masked).equations))
    assert not any(u.startswith("v:") for u in unknowns)
