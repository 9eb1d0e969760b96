"""GUM entity types -> WhoSaidWhat entity types."""

from whosaidwhat.importers.gum import convert_record
from whosaidwhat.importers.gum_overrides import empty_data, parse_data

from .gumrec import A, M, record


def types(doc):
    return {e["name"]: e["type"] for e in doc["entities"]}


def convert(rec, data=None):
    return convert_record(rec, data or empty_data())[0]


def test_a_place_named_like_a_building_is_a_facility():
    rec = record("Title\n\nThey met at the Kennedy Space Center in Florida.",
                 [M("the Kennedy Space Center", "place", "e1", head="Center"), M("Florida", "place", "e2")])
    assert types(convert(rec)) == {"Kennedy Space Center": "FAC", "Florida": "GPE"}


def test_a_place_named_like_a_natural_feature_is_a_location():
    rec = record("Title\n\nBoats crossed Hong Kong Island waters.",
                 [M("Hong Kong Island", "place", "e1", head="Island")])
    assert types(convert(rec)) == {"Hong Kong Island": "LOC"}


def test_a_plural_proper_noun_group_of_people_is_norp():
    rec = record("Title\n\nMany Afghans celebrated.", [M("Afghans", "person", "e1", xpos="NNPS")])
    assert types(convert(rec)) == {"Afghans": "NORP"}


def test_the_wikipedia_title_table_overrides_the_gum_type_rule():
    table = {"types": {"GPE": ["North Korea"]}, "not_names": []}
    data = parse_data(table, {"documents": {}})
    rec = record("Title\n\nNorth Korea fired shells.",
                 [M("North Korea", "organization", "e1", head="Korea", wikipedia="North Korea")])
    assert types(convert(rec)) == {"North Korea": "ORG"}
    assert types(convert(rec, data)) == {"North Korea": "GPE"}


def test_titles_in_the_not_names_table_give_no_name_mention():
    data = parse_data({"types": {}, "not_names": ["Internet"]}, {"documents": {}})
    rec = record("Title\n\nIt spread on the Internet quickly.",
                 [M("the Internet", "abstract", "e1", head="Internet", wikipedia="Internet")])
    assert convert(rec, data)["mentions"] == []


def test_an_unnamed_speaking_document_is_a_work():
    rec = record("Title\n\nThe report says salt helps.",
                 [M("The report", "abstract", "e1", head="report", xpos="NN")],
                 [A("salt helps", "The report says", source="The report", cue="says")])
    assert types(convert(rec)) == {"The report": "WORK"}


def test_mention_types_equal_their_entity_type():
    rec = record("Title\n\nNASA said NASA's plan works. It added more.",
                 [M("NASA", "organization", "e1"), M("NASA's", "organization", "e1", head="NASA"),
                  M("It", "organization", "e1", xpos="PRP")],
                 [A("NASA's plan works", "NASA said", source="NASA", cue="said")])
    doc = convert(rec)
    assert {m["type"] for m in doc["mentions"]} == {"ORG"}


def test_a_mountain_headed_on_its_proper_name_is_a_location_by_its_title():
    # UD heads `Mount Everest` on `Everest`: the head-word rule alone made it a GPE
    rec = record("Title\n\nThey climbed Mount Everest.",
                 [M("Mount Everest", "place", "e1", head="Everest", wikipedia="Mount Everest")])
    assert types(convert(rec)) == {"Mount Everest": "LOC"}


def test_a_stadium_named_without_its_facility_word_is_a_facility_by_its_title():
    rec = record("Title\n\nThe final was played at Wembley.",
                 [M("Wembley", "place", "e1", wikipedia="Wembley Stadium")])
    assert types(convert(rec)) == {"Wembley": "FAC"}


def test_a_celestial_body_is_a_location():
    rec = record("Title\n\nThe rover landed on Mars.", [M("Mars", "place", "e1", wikipedia="Mars")])
    assert types(convert(rec)) == {"Mars": "LOC"}


def test_a_town_named_after_a_mountain_stays_a_gpe():
    rec = record("Title\n\nGoogle is based in Mountain View.",
                 [M("Mountain View", "place", "e1", head="View", wikipedia="Mountain View, California")])
    assert types(convert(rec)) == {"Mountain View": "GPE"}
