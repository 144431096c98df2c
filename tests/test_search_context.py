"""What stands beside the answer in a search trace and gives it away by context (blind readings 12-42):
the kind two subjects share said in other words, a stock list with one blank, a description after the
answer, a common noun the NER took for a name. Traces built for each rule, and the cases it must leave."""

from __future__ import annotations

from smepo_data import Example, render
from smepo_data.search.answers import answers_json
from smepo_data.search.masker import SearchMasker, _never_capitalised
from smepo_data.search.verifier import SearchVerifier

MASKER = SearchMasker()


def _critical(question: str, trace: str, *answers: str) -> str:
    ex = Example("c", "search", question, trace, answers_json(list(answers)))
    masked = render(trace, MASKER.find_spans(ex, "critical"))
    assert SearchVerifier().attacks(ex, masked) == []
    return masked


def _search(name: str, doc: str) -> str:
    return f'<search> {name} </search>\n<information> Doc 1(Title: "{name}") {doc} </information>\n'


def _trace(answer: str, *docs: tuple[str, str]) -> str:
    """A Search-R1 trace: a search and its document per (title, text), then the answer."""
    return "".join(_search(name, doc) for name, doc in docs) + f"<answer> {answer} </answer>"


SHARED = _trace(
    "author",
    (
        "Eric Ambler",
        "Eric Clifford Ambler OBE (28 June 1909 - 22 October 1998) was an influential British author of "
        "thrillers, in particular spy novels. He also worked as a screenwriter.",
    ),
    (
        "Carol Shields",
        "Carol Ann Shields (née Warner; June 2, 1935 - July 16, 2003) was an American-born Canadian "
        "novelist and short story writer. She is best known for her 1993 novel.",
    ),
)


def test_the_kind_two_subjects_share_is_hidden_for_each_in_its_own_words():
    # "novelist and short story writer" tells "author" as well as the word itself would
    for question in (
        "Eric Ambler and Carol Shields are both best known for what profession?",
        "What profession do Eric Ambler and Carol Shields have in common?",
        "Eric Ambler and Carol Shields share what profession?",
    ):
        masked = _critical(question, SHARED, "author")
        assert "novelist" not in masked and "short story writer" not in masked, question
        assert "author of thrillers" not in masked
        assert "Eric Ambler" in masked and "Carol Shields" in masked  # the subjects stay
        assert "He also worked as a screenwriter" in masked  # only the "E was a/an ..." predicate


def test_a_shared_name_or_place_is_no_kind():
    # the gold is a place: the subjects' professions tell nothing and stay
    trace = _trace(
        "New York",
        ("Paul Clyne", "Paul Clyne is an American lawyer who served in New York."),
        ("David Soares", "David Soares is an American lawyer and politician from New York."),
    )
    masked = _critical("What city does Paul Clyne and David Soares have in common?", trace, "New York")
    assert "an American lawyer" in masked


def test_a_copula_the_parse_gave_a_wrong_subject_still_belongs_to_its_sentence():
    # junk between the name and the copula: spaCy takes "Warner" for the subject of "was"
    trace = SHARED.replace("Carol Ann Shields (", "Carol Ann Shields, {'1': \", '2': \"} (")
    question = "Eric Ambler and Carol Shields are both best known for what profession?"
    masked = _critical(question, trace, "author")
    assert "novelist" not in masked


def test_a_pronoun_subject_keeps_its_predicate():
    trace = (
        "Thought 1: I need to search Pavel Urysohn and Leonid Levin, find their types of work, then find if "
        "they are the same.\nAction 1: Search[Pavel Urysohn]\nObservation 1: Pavel Samuilovich Urysohn was a "
        "Soviet mathematician.\nThought 2: Pavel Urysohn is a mathematician and Leonid Levin is a computer "
        "scientist. So they have the same type of work.\nAction 2: Finish[yes]"
    )
    masked = _critical("Were Pavel Urysohn and Leonid Levin known for the same type of work?", trace, "yes")
    assert "then find if they are the same." in masked
    assert "is a mathematician" not in masked


STOCK = _trace(
    "engineering",
    (
        "Master of Science",
        "The Master of Science degree is typically granted for studies in sciences, engineering, and "
        "medicine. "
        "Kumar holds a M.Sc. in engineering. He was born in Kathmandu, Lalitpur and Bhaktapur's old town.",
    ),
)


def test_a_stock_list_with_the_answer_hides_its_other_items():
    masked = _critical("Kumar holds a degree in what field?", STOCK, "engineering")
    assert "studies in [ENTITY], [ENTITY], and [ENTITY]" in masked
    assert "Kathmandu, Lalitpur and Bhaktapur" in masked  # names are no stock list


def test_an_apposition_and_a_place_are_no_list():
    trace = _trace(
        "Tybalt",
        (
            "Romeo",
            "Forced into exile after slaying Juliet's cousin, Tybalt, in a duel, Romeo commits suicide. "
            "Tybalt is buried in Verona, Italy.",
        ),
    )
    masked = _critical("Which character does Romeo slay?", trace, "Tybalt")
    assert "Juliet's cousin, [ENTITY], in a duel" in masked


def test_a_description_after_the_answer_is_hidden():
    trace = (
        _search(
            "Sinoatrial node",
            "In a healthy heart, the sinoatrial node continuously produces action potential, setting the "
            "rhythm of the heart and so is known as the heart's natural pacemaker. The signal travels to "
            "the atrioventricular node.",
        )
        + "<think> The impulses are generated in the sinoatrial node, which is often referred to as the "
        "heart's natural pacemaker. </think>\n<answer> sinoatrial node </answer>"
    )
    masked = _critical("Where are the heart's electrical impulses generated?", trace, "sinoatrial node")
    assert "natural pacemaker" not in masked
    assert "which is often referred to as the [ENTITY]." in masked
    assert "and so is known as the [ENTITY]." in masked
    assert "the atrioventricular node" in masked  # a common noun the NER may tag is no name


def test_a_lower_case_word_the_trace_also_writes_as_a_name_is_still_a_name():
    # the real HotpotQA row: the bridge "stein" (the title "Stein") stays hidden; "node" is no name
    trace = 'Doc 1(Title: "Stein") Stein, or simply stein, is a mug. It reaches the atrioventricular node.'
    assert not _never_capitalised(trace, "stein")
    assert _never_capitalised(trace, "node")
    assert not _never_capitalised(trace, "Stein")  # written capitalised: the NER's call stands


# the review of this session's diff: each case below was a reproduction of a fault


def test_an_item_with_its_modifiers_belongs_to_the_predicate():
    trace = SHARED.replace(
        "an influential British author of thrillers",
        "a British screenwriter, thriller novelist, and essayist",
    )
    masked = _critical("Eric Ambler and Carol Shields share what profession?", trace, "author")
    assert "novelist" not in masked and "essayist" not in masked


def test_a_description_of_another_noun_stays_and_a_tag_ends_one():
    trace = (
        _search(
            "Heart",
            "The signal leaves the sinoatrial node and reaches the atrioventricular node, which is often "
            "called the gatekeeper of the heart.",
        )
        + "<think> It starts in the sinoatrial node, which is often referred to as the natural pacemaker "
        "</think>\n<answer> sinoatrial node </answer>"
    )
    masked = _critical("Where are the heart's impulses generated?", trace, "sinoatrial node")
    assert "often called the gatekeeper of the heart" in masked  # the AV node's, not the answer's
    assert "natural pacemaker" not in masked and "as the [ENTITY] </think>" in masked


def test_a_name_written_in_lower_case_as_the_gold_is_no_kind():
    trace = _trace(
        "danube",
        ("Vienna", "Vienna is the capital and largest city of Austria, on the Danube."),
        ("Budapest", "Budapest is the capital of Hungary, on the Danube."),
    )
    masked = _critical("What river do Vienna and Budapest share?", trace, "danube")
    assert "the capital and largest city of Austria" in masked


def test_a_clause_that_does_not_open_with_the_subject_keeps_its_predicate():
    trace = SHARED.replace(
        "He also worked as a screenwriter.",
        "In 1958 Eric Ambler moved to Geneva, and his house there is a chalet.",
    )
    masked = _critical("Eric Ambler and Carol Shields share what profession?", trace, "author")
    assert "his house there is a chalet" in masked


def test_the_first_item_of_a_list_in_brackets_is_hidden_too():
    trace = _trace(
        "engineering",
        (
            "Master of Science",
            "The degree is granted for studies (sciences, engineering, and medicine). Kumar holds it in "
            "engineering.",
        ),
    )
    masked = _critical("Kumar holds a degree in what field?", trace, "engineering")
    assert "([ENTITY], [ENTITY], and [ENTITY])" in masked


def test_a_name_capitalised_word_by_word_is_written_as_a_name():
    assert not _never_capitalised("He moved to New York City in 1990.", "new york city")
