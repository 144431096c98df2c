"""Final-answer lines and math-verify's reading on long runs of blanks: each line is read once (a lazy
group before ``\\s*$`` re-read a run from every position in it), and math-verify sees each run as one
blank (its LaTeX normalisation is quadratic on a run: 70 s on "The answer is 7" + 20,000 spaces +
"\\text{cm}"). benchmarks/hostile_rows.py times such rows end to end."""

from __future__ import annotations

from smepo_data.math import verifier
from smepo_data.math._lexer import answer_statements


def test_final_answer_lines_read_the_line_once_and_keep_the_sign():
    text = "So the answer is -7."
    assert [(text[s.start : s.end], s.reason) for s in answer_statements(text)] == [
        ("-7", "final answer statement")
    ]
    text = "#### 7" + " " * 50 + "\r\n"
    assert [text[s.start : s.end] for s in answer_statements(text)] == ["7"]
    text = "The answer is 7" + " " * 20_000 + "\\text{cm}"
    (statement,) = answer_statements(text)
    assert text[statement.start : statement.end].endswith("\\text{cm}")
    assert answer_statements("The answer is" + " " * 20_000) == []


def test_runs_of_blanks_read_as_one_blank():
    assert verifier._squeezed("a  b\t\tc\n \n\nd e") == "a b c\nd e"
    # each long run reads as the one blank (or line break) a writer would have put there
    for run, one in ((" ", " "), ("\t", " "), ("\n", "\n"), (" \n", " \n")):
        spread = f"So $x = 7{run * 5000}$ cm, and the answer is 7{run * 5000}\\text{{cm}}"
        single = f"So $x = 7{one}$ cm, and the answer is 7{one}\\text{{cm}}"
        assert verifier._squeezed(spread) == single
        assert verifier.extract(spread) == verifier.extract(single)
        assert verifier.extract(spread)  # read, not given up on


def test_a_formula_too_long_to_parse_reads_as_no_value():
    # math-verify's parser takes seconds on a boxed answer of thousands of letters; such a match is no value
    long = "\\boxed{7" + "A" * (verifier.LONGEST_PARSED + 10) + "}"
    assert verifier.extract(long) == []
    assert verifier.extract("\\boxed{7}") and verifier.extract("We get \\boxed{7} " + "A" * 5000)


def test_figure_labels_and_moduli_read_as_before_without_rereading_blank_runs():
    from smepo_data.math._congruence import _MODULUS
    from smepo_data.math._restated import _label_ranges

    text = 'label("$ 12 $", (0,0)); label("  7 ", A); label("$x$ and $y$", B); label("$", C);'
    assert [text[s:e] for s, e in _label_ranges(text)] == ["12", "7", ""]
    for written in ("(\\text{mod}\\ 7)", "(\\text{mod}, 7)", "(\\text{mod} {7})", "(\\text{mod}\\;7)"):
        assert [m.group(3) for m in _MODULUS.finditer(written)] == ["7"], written
    assert not list(_MODULUS.finditer("(\\text{mod}" + " " * 20_000 + "x"))
    assert _label_ranges('label("a' + " " * 20_000 + "b") == []
