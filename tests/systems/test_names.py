"""Entity names without a model (guidelines 2.2, 2.3): spans by rule, types by evidence."""

from whosaidwhat.systems.gazetteer import Gazetteer, build_gazetteer
from whosaidwhat.systems.names import find_names

from .helpers import document

EMPTY = Gazetteer()
#: what a train split teaches about common words: these are seen in lower case, so they do not open a name
COMMON = build_gazetteer([document("yesterday officials staff rates reporters later the")])


def names(text: str, gazetteer: Gazetteer = EMPTY) -> list[tuple[str, str]]:
    return [(text[n.start:n.end], n.type) for n in find_names(text, gazetteer)]


def surfaces(text: str, gazetteer: Gazetteer = EMPTY) -> list[str]:
    return [s for s, _ in names(text, gazetteer)]


def test_a_capitalised_sequence_is_a_name_and_two_plain_words_are_a_person():
    assert names("The talks were led by Nikol Pashinyan on Tuesday.") == [("Nikol Pashinyan", "PER")]


def test_titles_and_honorifics_are_not_part_of_the_name_and_make_it_a_person():
    assert names("It was Prime Minister Pashinyan who spoke.") == [("Pashinyan", "PER")]
    assert names("Yesterday Mr. Tedeschi arrived.", COMMON) == [("Tedeschi", "PER")]


def test_a_title_inside_the_run_starts_the_name_after_it():
    assert "Barack Obama" in surfaces("Support came from US President Barack Obama yesterday.")


def test_the_possessive_ending_ends_the_name():
    assert surfaces("The plan was Armenia’s idea and Mecca's Grand Mosque was full.") == ["Armenia", "Mecca",
                                                                                          "Grand Mosque"]


def test_a_leading_the_is_not_part_of_the_name():
    assert surfaces("Officials of the Kremlin said so.", COMMON) == ["Kremlin"]


def test_sentence_openers_that_are_common_words_are_not_names():
    assert surfaces("Shares of Boeing fell.") == ["Shares", "Boeing"]  # nothing says `Shares` is a common word
    gazetteer = build_gazetteer([document("shares rose and shares fell")])
    assert surfaces("Shares of Boeing fell.", gazetteer) == ["Boeing"]  # the train texts do
    assert surfaces("However, Boeing fell.") == ["Boeing"]  # a function word always is
    assert surfaces("Boeing said the shares of Boeing fell. Shares rose.") == ["Boeing", "Boeing"]  # and so does the text


def test_months_weekdays_and_function_words_are_not_names():
    assert surfaces("On Monday, in March, Ford said it would close.") == ["Ford"]


def test_a_nationality_adjective_before_a_common_noun_is_not_a_name():
    assert surfaces("The Italian newspaper La Repubblica published it.") == ["La Repubblica"]


def test_an_adjective_made_from_a_name_is_not_a_name():
    assert surfaces("A Scientology-owned ship docked.") == []


def test_connectors_join_an_institution_with_its_name():
    assert names("He studied at the University of Southern Indiana last year.") == [
        ("University of Southern Indiana", "ORG")]
    assert names("Rates were set by the Bank of England.", COMMON) == [("Bank of England", "ORG")]


def test_organisation_facility_place_and_event_words_give_the_type():
    assert names("Staff of Acme Corporation met.", COMMON) == [("Acme Corporation", "ORG")]
    assert names("They landed at Heathrow Airport early.") == [("Heathrow Airport", "FAC")]
    assert names("They sailed on the Red Sea again.") == [("Red Sea", "LOC")]
    assert names("They came to the Lantern Festival again.") == [("Lantern Festival", "EVENT")]


def test_an_acronym_is_an_organisation_unless_its_long_form_says_otherwise():
    assert names("The move was criticised by NATO again.") == [("NATO", "ORG")]


def test_the_train_gazetteer_types_a_known_name():
    doc = document("Russia said so.")
    doc["mentions"] = [{"id": "m1", "start": 0, "end": 6, "text": "Russia", "type": "GPE", "kind": "name", "entity": "e1"}]
    doc["provenance"]["layers"]["mentions"] = {"status": "gold", "producers": []}
    gazetteer = build_gazetteer([doc])
    assert names("The deal angered Russia badly.", gazetteer) == [("Russia", "GPE")]


def test_a_layer_marked_absent_contributes_no_names_to_the_gazetteer():
    doc = document("Russia said so.")
    doc["mentions"] = [{"id": "m1", "start": 0, "end": 6, "text": "Russia", "type": "GPE", "kind": "name", "entity": "e1"}]
    assert build_gazetteer([doc]).names == {}


def test_a_one_word_name_that_is_part_of_a_persons_name_is_that_person():
    text = "Kremlin spokesman Dmitry Peskov spoke. Later Peskov said more."
    assert names(text, COMMON) == [("Kremlin", "ORG"), ("Dmitry Peskov", "PER"), ("Peskov", "PER")]


def test_a_place_preposition_before_an_unknown_one_word_name_makes_it_a_place():
    assert names("The factory is in Tbilisi now.") == [("Tbilisi", "GPE")]


def test_a_title_case_headline_keeps_only_names_the_body_confirms():
    text = "Kremlin Rejects Armenian Suggestion Over Region\n\nThe Kremlin spoke on Tuesday."
    assert surfaces(text) == ["Kremlin", "Kremlin"]
