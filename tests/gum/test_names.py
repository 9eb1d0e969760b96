"""Which GUM mentions become name mentions, and which stretch of GUM's NP is the name."""

from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import empty_data

from .gumrec import A, M, record


def mentions(doc):
    return [(m["text"], m["type"], m["kind"]) for m in doc["mentions"]]


def convert(rec):
    return convert_record(rec, empty_data())[0]


def test_a_personal_name_is_cut_from_its_titles_and_roles():
    rec = record("Title\n\nAfghan Ambassador Hamdullah Mohib spoke.",
                 [M("Afghan Ambassador Hamdullah Mohib", "person", "e1", head="Hamdullah")])
    assert mentions(convert(rec)) == [("Hamdullah Mohib", "PER", "name")]


def test_a_name_found_after_the_last_title_word_when_the_head_is_a_title():
    rec = record("Title\n\nEmeritus Professor John Burrows spoke.",
                 [M("Emeritus Professor John Burrows", "person", "e1", head="Emeritus")])
    assert mentions(convert(rec)) == [("John Burrows", "PER", "name")]


def test_a_head_final_personal_name_extends_to_the_left():
    rec = record("Title\n\nThe competition was founded by Dean Kamen today.",
                 [M("Dean Kamen", "person", "e1", head="Kamen")])
    assert mentions(convert(rec)) == [("Dean Kamen", "PER", "name")]


def test_a_title_alone_is_a_nominal_mention_not_a_name():
    rec = record("Title\n\nDonald Trump arrived. The President spoke.",
                 [M("Donald Trump", "person", "e1"), M("The President", "person", "e1", head="President")])
    assert mentions(convert(rec)) == [("Donald Trump", "PER", "name"), ("The President", "PER", "nominal")]


def test_a_name_after_a_lower_case_role_noun_is_found_in_a_common_noun_phrase():
    rec = record("Title\n\nTeam member Rodaba Noori told the press.",
                 [M("member Rodaba Noori", "person", "e1", head="member", xpos="NN")])
    assert mentions(convert(rec)) == [("Rodaba Noori", "PER", "name")]


def test_a_leading_article_is_not_part_of_a_name():
    rec = record("Title\n\nHe works for the Church of Scientology now.",
                 [M("the Church of Scientology", "organization", "e1", head="Church")])
    assert mentions(convert(rec)) == [("Church of Scientology", "ORG", "name")]


def test_a_capitalised_article_stays_when_the_wikipedia_title_has_it():
    rec = record("Title\n\nIt was reported by The Straits Times yesterday.",
                 [M("The Straits Times", "organization", "e1", head="Times", wikipedia="The Straits Times")])
    assert mentions(convert(rec)) == [("The Straits Times", "ORG", "name")]


def test_a_possessive_ending_is_not_part_of_a_name():
    rec = record("Title\n\nThey admired Mecca's mosque.",
                 [M("Mecca's", "place", "e1", head="Mecca")])
    assert mentions(convert(rec)) == [("Mecca", "GPE", "name")]


def test_name_internal_connectors_are_kept_in_organisation_names():
    rec = record("Title\n\nShe studied at the University of Southern Indiana last year.",
                 [M("the University of Southern Indiana", "organization", "e1", head="University")])
    assert mentions(convert(rec)) == [("University of Southern Indiana", "ORG", "name")]


def test_a_coordination_of_names_is_not_itself_a_name():
    rec = record("Title\n\nAnn Chiang and Priscilla Leung won seats.",
                 [M("Ann Chiang and Priscilla Leung", "person", "e1", head="Ann"),
                  M("Ann Chiang", "person", "e2"), M("Priscilla Leung", "person", "e3")])
    assert mentions(convert(rec)) == [("Ann Chiang", "PER", "name"), ("Priscilla Leung", "PER", "name")]


def test_a_name_inside_another_name_is_not_annotated():
    rec = record("Title\n\nThe story ran in the New Zealand Herald on Monday.",
                 [M("the New Zealand Herald", "organization", "e1", head="Herald"),
                  M("New Zealand", "place", "e2", head="Zealand")])
    assert mentions(convert(rec)) == [("New Zealand Herald", "ORG", "name")]


def test_time_expressions_are_not_annotated():
    rec = record("Title\n\nOn Friday Barack Obama spoke.",
                 [M("Friday", "time", "e1"), M("Barack Obama", "person", "e2")])
    assert mentions(convert(rec)) == [("Barack Obama", "PER", "name")]


def test_an_entity_without_a_name_that_does_not_speak_is_not_annotated():
    rec = record("Title\n\nThe teacher called the police.",
                 [M("The teacher", "person", "e1", head="teacher", xpos="NN"),
                  M("the police", "organization", "e2", head="police", xpos="NN")])
    assert convert(rec)["mentions"] == []


def test_a_speaking_entity_without_a_name_is_annotated_with_all_its_mentions():
    rec = record("Title\n\nOfficials said the plan would work. They added nothing.",
                 [M("Officials", "person", "e1", xpos="NNS"), M("They", "person", "e1", xpos="PRP")],
                 [A("the plan would work", "Officials said", source="Officials", cue="said")])
    assert mentions(convert(rec)) == [("Officials", "PER", "nominal"), ("They", "PER", "pronoun")]


def test_pronouns_and_descriptions_of_a_named_entity_are_annotated():
    rec = record("Title\n\nMark Rathbun left. The defector said he was fine.",
                 [M("Mark Rathbun", "person", "e1"), M("The defector", "person", "e1", head="defector", xpos="NN"),
                  M("he", "person", "e1", xpos="PRP")])
    assert mentions(convert(rec)) == [("Mark Rathbun", "PER", "name"), ("The defector", "PER", "nominal"),
                                      ("he", "PER", "pronoun")]


def test_the_canonical_entity_name_is_the_longest_name_mention():
    rec = record("Title\n\nRathbun left. Mark Rathbun returned.",
                 [M("Rathbun", "person", "e1"), M("Mark Rathbun", "person", "e1")])
    assert convert(rec)["entities"][0]["name"] == "Mark Rathbun"


def test_the_kb_id_is_the_wikipedia_identity_of_the_cluster():
    rec = record("Title\n\nJohn Key spoke.", [M("John Key", "person", "e1", wikipedia="John Key")])
    assert convert(rec)["entities"][0]["kb_id"] == "wikipedia:John Key"


def test_a_place_after_of_the_is_not_part_of_an_organisation_name():
    rec = record("Title\n\nShe works at the University of Sheffield of the UK now.",
                 [M("the University of Sheffield of the UK", "organization", "e1", head="University"),
                  M("the UK", "place", "e2", head="UK")])
    assert mentions(convert(rec)) == [("University of Sheffield", "ORG", "name"), ("UK", "GPE", "name")]


def test_the_wikipedia_title_extends_a_name_over_a_connector_the_rule_does_not_take():
    rec = record("Title\n\nThe University of North Carolina at Greensboro agreed.",
                 [M("The University of North Carolina at Greensboro", "organization", "e1", head="University",
                    wikipedia="University of North Carolina at Greensboro")])
    assert mentions(convert(rec)) == [("University of North Carolina at Greensboro", "ORG", "name")]


def test_a_description_containing_a_name_of_its_entity_gets_that_name():
    rec = record("Title\n\nHe joined the Sea Org. He left the Sea Org group later.",
                 [M("the Sea Org", "organization", "e1", head="Org"),
                  M("the Sea Org group", "organization", "e1", head="group", xpos="NN")])
    assert mentions(convert(rec)) == [("Sea Org", "ORG", "name"), ("Sea Org", "ORG", "name")]
