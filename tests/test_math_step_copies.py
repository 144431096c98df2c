"""A cut value kept visible in another step, and a factor the words state (round 8 of the blind readings), on
traces built for the test: when a cut hides an operand of one step, the same value as an operand of another
step's calculator note is hidden too (else a reader matching the steps' roles reads the blank back), the cut
takes the operand with fewer such copies, and a 2 that "a round trip" or "pairs" states in its sentence is a
constant of the wording, never the cut; the ``restated`` attack finds both on an inconsistent masking."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math._restated import restated
from smepo_data.math._words import implied_words, standard_constants

DUCKS_Q = (
    "A lake has four ducks. Now there are three times as many ducklings as ducks. Half of the ducklings fly "
    "away. How many birds are on the lake?"
)
DUCKS = (
    "There are three times as many ducklings as ducks, so 3 * 4 = <<3*4=12>>12 ducklings.\n"
    "Half fly away, so 12 / 2 = <<12/2=6>>6 ducklings stay.\n"
    "There are 4 + 6 = <<4+6=10>>10 birds on the lake.\n#### 10"
)
TRIP_Q = (
    "Lia's town is 150 miles away from the lake. Her car uses 1 gallon per 30 miles. How many gallons does "
    "she need if she drives there and back?"
)
TRIP = (
    "The total distance for a round trip is 150 x 2= <<150*2=300>>300 miles.\n"
    "She needs 300/30 = <<300/30=10>>10 gallons.\n#### 10"
)


def test_a_cut_operand_kept_in_another_step_is_a_restatement():
    masked = DUCKS.replace("3 * 4 = <<3*4=12>>12", "3 * [NUMBER] = <<3*[NUMBER]=[NUMBER]>>[NUMBER]")
    found = restated(DUCKS, masked)
    assert any("another step" in f.detail and masked[f.start : f.end] == "4" for f in found)


def test_the_masker_hides_the_cut_value_in_every_step_that_uses_it():
    r = mask_text("math", DUCKS, question=DUCKS_Q, answer="10")
    assert r.leak is None and r.level == "critical"
    lines = r.text.splitlines()
    assert lines[0].endswith("so 3 * [NUMBER] = <<3*[NUMBER]=[NUMBER]>>[NUMBER] ducklings.")
    assert (
        lines[2]
        == "There are [NUMBER] + [NUMBER] = <<[NUMBER]+[NUMBER]=[NUMBER]>>[NUMBER] birds on the lake."
    )
    assert "three times" in lines[0]  # the words stay
    assert not restated(DUCKS, r.text)


def test_the_cut_takes_the_operand_with_fewer_copies_in_other_steps():
    # both are written twice and both are the question's; the 48 is also an operand of the second step
    q = "Ann has 48 pens and 2 friends. She gives half away, then buys 48 more. How many pens does she have?"
    trace = (
        "Her 2 friends take their share.\nShe keeps 48/2 = <<48/2=24>>24 pens.\n"
        "Then she has 24+48 = <<24+48=72>>72 pens.\n#### 72"
    )
    r = mask_text("math", trace, question=q, answer="72")
    assert "She keeps 48/[NUMBER] = <<48/[NUMBER]=" in r.text  # the 2, not the 48 used again
    assert "+48 = <<[NUMBER]+48=" in r.text
    assert not restated(trace, r.text)


def test_round_trip_and_pairs_state_a_factor_two():
    assert [TRIP[w.start : w.end] for w in implied_words(TRIP)] == ["round trip"]
    assert TRIP.index("2=") in standard_constants(TRIP)
    socks = "He has 5 pairs of socks, 5 x 2 = <<5*2=10>>10 socks."
    assert socks.index("2 =") in standard_constants(socks)
    assert not implied_words("The repair took 3 hours on a trip.")
    assert not implied_words("He buys 2 pairs of socks that cost 60x2.")  # counted: a noun, no factor
    assert not implied_words("Two pairs of socks cost $2 x 2 = $4.")  # counted in words alike


def test_pairs_a_number_word_counts_stay_visible():
    # blind round 9 (GSM8K train row 2360): "Two pairs of socks" was written "[NUMBER] [NUMBER] of socks"
    question = (
        "A department store offers a 10% discount for the amount exceeding $100 of the customer's total "
        "charge. Jaco bought a pair of shoes for $74; 2 pairs of socks that cost $2 per pair; a bag that "
        "costs $42. How much will Jaco pay for those items?"
    )
    trace = (
        "Two pairs of socks cost $2 x 2 = $<<2*2=4>>4.\n"
        "Jaco's total charge is $74 + $4 + $42 = $<<74+4+42=120>>120.\n"
        "The amount that exceeds $100 is $120 - $100 = $<<120-100=20>>20.\n"
        "So, Jaco has $20 x 10/100 = $<<20*10/100=2>>2 discount.\n"
        "Therefore, Jaco will pay $120 - $2 = $<<120-2=118>>118 for those items.\n#### 118"
    )
    r = mask_text("math", trace, question=question, answer="118")
    assert r.leak is None
    assert " pairs of socks cost $" in r.text.splitlines()[0], r.text


def test_a_hidden_factor_two_beside_round_trip_is_a_restatement_and_the_masker_cuts_the_distance():
    masked = TRIP.replace("150 x 2= <<150*2=300>>300", "150 x [NUMBER]= <<150*[NUMBER]=[NUMBER]>>[NUMBER]")
    masked = masked.replace("300/30 = <<300/30=10>>10", "[NUMBER]/30 = <<[NUMBER]/30=[NUMBER]>>[NUMBER]")
    masked = masked.replace("#### 10", "#### [NUMBER]")
    found = [masked[f.start : f.end] for f in restated(TRIP, masked)]
    assert found == ["round trip"]
    r = mask_text("math", TRIP, question=TRIP_Q, answer="10")
    assert r.leak is None and r.level == "critical"
    assert r.text.splitlines()[0] == (
        "The total distance for a round trip is [NUMBER] x 2= <<[NUMBER]*2=[NUMBER]>>[NUMBER] miles."
    )
    assert not restated(TRIP, r.text)


def test_a_result_carried_on_is_no_cut_and_an_equal_operand_elsewhere_stays():
    # the 2 of "3+2" is the result of 8/4, hidden as a result: the 2 of "5*2" is another quantity
    trace = (
        "Ann has 8/4 = <<8/4=2>>2 cups.\nShe has 3+2 = <<3+2=5>>5 cups.\nIn all 5*2 = <<5*2=10>>10.\n#### 10"
    )
    masked = (
        "Ann has 8/[NUMBER] = <<8/[NUMBER]=[NUMBER]>>[NUMBER] cups.\n"
        "She has 3+[NUMBER] = <<3+[NUMBER]=[NUMBER]>>[NUMBER] cups.\n"
        "In all [NUMBER]*2 = <<[NUMBER]*2=[NUMBER]>>[NUMBER].\n#### [NUMBER]"
    )
    assert not [f for f in restated(trace, masked) if "another step" in f.detail]
