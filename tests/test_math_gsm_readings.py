"""Classes an adversarial reading of masked GSM8K rows found, on traces built for the test: a multiplier verb
("halve", "doubles", "tripling") states its factor like "half" and "twice" do; a value written right after a
step's result ("=<<60/4=15>>15 4-minute slots") restates the step's hidden operand; two steps that divide
by 2 share no neighbourhood by the first digits of their results; an ordinal numeral the question names
("the 2nd stop" for "the second stop") is its label, and a hidden ordinal takes its suffix with it; the 100 a
number is divided by (``30/100 * 40``) is a percent's constant even where only the question says "%"; a
fraction in words ("one-quarter", "a third of", "two-thirds") states its denominator, an ordinal of a position
("the third day") does not."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._given import given_values
from smepo_data.math._rational import Fraction
from smepo_data.math._restated import restated
from smepo_data.math._words import number_words, ordinals_in, standard_constants, stated_in_words

HALVE_Q = "A painting costs $640. Its price is halved every year. What does it cost after two years?"
HALVE = (
    "After one year, halve the price: $640 / 2 = $<<640/2=320>>320\n"
    "After two years, halve it again: $320 / 2 = $<<320/2=160>>160\n"
    "#### 160"
)


def test_multiplier_verbs_are_number_words_and_given_values():
    text = "It doubles, then tripling it and a halved cost; she quadrupled it and halves the rest."
    got = {text[w.start : w.end]: w.values for w in number_words(text)}
    assert got["doubles"] == (Fraction(2),)
    assert got["tripling"] == (Fraction(3),)
    assert got["quadrupled"] == (Fraction(4),)
    assert set(got["halved"]) == {Fraction(2), Fraction(1, 2)}
    assert Fraction(2) in given_values(HALVE_Q)
    assert Fraction(3) in given_values("The price triples each year.")
    assert Fraction(3) not in given_values("The price rises each year.")


def test_a_halving_step_is_cut_at_its_other_operand_and_the_verb_stays():
    assert HALVE.index("2 =") in stated_in_words(HALVE)  # "halve" states the 2 of "/ 2"
    r = mask_text("math", HALVE, question=HALVE_Q, answer="160")
    assert r.leak is None and r.level == "critical"
    first = r.text.splitlines()[0]
    assert first == "After one year, halve the price: $[NUMBER] / 2 = $<<[NUMBER]/2=[NUMBER]>>[NUMBER]"


def test_a_visible_halve_beside_its_hidden_two_is_a_restatement():
    masked = HALVE.replace(
        "$640 / 2 = $<<640/2=320>>320", "$640 / [NUMBER] = $<<640/[NUMBER]=[NUMBER]>>[NUMBER]"
    )
    masked = masked.replace(
        "$320 / 2 = $<<320/2=160>>160", "$[NUMBER] / 2 = $<<[NUMBER]/2=[NUMBER]>>[NUMBER]"
    )
    masked = masked.replace("#### 160", "#### [NUMBER]")
    found = [masked[f.start : f.end] for f in restated(HALVE, masked)]
    assert "halve" in found


SLOTS_Q = "A radio plays 3 songs every 4 minutes. How many songs does it play in one hour?"
SLOTS = (
    "There are 60/4=<<60/4=15>>15 4-minute slots in an hour.\n"
    "15*3=<<15*3=45>>45 songs play in an hour.\n#### 45"
)


def test_a_value_right_after_a_steps_result_restates_its_hidden_operand():
    masked = (
        "There are 60/[NUMBER]=<<60/[NUMBER]=[NUMBER]>>[NUMBER] 4-minute slots in an hour.\n"
        "[NUMBER]*3=<<[NUMBER]*3=[NUMBER]>>[NUMBER] songs play in an hour.\n#### [NUMBER]"
    )
    found = restated(SLOTS, masked)
    assert [masked[f.start : f.end] for f in found] == ["4"]
    assert "same sentence" in found[0].detail
    # an operand the next expression adds after the result is no restatement of it by its sentence (an
    # operator before it), but it is the same value an operand of another step's note: that one is found
    plus = "It is 60/4=<<60/4=15>>15 + 4 = <<15+4=19>>19 slots.\n#### 19"
    plus_masked = (
        "It is 60/[NUMBER]=<<60/[NUMBER]=[NUMBER]>>[NUMBER] + 4 = <<[NUMBER]+4=[NUMBER]>>[NUMBER] slots.\n"
        "#### [NUMBER]"
    )
    assert all("same sentence" not in f.detail for f in restated(plus, plus_masked))
    assert any("another step" in f.detail for f in restated(plus, plus_masked))


def test_the_masker_leaves_no_operand_visible_after_its_hidden_twin():
    r = mask_text("math", SLOTS, question=SLOTS_Q, answer="45")
    assert r.leak is None and r.level == "critical"
    first = r.text.splitlines()[0]
    assert "60/[NUMBER]" not in first or "[NUMBER]-minute" in first
    assert not restated(SLOTS, r.text)


def test_two_steps_dividing_by_two_share_no_neighbours_by_their_results_first_digits():
    trace = "Monday: 24/2=<<24/2=12>>12 hours.\nThursday: 22/2=<<22/2=11>>11 hours.\n#### 11"
    masked = (
        "Monday: 24/[NUMBER]=<<24/[NUMBER]=[NUMBER]>>[NUMBER] hours.\n"
        "Thursday: [NUMBER]/2=<<[NUMBER]/2=[NUMBER]>>[NUMBER] hours.\n#### [NUMBER]"
    )
    assert all("neighbours" not in f.detail for f in restated(trace, masked))
    # (the 2 is an operand of both steps' notes, hidden in one: that copy is found as another step's)
    assert [f.detail for f in restated(trace, masked) if "another step" in f.detail]
    # the same place written twice still is: (2,0) beside ([NUMBER],0)
    pair = "The point is (2,0) and we plot (2,0) again."
    assert restated(pair, "The point is ([NUMBER],0) and we plot (2,0) again.")


BUS_Q = (
    "A bus starts with 10 people. At the first stop 4 people get on and at the second stop 3 get off. "
    "How many people are on the bus after the second stop?"
)
BUS = (
    "After the 1st stop there are 10+4=<<10+4=14>>14 people.\n"
    "After the 2nd stop there are 14-3=<<14-3=11>>11 people.\n#### 11"
)


def test_an_ordinal_numeral_the_question_names_stays_visible():
    assert ordinals_in(BUS_Q) == {1, 2}
    assert ordinals_in("on his 3rd try and the fifth") == {3, 5}
    r = mask_text("math", BUS, question=BUS_Q, answer="11")
    assert r.leak is None
    assert "After the 2nd stop" in r.text


def test_a_hidden_ordinal_numeral_takes_its_suffix():
    q = "Ann reads 12 pages a day. On which day does she finish a 48-page book?"
    trace = "She needs 48/12=<<48/12=4>>4 days, so she finishes on the 4th day.\n#### 4"
    r = mask_text("math", trace, question=q, answer="4")
    assert r.leak is None
    assert "on the [NUMBER] day" in r.text and "[NUMBER]th" not in r.text
    assert all(trace[s.end : s.end + 2] != "th" for s in r.spans)


AD_Q = "An ad is 40 seconds long. Its owner wants it 30% shorter. How long will the ad be?"
AD = (
    "It gets 30/100 * 40 = <<30/100*40=12>>12 seconds shorter.\n"
    "It will be 40 - 12 = <<40-12=28>>28 seconds long.\n#### 28"
)


def test_the_hundred_a_number_is_divided_by_is_a_percents_constant():
    assert AD.index("100") in standard_constants(AD)  # no % in its sentence: the question has it
    r = mask_text("math", AD, question=AD_Q, answer="28")
    assert r.leak is None
    assert (
        r.text.splitlines()[0]
        == "It gets [NUMBER]/100 * 40 = <<[NUMBER]/100*40=[NUMBER]>>[NUMBER] seconds shorter."
    )
    # a unit fraction a step arrives at is a value, its 100 derived: no constant
    hour = "It takes 2/200 = 1/100 of an hour, and 3 = 1/100 * 300."
    assert not {hour.index("100"), hour.rindex("100")} & standard_constants(hour)
    # in LaTeX, x/100 writes a decimal as a fraction: its 100 is derived
    tex = "So $\\sqrt{6.25 - 0.49} = \\sqrt{576/100} = 2.4$."
    assert tex.index("100") not in standard_constants(tex)


PENS_Q = "Each of twelve boxes holds two pens, and Sam adds 6 pens to each box. How many pens are there?"
PENS = (
    "Each box has two pens, and when he adds 6 pens, a box has 6+2 = 8 pens.\n"
    "There are 12 boxes with 8 pens each: 12*8 = <<12*8=96>>96 pens.\n#### 96"
)


def test_two_in_a_word_problem_is_a_quantity_beside_its_hidden_two():
    masked = (
        "Each box has two pens, and when he adds 6 pens, a box has 6+[NUMBER] = [NUMBER] pens.\n"
        "There are 12 boxes with [NUMBER] pens each: 12*[NUMBER] = <<12*[NUMBER]=[NUMBER]>>[NUMBER] pens.\n"
        "#### [NUMBER]"
    )
    assert [masked[f.start : f.end] for f in restated(PENS, masked)] == ["two"]
    r = mask_text("math", PENS, question=PENS_Q, answer="96")
    assert r.leak is None and "two pens" in r.text and "+2 =" in r.text  # the cut takes the 6, not the 2
    assert not restated(PENS, r.text)
    # "two" that counts the plan's parts ("two cases") stays a word of the plan
    cases = "There are two cases: 3+2=<<3+2=5>>5 and 4.\n#### 5"
    assert not restated(
        cases, "There are two cases: 3+[NUMBER]=<<3+[NUMBER]=[NUMBER]>>[NUMBER] and 4.\n#### [NUMBER]"
    )


TOADS_Q = (
    "For every green toad there are 25 brown toads, and one-quarter of the brown toads are spotted. If there "
    "are 50 spotted brown toads, how many green toads are there?"
)
TOADS = (
    "The 50 spotted toads are one-quarter of the brown toads, so 50*4=<<50*4=200>>200 brown toads.\n"
    "There are 200/25=<<200/25=8>>8 green toads.\n#### 8"
)


def test_fraction_words_state_their_denominator_and_ordinal_positions_do_not():
    text = (
        "One-quarter of them, a third of the rest, two-thirds of the cake, three fifths of 10, one half. "
        "On the third day, a third time, three quarters and a dime, step one-third."
    )
    got = {text[w.start : w.end]: (w.values, w.kind) for w in number_words(text)}
    assert got["One-quarter"] == ((Fraction(4), Fraction(1, 4)), "fraction")
    assert got["a third"] == ((Fraction(3), Fraction(1, 3)), "fraction")
    assert got["two-thirds"] == ((Fraction(3), Fraction(2), Fraction(2, 3)), "fraction")
    assert got["three fifths"] == ((Fraction(5), Fraction(3), Fraction(3, 5)), "fraction")
    assert got["one half"] == ((Fraction(2), Fraction(1, 2)), "fraction")
    assert got["third"] == ((Fraction(3),), "ordinal")  # "the third day": a position
    assert got["three"] == ((Fraction(3),), "cardinal")  # three quarters (coins): no fraction
    assert len(got) == 7  # nor "a third time", "step one-third", "two" or "quarter" alone
    assert Fraction(4) in given_values(TOADS_Q) and Fraction(1, 4) in given_values(TOADS_Q)
    assert Fraction(5) in given_values("Three-fifths of them left.")


def test_a_fraction_word_in_the_steps_sentence_makes_the_cut_take_the_other_operand():
    assert TOADS.index("4=") in stated_in_words(TOADS)  # "one-quarter" states the 4 of "50*4"
    r = mask_text("math", TOADS, question=TOADS_Q, answer="8")
    assert r.leak is None and r.level == "critical"
    assert "one-quarter" in r.text and "*4=<<[NUMBER]*4=" in r.text  # the cut takes the 50, not the 4
    assert not restated(TOADS, r.text)
    # with the 4 hidden, the word in its sentence gives it back
    masked = TOADS.replace("50*4=<<50*4=200>>200", "50*[NUMBER]=<<50*[NUMBER]=[NUMBER]>>[NUMBER]")
    masked = masked.replace("200/25=<<200/25=8>>8", "[NUMBER]/25=<<[NUMBER]/25=[NUMBER]>>[NUMBER]")
    masked = masked.replace("#### 8", "#### [NUMBER]")
    assert [masked[f.start : f.end] for f in restated(TOADS, masked)] == ["one-quarter"]
    # an ordinal of a position beside a hidden 3 is no restatement
    day = "On the third day, 30/3=<<30/3=10>>10 cakes sell.\n#### 10"
    assert not restated(
        day, "On the third day, 30/[NUMBER]=<<30/[NUMBER]=[NUMBER]>>[NUMBER] cakes sell.\n#### [NUMBER]"
    )
