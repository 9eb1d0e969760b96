"""Closed word lists of the rules baseline: speech cues with their inflections, titles, suffixes.

Only closed-class and genre knowledge lives here (what a style guide would list); names and
their types come from the train split (gazetteer.py), never from a hand-made list of entities.
"""

from __future__ import annotations


def inflections(base: str) -> set[str]:
    """Regular English inflections of a verb: base, -s, -ed, -ing (with the usual spelling rules)."""
    forms = {base}
    if base.endswith("y") and base[-2:-1] not in set("aeiou"):
        forms |= {base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    elif base.endswith("e"):
        forms |= {base + "s", base + "d", base[:-1] + "ing"}
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {base + "es", base + "ed", base + "ing"}
    else:
        forms |= {base + "s", base + "ed", base + "ing"}
    return forms


_IRREGULAR = {
    "say": {"say", "says", "said", "saying"},
    "tell": {"tell", "tells", "told", "telling"},
    "write": {"write", "writes", "wrote", "written", "writing"},
    "admit": {"admit", "admits", "admitted", "admitting"},
    "hint": {"hint", "hints", "hinted", "hinting"},
    "rebut": {"rebut", "rebuts", "rebutted", "rebutting"},
    "forecast": {"forecast", "forecasts", "forecasted", "forecasting"},
    "speak": {"speak", "speaks", "spoke", "spoken", "speaking"},
}


def forms(bases) -> frozenset[str]:
    out: set[str] = set()
    for base in bases:
        out |= _IRREGULAR.get(base) or inflections(base)
    return frozenset(out)


#: verbs whose complement is the reported clause directly: `X said (that) ...`
SAY_VERBS = forms("""say state claim argue add explain note insist stress suggest warn comment assert declare
maintain contend acknowledge concede observe remark respond reply testify complain boast hint agree allege
emphasize emphasise write tweet continue recall predict answer caution counter affirm reiterate repeat
speculate estimate""".split()) - {"estimate", "estimated", "estimates", "estimating"}
#: verbs that often take a noun-phrase object (`reported a loss`): a quote only with `that` or a clause
NP_VERBS = forms("report announce confirm deny reveal admit indicate signal propose disclose".split())
#: verbs with a person object before the clause: `told reporters that ...`
TELL_VERBS = forms("tell inform assure remind notify".split())
#: request and commitment verbs whose content is the `to` infinitive: `urged Congress to act`
REQUEST_VERBS = forms("urge ask order advise encourage promise pledge vow threaten demand request".split())

CUE_VERBS = SAY_VERBS | NP_VERBS | TELL_VERBS | REQUEST_VERBS
#: speech nouns that take a content clause: `a suggestion that ...`
CUE_NOUNS = frozenset("suggestion statement claim announcement assertion warning".split())

#: auxiliaries and adverbs that may stand between a speaker and the cue: `has also said`
CUE_FILLERS = frozenset("""has have had also later previously earlier further then had was were is are will would
reportedly again recently repeatedly publicly already once yesterday today however""".split())
NEGATIONS = frozenset("not n't never no".split())

PRONOUNS = {
    "he": "PER", "she": "PER", "him": "PER", "her": "PER", "his": "PER", "i": "PER", "we": "ORG", "they": "ORG",
    "it": "ORG",
}
SUBJECT_PRONOUNS = frozenset("he she it they we i".split())

#: titles and honorifics before a person's name (R2: not part of the name; evidence for PER)
TITLES = frozenset("""mr mr. mrs mrs. ms ms. dr dr. prof prof. president prime minister ministers chancellor senator
sen sen. governor gov gov. mayor judge justice king queen prince princess pope rev rev. reverend sir dame lord lady
general gen gen. colonel col col. captain capt capt. lieutenant lt lt. sergeant sgt sgt. chairman chairwoman chief
executive ceo director secretary spokesman spokeswoman spokesperson ambassador representative rep rep. commissioner
inspector detective officer coach emeritus professor vice deputy foreign defence defense finance interior health
emir sheikh ayatollah archbishop bishop cardinal father brother sister doctor dean premier chairperson councillor
councilman councilwoman congressman congresswoman senior junior former acting mp president-elect leader
administrator commander chancellor manager founder analyst economist""".split())
#: words that make a capitalised sequence an organisation
ORG_SUFFIXES = frozenset("""inc inc. corp corp. corporation company co co. ltd ltd. llc plc group bank association agency
council committee commission ministry department party university institute foundation society union
federation organization organisation board court army navy police news times post press airlines airways
motors systems technologies fund office service services exchange reserve church club team fc assembly parliament
senate congress administration authority bureau network media industries airline holdings partners
college school academy league government guard force forces journal herald tribune telegraph gazette
securities capital investments bancorp laboratories labs institution trust cabinet""".split())
FAC_SUFFIXES = frozenset("""airport station stadium bridge hall center centre street road avenue square tower
building palace base mosque cathedral arena prison highway boulevard temple memorial""".split())
LOC_SUFFIXES = frozenset("""river lake mountain mountains mount sea ocean gulf bay island islands valley desert coast
peninsula strait channel region caucasus""".split())
GPE_SUFFIXES = frozenset("city county province state district republic kingdom prefecture emirates".split())
EVENT_WORDS = frozenset("""festival cup games olympics championship championships war summit conference expo fair
day week tournament election elections revolution""".split())

MONTHS = frozenset("""january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec""".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

#: capitalised words that never start a name on their own (function words, sentence openers)
FUNCTION_WORDS = frozenset("""a an the this that these those there here it its he she they we i you his her their our
my your in on at to from for of by with as and or but if when while after before since because although though
however meanwhile also yet so then thus still even just only not no yes all some many most few several both each
every another other such what which who whom whose where why how according during despite until unless
about above below over under between among against into onto upon within without through throughout around
mr mrs ms image images photo video source sources related see""".split())

#: connectors allowed inside a multi-word name when both sides are capitalised
NAME_CONNECTORS = frozenset("of for and on de da del della der von van al la le du & the y".split())
