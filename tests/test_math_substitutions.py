"""A line that says it puts one equation into another ("Substituting the first equation into the second
produces", "Replacing c gives") writes the earlier equation with the letter replaced by its definition: each
side as the earlier one's, so the blanks of both match (round 46 of the blind reading, GSM8K 3583 and 5099:
``s = [N]f and s + f = 60``, then ``3f + f = [N]``, told ``s = 3f`` and the 60). The attack reads it, the
masker then hides an operand the reader needs, and without the word nothing links the two lines."""

from __future__ import annotations

from smepo_data import mask_text
from smepo_data.math.attacks import attacks

CATS_Q = (
    "Yesterday, the newly opened animal shelter received their first 60 animals. They got 20 more cats than "
    "dogs. How many cats did they take in?"
)
#: GSM8K train 5099 as the masking of the thirtieth session wrote it
CATS = (
    "Let c be the number of cats and let d be the number of dogs. We know that c = [NUMBER] + d and that the "
    "total number of animals is c + d = 60\n"
    "Replacing c gives 20+ d + d = [NUMBER] animals\n"
    "Combining like terms and subtracting 20 from both sides, we get [NUMBER]d = [NUMBER]\n"
    "Dividing both sides by [NUMBER], we get d = [NUMBER]/[NUMBER] = <<[NUMBER]/[NUMBER]=[NUMBER]>>[NUMBER]\n"
    "The shelter therefore received [NUMBER] + [NUMBER] = <<[NUMBER]+[NUMBER]=[NUMBER]>>[NUMBER] cats\n"
    "#### [NUMBER]"
)
SEED_Q = (
    "Carson is covering the high school football field with grass seed. Each square meter needs three times "
    "as much seed as fertilizer. If Carson uses 60 gallons of seed and fertilizer combined, how many gallons "
    "of seed does he use?"
)
#: GSM8K train 3583 as the masking of the thirtieth session wrote it: the two "[NUMBER]f" hide 3 and 4
SEED = (
    "Let s be the number of gallons of seed Carson uses and f be the number of gallons of fertilizer. "
    "We know that s = [NUMBER]f and s + f = 60.\n"
    "Substituting the first equation into the second equation produces 3f + f = [NUMBER]\n"
    "Combining like terms, we get [NUMBER]f = 60\n"
    "Dividing both sides by [NUMBER], we get f = [NUMBER]\n"
    "Substituting that value into the equation s = [NUMBER]f, we get s = [NUMBER] * [NUMBER] = "
    "<<[NUMBER]*[NUMBER]=[NUMBER]>>[NUMBER]\n"
    "#### [NUMBER]"
)


def _attacks(question: str, masked: str, answer: str) -> set[str]:
    return {f.attack for f in attacks(question, masked, answer)}


def test_a_definition_put_into_an_equation_fixes_the_blanks_of_both():
    found = attacks(CATS_Q, CATS, "40")
    assert found and {f.attack for f in found} == {"constraints"}
    assert any("c = 40" in f.detail for f in found)


def test_two_blanks_written_alike_are_two_values_where_a_substitution_tells_them_apart():
    # linked as one blank, "[NUMBER]f" would be 3 and 4 at once; read as two, s = 3f and 4f = 60
    found = attacks(SEED_Q, SEED, "45")
    assert [f.detail for f in found] == ["s = 45, the gold answer, is computed"]


def test_without_a_word_of_substituting_the_lines_are_not_linked():
    assert _attacks(CATS_Q, CATS.replace("Replacing c gives", "So"), "40") == set()
    # the seed row needs no substitution for its 60: "3f + f = [N]" rewritten as "[N]f = 60" makes f 15,
    # and s + f = 60 then makes s 45 (read with the two "[NUMBER]f" as two values)
    plain = SEED.replace("Substituting the first equation into the second equation produces", "Then")
    assert _attacks(SEED_Q, plain, "45") == {"constraints"}


def test_the_masker_cuts_the_substituted_chain():
    trace = (
        "Let c be the number of cats and let d be the number of dogs. We know that c = 20 + d and that the "
        "total number of animals is c + d = 60\n"
        "Replacing c gives 20+ d + d = 60 animals\n"
        "Combining like terms and subtracting 20 from both sides, we get 2d = 40\n"
        "Dividing both sides by 2, we get d = 40/2 = <<40/2=20>>20\n"
        "The shelter therefore received 20 + 20 = <<20+20=40>>40 cats\n"
        "#### 40"
    )
    r = mask_text("math", trace, question=CATS_Q, answer="40")
    assert r.leak is None
    assert attacks(CATS_Q, r.text, "40", trace) == []
    # the plan stays: the letters, the words and the operators of each line
    assert "Replacing c gives" in r.text and "+ d + d =" in r.text and "c + d =" in r.text


def test_the_sides_swapped_after_the_word_match_crosswise():
    # "[N] = 3f + f" is the second equation with its sides the other way round: 3 and 60, never -5 and -60
    swapped = SEED.replace("produces 3f + f = [NUMBER]", "produces [NUMBER] = 3f + f")
    assert [f.detail for f in attacks(SEED_Q, swapped, "45")] == ["s = 45, the gold answer, is computed"]


def test_replacing_in_another_sense_fixes_nothing():
    # "Replacing the battery" buys a part: no equation before it is the line's own with a letter put in
    q = (
        "Tom paid $60 for a phone and its battery. The phone cost 3 times as much as the battery. "
        "How much does it cost him to replace the battery twice?"
    )
    trace = (
        "Let b be the price of the battery and p the price of the phone. Then p = 3b and p + b = 60.\n"
        "So 4b = 60 and b = 60/4 = <<60/4=15>>15.\n"
        "Replacing the battery twice costs 2 * 15 = <<2*15=30>>30 dollars.\n#### 30"
    )
    r = mask_text("math", trace, question=q, answer="30")
    assert r.leak is None
    assert not [s for s in r.spans if "rewrites a line" in s.reason]
    assert "b = 60/" in r.text  # the question's 60 stays where no cut needs it
