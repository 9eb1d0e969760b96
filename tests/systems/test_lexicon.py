"""The speech-cue lexicon and the speaker fallbacks of the rules baseline."""

from whosaidwhat.systems.lexicon import CUE_VERBS, REQUEST_VERBS, TELL_VERBS, inflections
from whosaidwhat.systems.names import find_names
from whosaidwhat.systems.pipeline import analyse

from .test_quotes import COMMON


def test_cue_verbs_come_with_their_inflections():
    assert inflections("argue") == {"argue", "argues", "argued", "arguing"}
    assert inflections("deny") == {"deny", "denies", "denied", "denying"}
    assert inflections("stress") == {"stress", "stresses", "stressed", "stressing"}
    assert {"say", "says", "said", "saying", "told", "wrote", "written", "admitted", "replied"} <= CUE_VERBS
    assert "told" in TELL_VERBS and "urged" in REQUEST_VERBS


def test_a_quote_with_no_attribution_and_no_earlier_quote_goes_to_the_nearest_person_named_before_it():
    text = ("Mayor Anna Lindqvist visited the flooded district on Monday with Acme Corp.\n\n"
            '"We will rebuild every house that was lost."')
    analysis = analyse(text, find_names(text, COMMON))
    speaker = analysis.mentions.items[analysis.quotes[0].speaker]
    assert text[speaker.start:speaker.end] == "Anna Lindqvist" and analysis.quotes[0].cue is None
