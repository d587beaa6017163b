"""Unrelated English news pages for small-corpus tests: site chrome, byline, wire
copyright line, paragraphs on local beats (council, weather, sport, business, courts,
health, transport, schools), each article its own event with its own names and figures.

Sentences are drawn from grammatical patterns filled with news vocabulary, so two
articles share common English words (as real pages do) but never a story.

>>> a = unrelated_articles(3, seed=1)
>>> len(a), a[0].id
(3, 'news-000')
"""

from __future__ import annotations

import random

from syndetect import Document

_FIRST = """Maria James Aisha Tom Elena Daniel Priya Lucas Grace Omar Hannah Victor Nadia
Samuel Chloe Ibrahim Laura Peter Sofia Martin Julia Kenji Rosa Ahmed Claire Diego Fiona
Hugo Irene Jonas Karin Leon Mira Noah Olga Paolo Rita Stefan Tara Umar Vera Walter""".split()
_LAST = """Kessler Okafor Lindqvist Moreau Haddad Brennan Castillo Novak Fischer Ramirez
Whitfield Tanaka Osei Petrov Gallagher Mendes Holloway Sato Bergman Adeyemi Lombardi
Kowalski Duarte Sinclair Vasquez Eriksen Hartley Nakamura Quinlan Rossi Fontaine Mbeki
Schreiber Delaney Ivanova Larsen Abbott Chandra Morrow Whitaker""".split()
_PLACES = """Bradford Millbrook Eastgate Riverton Ashford Carrow Dunmore Fenwick Glenhaven
Harwick Kingsbridge Larchmont Marlow Northfield Oakridge Pembrook Queensway Redcliff
Stanton Thornbury Upton Westmere Yarrow Brookfield Claymont Dover Elmstead Fairhaven""".split()
_ORGS = ["county council", "regional transit authority", "state health department",
         "chamber of commerce", "school board", "water utility", "police department",
         "district court", "university hospital", "port authority", "fire service",
         "housing association", "planning commission", "teachers union"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_BEATS = {
    "council": ("budget vote spending plan taxes residents meeting proposal amendment "
                "committee funding libraries parks roads zoning ordinance deficit reserves "
                "councillors motion hearing referendum").split(),
    "weather": ("storm rainfall flooding winds forecast temperatures frost heatwave snow "
                "drought warning shelters outages crews rivers levels gusts damage roofs "
                "evacuation sandbags").split(),
    "sport": ("match season striker goalkeeper coach league title injury victory defeat "
              "penalty stadium fans transfer tournament semifinal trophy squad midfielder "
              "equaliser").split(),
    "business": ("profits revenue shares investors quarter factory jobs merger acquisition "
                 "exports prices inflation retailer earnings dividend layoffs supplier "
                 "warehouse expansion forecast").split(),
    "courts": ("trial jury verdict judge defendant prosecutors appeal sentence evidence "
               "witness fraud charges lawyers testimony bail ruling hearing conviction "
               "settlement damages").split(),
    "health": ("hospital patients clinic vaccine doctors nurses waiting outbreak infections "
               "treatment surgery ward beds screening pharmacy staff shortage emergency "
               "ambulance symptoms").split(),
    "transport": ("railway trains commuters timetable bridge tunnel buses fares delays "
                  "signals platform motorway traffic cyclists station upgrade closure "
                  "contractor track airport").split(),
    "schools": ("pupils teachers classrooms exam results curriculum headteacher parents "
                "funding term uniform inspection playground lessons graduates tuition "
                "scholarship campus enrolment literacy").split(),
}
_VERBS = ["approved", "rejected", "announced", "delayed", "criticised", "defended",
          "unveiled", "reviewed", "postponed", "welcomed", "questioned", "confirmed",
          "expanded", "reduced", "investigated", "praised", "halted", "restored"]
_ADJ = ["new", "long-awaited", "controversial", "temporary", "costly", "ambitious",
        "revised", "modest", "urgent", "local", "annual", "independent", "emergency",
        "second", "final", "record"]
_NOUNS = """agency board budget campaign community contract council court department
district economy election family figures government group hospital households industry
inquiry investigation lawmakers leaders market minister neighbourhood officials owners
police programme project proposal public region report research residents review rules
schedule scheme sector services spokesperson statement strategy study survey system
volunteers workers agreement analysts authorities charity commission company consultation
critics customers developers engineers farmers inspectors managers members parents
partners planners regulators retailers scientists students suppliers taxpayers tenants
visitors voters""".split()
_TVERBS = """approved rejected announced delayed criticised defended unveiled reviewed
postponed welcomed questioned confirmed expanded reduced investigated praised halted
restored blamed funded opposed supported challenged extended cancelled launched revised
published examined""".split()
_PREPS = ["in", "near", "across", "outside", "throughout", "despite", "after", "before",
          "during", "without", "beyond", "following"]
_TIMES = ["on {day}", "last week", "this month", "earlier this year", "on {day} morning",
          "late on {day}", "for the first time since {year}", "by the end of {month}"]
_SAYS = ["said", "told reporters", "said in a statement", "told the {site}", "added",
         "wrote in a letter to members", "said at a briefing"]


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_SITES = ["The {place} Courier", "{place} Evening Post", "The {place} Gazette",
          "{place} Today", "The {place} Observer"]


def _article(rng: random.Random, k: int) -> Document:
    beat = rng.choice(sorted(_BEATS))
    words = _BEATS[beat]
    place, place2 = rng.sample(_PLACES, 2)
    people = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(3)]
    org = rng.choice(_ORGS)
    site = rng.choice(_SITES).format(place=rng.choice(_PLACES))
    day = rng.randrange(1, 28)
    month = rng.choice(_MONTHS)

    nouns = words + _NOUNS

    def np_() -> str:
        det = rng.choice(["the", "the", "a", "its", "their", "several", "two", "local"])
        adj = rng.choice(_ADJ) + " " if rng.random() < 0.5 else ""
        return f"{det} {adj}{rng.choice(nouns)}"

    def time_() -> str:
        return rng.choice(_TIMES).format(day=rng.choice(_WEEKDAYS), year=rng.randrange(1990, 2024),
                                         month=rng.choice(_MONTHS))

    def sentence() -> str:
        parts = [np_().capitalize() if rng.random() < 0.6 else f"The {org} in {place}",
                 rng.choice(_TVERBS), np_()]
        if rng.random() < 0.6:
            parts += [rng.choice(_PREPS), rng.choice([np_(), place, place2])]
        if rng.random() < 0.5:
            parts.append(time_())
        if rng.random() < 0.3:
            parts.append(f"at a cost of ${rng.randrange(2, 900)}.{rng.randrange(10)} million"
                         if rng.random() < 0.5 else
                         f"affecting {rng.randrange(12, 9000):,} {rng.choice(nouns)}")
        text = " ".join(parts)
        if rng.random() < 0.35:
            say = rng.choice(_SAYS).format(site=site)
            text = f"{text}, {rng.choice(people)} {say}"
        return text + "."

    sentences = [sentence() for _ in range(rng.randrange(10, 18))]
    paras, i = [], 0
    while i < len(sentences):
        n = rng.randrange(1, 4)
        paras.append(" ".join(sentences[i:i + n]))
        i += n
    title = f"{place} {org} {rng.choice(_VERBS)} {rng.choice(_ADJ)} {rng.choice(words)} plan"
    chrome = f"{site}\nHome | News | {beat.title()} | Opinion | Subscribe"
    byline = f"By {people[0]} | {month} {day}, 2024"
    footer = f"Copyright 2024 {site}. All rights reserved."
    text = "\n\n".join([chrome, title.capitalize(), byline, *paras, footer])
    return Document(id=f"news-{k:03d}", text=text, outlet=site)


def unrelated_articles(n: int, seed: int = 0) -> list[Document]:
    """``n`` unrelated English news pages (deterministic for ``seed``)."""
    rng = random.Random(seed)
    return [_article(rng, k) for k in range(n)]
