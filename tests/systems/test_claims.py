"""Claims as guidelines section 4 defines them: checkable clauses, their claimant and check-worthiness."""

from whosaidwhat.systems.claims import check_worthy, checkable, clauses
from whosaidwhat.systems.gazetteer import build_gazetteer
from whosaidwhat.systems.names import find_names
from whosaidwhat.systems.pipeline import analyse

from .helpers import document

COMMON = build_gazetteer([document("officials later the shares analysts")])


def claims(text: str) -> list[dict]:
    analysis = analyse(text, find_names(text, COMMON))
    out = []
    for c in analysis.claims:
        if c.claimant == "outlet":
            claimant = "outlet"
        elif c.claimant is None:
            claimant = "unknown"
        else:
            m = analysis.mentions.items[c.claimant]
            claimant = text[m.start:m.end]
        out.append({"text": " | ".join(text[s:e] for s, e in c.fragments), "claimant": claimant,
                    "quote": c.quote, "check_worthy": c.check_worthy})
    return out


def cw(text: str) -> bool:
    return check_worthy(text, 0, len(text))


def test_a_sentence_in_the_outlets_voice_is_an_outlet_claim_without_final_punctuation():
    assert claims("The delegation arrived in Yerevan on Tuesday.") == [
        {"text": "The delegation arrived in Yerevan on Tuesday", "claimant": "outlet", "quote": None,
         "check_worthy": False}]


def test_a_claim_inside_a_direct_quote_belongs_to_the_speaker_and_links_the_quote():
    text = '"The plant lost 40 million dollars last year," Ford said.'
    assert claims(text) == [{"text": "The plant lost 40 million dollars last year", "claimant": "Ford", "quote": 0,
                             "check_worthy": True}]


def test_the_content_of_an_indirect_quote_is_the_speakers_claim_and_the_speech_report_is_not_the_outlets():
    text = "Dmitry Peskov said Russia signed the deal in Armenia."
    assert claims(text) == [{"text": "Russia signed the deal in Armenia", "claimant": "Dmitry Peskov", "quote": 0,
                             "check_worthy": True}]


def test_coordinated_clauses_with_their_own_subjects_are_separate_claims():
    text = "The Dow fell 344 points, while the Nasdaq lost 3.2 percent."
    assert [c["text"] for c in claims(text)] == ["The Dow fell 344 points", "the Nasdaq lost 3.2 percent"]


def test_discourse_connectives_are_not_part_of_a_claim():
    assert clauses("However, the GAO upheld the protest.", 0, 36) == [(9, 35)]


def test_hedges_predictions_questions_and_opinions_are_not_claims():
    assert not checkable("The plant may close next year.", 0, 29, True)
    assert not checkable("The cuts would be 9.9 percent.", 0, 30, False)
    assert not checkable("Is the plant closing in May?", 0, 28, True)
    assert not checkable("I think the decision was wrong.", 0, 31, False)
    assert checkable("The plant closed in May.", 0, 23, False)


def test_a_dateline_is_not_a_claim():
    text = "Dow falls 340 points\n\nSeptember 4, 2008\n\nThe Dow fell 344.65 points on Thursday."
    assert [c["text"] for c in claims(text)] == ["Dow falls 340 points", "The Dow fell 344.65 points on Thursday"]


def test_check_worthiness_follows_the_decision_procedure():
    assert not cw("Texas is a state of the United States")           # D1 background
    assert cw("Shares of Ford rose on Friday")                         # A2 market movement
    assert cw("A record 45,756 migrants crossed the Channel")          # D2 figure
    assert not cw("The festival took place in 2019")                   # a year is not a figure
    assert cw("The Church of Scientology imprisoned her aboard the ship")  # D3 an act of consequence
    assert cw("The court heard the case against the mayor")            # D4 courts
    assert not cw("Lunch was a traditional Brazilian barbecue")        # D5 scene-setting
