"""What a reader carries into a blank operand of a grade-school chain (issue 11, the `answer` level's
rows the independent checker replayed and the masker's replay missed): the latest result the trace hid,
not a value a step shows or an operand solved back from a step; two steps written alike ("[N]/2" on two
lines) as two values; currency signs that pair into no formula; a unit symbol of one letter. Each trace is
built here; each attack fires on it and stays quiet once the chain is cut."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._equations import read_equations
from smepo_data.math.attacks import attacks


def attack_names(question: str, masked: str, answer: str) -> set[str]:
    return {f.attack for f in attacks(question, masked, answer)}


# 5 x 3 = 15 is hidden; 9 - 4 = 5 and 5 x 2 = 10 are shown. A reader writes the hidden 15 (not the shown 5)
# into "[N] + 10" and the 25 that gives into "[N] x 4": 100.
HIDDEN_RESULT = (
    "The big boxes hold 5 x 3 = <<5*3=[NUMBER]>>[NUMBER] pens.\n"
    "Each small box holds 9 - 4 = <<9-4=5>>5 pens.\n"
    "The two small boxes hold 5 x 2 = <<5*2=10>>10 pens.\n"
    "One shelf holds [NUMBER] + 10 = <<[NUMBER]+10=[NUMBER]>>[NUMBER] pens.\n"
    "The four shelves hold [NUMBER] x 4 = <<[NUMBER]*4=[NUMBER]>>[NUMBER] pens.\n"
    "#### [NUMBER]"
)


def test_a_blank_operand_takes_the_latest_hidden_result_not_a_shown_value():
    assert "replay" in attack_names("How many pens?", HIDDEN_RESULT, "100")
    # the answer is no value of the chain: the same trace leaks nothing about 90
    assert attack_names("How many pens?", HIDDEN_RESULT, "90") == set()
    cut = HIDDEN_RESULT.replace("5 x 3 = <<5*3=", "[NUMBER] x 3 = <<[NUMBER]*3=")
    assert attack_names("How many pens?", cut, "100") == set()


# "[N]+6" is solved back to its operand (the hidden 14 of "17-3"), after the hidden 20 was carried into it;
# that operand is no new result: the next blank takes 20 + 6 = 26, and the last step gives 26 + 50 = 76.
SOLVED_BACK = (
    "Red: 11+13=<<11+13=24>>24 cards.\n"
    "Blue: 17-3=<<17-3=[NUMBER]>>[NUMBER] cards.\n"
    "Blue and green: [NUMBER]+6=<<[NUMBER]+6=[NUMBER]>>[NUMBER] cards.\n"
    "White: 12-2=<<12-2=10>>10 cards.\n"
    "All but red: [NUMBER]+10=<<[NUMBER]+10=[NUMBER]>>[NUMBER] cards.\n"
    "In all: [NUMBER]+24=<<[NUMBER]+24=[NUMBER]>>[NUMBER] cards.\n"
    "#### [NUMBER]"
)


def test_an_operand_solved_back_from_a_step_is_no_result_a_reader_carries_on():
    assert "replay" in attack_names("How many cards?", SOLVED_BACK, "54")  # 14+6=20, 20+10=30, 30+24=54
    cut = SOLVED_BACK.replace("17-3=<<17-3=", "[NUMBER]-3=<<[NUMBER]-3=")
    assert attack_names("How many cards?", cut, "54") == set()


# halving twice: the two steps are written alike, but they are two values (90/2 = 45, 45/2 = 22.5)
HALVED = (
    "In all 70+20=<<70+20=[NUMBER]>>[NUMBER] birds came.\n"
    "[NUMBER]/2=<<[NUMBER]/2=[NUMBER]>>[NUMBER] stayed after the first storm.\n"
    "[NUMBER]/2=<<[NUMBER]/2=[NUMBER]>>[NUMBER] stayed after the second storm.\n"
    "#### [NUMBER]"
)


def test_two_steps_written_alike_are_replayed_as_two_values():
    assert "replay" in attack_names("How many birds stayed?", HALVED, "22.5")
    cut = HALVED.replace("70+20=<<70+20=", "70+[NUMBER]=<<70+[NUMBER]=")
    assert attack_names("How many birds stayed?", cut, "22.5") == set()


# currency signs: "$800 * 20% = $<<" pairs no formula, so "$150 discount + $40 shipping" is a prose step
PRICES = (
    "The discount is $800 * 20% = $<<800*20*.01=160>>160.\n"
    "The first store asks $800 - $160 discount + $40 shipping = $[NUMBER].\n"
    "The second store asks $800 - $100 discount + $0 shipping = $<<800-100-0=700>>700.\n"
    "She saves $[NUMBER] - $700 = $<<[NUMBER]-700=[NUMBER]>>[NUMBER].\n"
    "#### [NUMBER]"
)


def test_currency_signs_pair_into_no_formula():
    steps = {str(eq.left.tree) for eq in read_equations(PRICES).equations}
    assert any("160" in s and "40" in s for s in steps)  # 800 - 160 + 40, read over its unit words
    assert "replay" in attack_names("How much does she save?", PRICES, "-20")
    # in a formula the pairs stay: "$ab + 5b$" is a product of letters
    assert any("v:a" in str(eq.left.tree) for eq in read_equations("So $ab + 5b = 12$ here.").equations)


# a unit symbol of one letter: "100 ml * 5 g/ml" is 100 * 5, "[N] g + 200 g" is [N] + 200
GRAMS = (
    "The oil weighs 100 ml * 5 g/ml = <<100*5=[NUMBER]>>[NUMBER] g.\n"
    "The dressing weighs [NUMBER] g + 200 g = <<[NUMBER]+200=[NUMBER]>>[NUMBER] g.\n"
    "#### [NUMBER]"
)


def test_a_one_letter_unit_after_a_value_is_no_variable():
    eqs = read_equations(GRAMS).equations
    assert not any("v:g" in eq.unknowns for eq in eqs[:3])
    assert "replay" in attack_names("How heavy is it?", GRAMS, "700")
    # a letter with "=" right after it and no operator before is still a variable ("5 m = 3")
    assert any("v:m" in eq.unknowns for eq in read_equations("so 5 m = 3 here").equations)


def test_the_masker_cuts_such_a_chain_at_the_answer_level():
    question = "Mason mixes 100 ml of oil (5 g/ml) with 50 ml of vinegar (4 g/ml). How heavy is the dressing?"
    trace = (
        "The oil weighs 100 ml * 5 g/ml = <<100*5=500>>500 g.\n"
        "The vinegar weighs 50 ml * 4 g/ml = <<50*4=200>>200 g.\n"
        "The dressing weighs 500 g + 200 g = <<500+200=700>>700 g.\n"
        "#### 700"
    )
    r = mask_text("math", trace, question=question, answer="700", level="answer")
    assert r.leak is None
    assert attack_names(question, r.text, "700") == set()
    assert "100 ml * 5 g/ml" not in r.text  # the first step is cut (it showed 100 * 5 = [N] before)


def test_a_letter_right_after_a_value_is_a_factor_not_a_unit():
    # "4L" is 4 times L (no space): "L + 4L = 85" is an equation in L, not L + 4 = 85
    (eq,) = read_equations("Let L be her pay: L + 4L = 85").equations
    assert eq.left.tree == ("+", ("u", "v:L"), ("*", ("n", 4), ("u", "v:L")))


# "Combining like terms": the line rewrites the one before it, so its blanks are the other's values (8, 45)
REWRITTEN = (
    "Let d be the drivers and s the speeders: d + s = [NUMBER] and s = 7d - 3.\n"
    "Substituting, we get d + 7d - 3 = [NUMBER]\n"
    "Combining like terms, we get [NUMBER]d - 3 = 45\n"
    "Adding [NUMBER] to both sides, we get [NUMBER]d = [NUMBER]\n"
    "Dividing both sides by [NUMBER], we get d = [NUMBER]\n"
    "#### [NUMBER]"
)


def test_a_line_that_rewrites_the_line_before_fixes_its_blanks():
    assert "constraints" in attack_names("How many drivers?", REWRITTEN, "6")
    assert attack_names("How many drivers?", REWRITTEN.replace("= 45", "= [NUMBER]"), "6") == set()
    indexed = REWRITTEN.replace("= [NUMBER]\nCombining", "= [BLANK_1]\nCombining", 1)
    assert "constraints" in attack_names("How many drivers?", indexed, "6")  # an indexed blank alike
    # a line that is another equation in the same letters fixes nothing: "d + s = 45", then "s = 7d - [N]"
    other = "So d + s = 45 here\nand s = 7d - [NUMBER] there\nthen d - [NUMBER] = 2\n#### [NUMBER]"
    assert attack_names("How many drivers?", other, "6") == set()


# GSM8K 1471 (blind round 26): "[N]n = [N]", then "the value of n ... is 120/[N]": a reader takes the division
# for the one that solves the line before, so its denominator is the coefficient the visible 10(2n) + 20n
# gives (40) and its numerator the line's right side
KAREN_Q = (
    "Karen's class fund contains only $10 and $20 bills,  which amount to $120. The number of $10 bills is "
    "twice as many $20 bills. How many $20 bills do they have in their fund?"
)
KAREN = (
    "If n is the number of $20 bills then 2n is the number of $10 bills.\n"
    "So the equation will be $10(2n) + $20n = $[NUMBER].\n"
    "By combining like terms, the equation becomes [NUMBER]n = [NUMBER].\n"
    "So, the value of n which represents the number of $20 bills is 120/[NUMBER] = "
    "<<120/[NUMBER]=[NUMBER]>>[NUMBER].\n"
    "#### [NUMBER]"
)


def test_a_division_after_a_line_in_one_letter_solves_that_line():
    assert "constraints" in attack_names(KAREN_Q, KAREN, "3")
    # the numerator hidden too: the reader must take the 120 from the question
    assert (
        attack_names(KAREN_Q, KAREN.replace("is 120/", "is [NUMBER]/").replace("<<120/", "<<[NUMBER]/"), "3")
        == set()
    )
    # a statement that does not name the letter solves nothing ("The rest is 120/[N]")
    unnamed = KAREN.replace("So, the value of n which represents the number of $20 bills is", "The rest is")
    assert attack_names(KAREN_Q, unnamed, "3") == set()
    # a pair whose line stays unsolved ("[N]n = 120", "120/[N]") leaves the later lines' rewrites read
    unsolved = (
        "Let n be the number of vans: [NUMBER]n = 120.\n"
        "So n is 120/[NUMBER] = <<120/[NUMBER]=[NUMBER]>>[NUMBER] vans.\n"
    )
    assert "constraints" in attack_names("How many drivers?", unsolved + REWRITTEN, "6")
    # and the masker cuts it
    trace = (
        "If n is the number of $20 bills then 2n is the number of $10 bills.\n"
        "So the equation will be $10(2n) + $20n = $120.\n"
        "By combining like terms, the equation becomes 40n = 120.\n"
        "So, the value of n which represents the number of $20 bills is 120/40 = <<120/40=3>>3.\n"
        "#### 3"
    )
    out = mask_text("math", trace, question=KAREN_Q, answer="3", level="critical").text
    assert attack_names(KAREN_Q, out, "3") == set()
    assert "combining like terms" in out and "n = [NUMBER]" in out


# GSM8K 1748 (blind round 29): a quantity named by a phrase used as a factor ("2(number of trucks)") is a
# letter to a reader: "x + 2x = [N]", "[N]x = [N]", then "x = [N] because 60 / [N]" (the division on the line
# that states the answer). Built here in other words and numbers.
PENS_Q = "Sam has three times as many pens as pencils. He has 48 in all. How many pencils does he have?"
PENS = (
    "The number of pencils + 3(number of pencils) = [NUMBER]\n"
    "Therefore [NUMBER](number of pencils) = [NUMBER]\n"
    "Number of pencils = [NUMBER] because 48 / [NUMBER] = <<48/[NUMBER]=[NUMBER]>>[NUMBER]\n"
    "#### [NUMBER]"
)


def test_a_phrase_used_as_a_factor_is_a_quantity():
    from smepo_data.math._equations import phrase_quantities

    read = phrase_quantities(PENS)
    assert len(read) == len(PENS) and "number of pencils" not in read.lower()
    assert read.splitlines()[0].split() == ["n", "+", "3(n", ")", "=", "[NUMBER]"]
    # a label written once is no quantity; nor is anything in a LaTeX trace
    label = "The land is divided into 1 (Jose) + 4 siblings = <<1+4=5>>5 pieces."
    assert phrase_quantities(label) == label
    assert "constraints" in attack_names(PENS_Q, PENS, "12")
    # the dividend hidden too: the reader must take the 48 from the question
    cut = PENS.replace("because 48 /", "because [NUMBER] /").replace("<<48/", "<<[NUMBER]/")
    assert attack_names(PENS_Q, cut, "12") == set()
    trace = (
        "The number of pencils + 3(number of pencils) = 48\nTherefore 4(number of pencils) = 48\n"
        "Number of pencils = 12 because 48 / 4 = <<48/4=12>>12\n#### 12"
    )
    out = mask_text("math", trace, question=PENS_Q, answer="12", level="critical").text
    assert attack_names(PENS_Q, out, "12") == set()
    assert "(number of pencils) = [NUMBER]" in out and "48" not in out


def test_the_independent_checker_reads_the_division_as_the_quantity_too():
    from .test_recover_check import checker_leaks

    q = "Ana has twice as many apples as pears, 60 fruits in all. How many pears does she have?"
    marked = (
        "The number of pears + 2(number of pears) = ⟦60|NUMBER⟧\n"
        "Therefore ⟦3|NUMBER⟧(number of pears) = ⟦60|NUMBER⟧\n"
        "Number of pears = ⟦20|NUMBER⟧ because 60 / ⟦3|NUMBER⟧ = <<60/⟦3|NUMBER⟧=⟦20|NUMBER⟧>>⟦20|NUMBER⟧\n"
        "#### ⟦20|NUMBER⟧"
    )
    found = checker_leaks("phrase_division", q, marked, "20").get("constraints", [])
    assert any("sum of its coefficients" in f["detail"] for f in found)
    letter = (
        marked.replace("The number of pears", "n")
        .replace("(number of pears)", "n")
        .replace("Number of pears", "n")
    )
    assert "constraints" in checker_leaks("letter_division", q, letter, "20")
    assert "constraints" not in checker_leaks("phrase_division_other", q, marked, "21")
    cut = marked.replace("because 60 /", "because ⟦60|NUMBER⟧ /").replace("<<60/", "<<⟦60|NUMBER⟧/")
    assert "constraints" not in checker_leaks("phrase_division_cut", q, cut, "20")


# GSM8K 3377 (found by the checker's division rule, this session): "x + 2x = [N]x = 1 hour", "Thus [N]x = 60
# minutes", "Thus x = 60/[N]": a reader takes each blank coefficient for the sum's 3, whatever the unit
# between; the solver alone took x = 1/3 from the hour line. Built here in other words and numbers.
READS_Q = "Ada spends 2 hours reading and writing, three times as long writing as reading. Minutes reading?"
READS = (
    "If the time she reads is y, then the time she writes is 3y.\n"
    "So y + 3y = [NUMBER]y = 2 hours\n"
    "Thus [NUMBER]y = 120 minutes\n"
    "Thus y = 120/[NUMBER] = <<120/[NUMBER]=[NUMBER]>>[NUMBER] minutes reading.\n"
    "#### [NUMBER]"
)


def test_a_blank_coefficient_after_a_visible_sum_is_the_sum_s():
    assert "constraints" in attack_names(READS_Q, READS, "30")
    one_left = READS.replace("Thus y = 120/", "Thus y = [NUMBER]/").replace("<<120/", "<<[NUMBER]/")
    assert "constraints" in attack_names(READS_Q, one_left, "30")  # "[N]y = 120 minutes" alone gives it
    both = one_left.replace("[NUMBER]y = 120 minutes", "[NUMBER]y = [NUMBER] minutes")
    assert attack_names(READS_Q, both, "30") == set()
    trace = (
        "If the time she reads is y, then the time she writes is 3y.\nSo y + 3y = 4y = 2 hours\n"
        "Thus 4y = 120 minutes\nThus y = 120/4 = <<120/4=30>>30 minutes reading.\n#### 30"
    )
    out = mask_text("math", trace, question=READS_Q, answer="30", level="critical").text
    assert attack_names(READS_Q, out, "30") == set() and "y + 3y" in out and "120" not in out


def test_a_value_in_hours_is_the_gold_in_minutes_one_conversion_away():
    # GSM8K 3377 read again (targeted round 30): "y + 3y = [N]y = 2 hours" fixes y = 1/2 hour, and the
    # question asks minutes: 30, one unit conversion away
    q = (
        "Ada spends 2 hours reading and writing, three times as long writing as reading. "
        "In minutes, how long does she read? Answer in minutes."
    )
    masked = "If she reads for y, she writes for 3y.\nSo y + 3y = [NUMBER]y = 2 hours\n#### [NUMBER]"
    assert "constraints" in attack_names(q, masked, "30")
    assert attack_names(q, masked.replace("= 2 hours", "= [NUMBER] hours"), "30") == set()
    assert (
        attack_names(q.replace("Answer in minutes.", "").replace("In minutes, how", "How"), masked, "30")
        == set()
    )
