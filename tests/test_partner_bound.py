"""A wire story carried by many outlets, each in its own version: the partner bound
(``candidates.max_partners``) keeps every version tied to the original.

Twenty-four outlets each print their own cut of one wire story (a different selection
of its paragraphs, their own site chrome, a local paragraph of their own and the
agency's copyright line). Every version shares paragraphs with every other, so each
document has more verified partners than it keeps; the original shares the most with
each version and must stay among the partners decided.
"""

from __future__ import annotations

import random

from syndetect import Config, Document, scan

WIRE = [
    "Floodwaters swept through the river town of Harwick on Tuesday, forcing 1,240 "
    "residents from their homes as the Calder River rose to 6.8 metres, officials said.",
    "Emergency crews used inflatable boats to reach families stranded on rooftops along "
    "Mill Lane, where water stood chest-deep by mid-afternoon.",
    "Mayor Rosa Lindqvist declared a local state of emergency and opened three shelters, "
    "including the Harwick Community Centre and St Aidan's school hall.",
    "The regional weather service said another 40 millimetres of rain was expected "
    "overnight, and warned that the river would not crest before Thursday morning.",
    "Power was cut to about 3,100 homes after the utility shut down a flooded substation "
    "on Bridge Road as a precaution, a spokesman for Northfield Energy said.",
    "Two people were treated in hospital for hypothermia, but no deaths had been reported "
    "by Tuesday evening, according to the county's fire and rescue service.",
    "Residents said the water rose faster than during the floods of 2007, when the town's "
    "defences were last overtopped and the high street was closed for a month.",
    "The Environment Agency said temporary barriers had been deployed along the eastern "
    "bank but that several sections had been breached by the force of the current.",
    "Farmers upstream reported losing livestock and said fields sown with winter wheat "
    "were under water across an area of roughly 900 hectares.",
    "Train services between Harwick and Kingsbridge were suspended after a section of "
    "track near Eastgate was washed out, the rail operator said.",
    "Insurers estimated early claims at 12 million pounds, a figure they said was likely "
    "to rise once the water receded and damage could be assessed.",
    "The government's flood minister, Daniel Okafor, is due to visit the town on "
    "Wednesday to meet emergency workers and displaced families.",
]
COPYRIGHT = "Copyright 2024 The Associated Press. All rights reserved."


def _page(outlet: str, paragraphs: list[str], local: str | None) -> str:
    chrome = f"{outlet}\nHome | News | Sport | Weather | Business | Contact us\n"
    body = "\n\n".join(paragraphs + ([local] if local else []))
    return (f"{chrome}\n{body}\n\n{COPYRIGHT}\n\n"
            f"Share this article | Print | Email\n(c) 2024 {outlet}. Privacy policy")


def _corpus(n_outlets: int, seed: int = 3) -> list[Document]:
    rng = random.Random(seed)
    docs = [Document(id="ap-wire", text=_page("AP News", WIRE, None), outlet="AP News",
                     published_at="2024-02-06T09:00:00+00:00", date_strength="metadata")]
    for k in range(n_outlets):
        outlet = f"The {['Daily', 'Evening', 'County', 'Valley'][k % 4]} Gazette {k}"
        kept = sorted(rng.sample(range(len(WIRE)), 8))
        local = (f"Readers in {outlet.split()[1]} can follow updates on our live page; "
                 f"reporter number {k} will be in Harwick through the week.")
        docs.append(Document(
            id=f"outlet-{k:02d}", text=_page(outlet, [WIRE[i] for i in kept], local),
            outlet=outlet, published_at=f"2024-02-06T{10 + k // 6:02d}:{(k % 6) * 10:02d}:00+00:00",
            date_strength="metadata"))
    return docs


def test_many_versions_of_one_wire_story_all_hang_under_the_original() -> None:
    config = Config()
    n = config.candidates.max_partners + 8
    report = scan(_corpus(n), config)
    assert report.stats["pairs_bounded"] > 0  # the bound did bind
    assert len(report.clusters) == 1
    cluster = report.clusters[0]
    assert cluster.origin == "ap-wire"
    assert {m.document for m in cluster.members} == {"ap-wire"} | {f"outlet-{k:02d}"
                                                                  for k in range(n)}
    # Each version's pair with the original was decided, and decided derived.
    with_origin = {p.b if p.a == "ap-wire" else p.a for p in report.pairs
                   if p.derived and "ap-wire" in (p.a, p.b)}
    assert with_origin == {f"outlet-{k:02d}" for k in range(n)}


def test_below_the_bound_no_pair_is_dropped() -> None:
    report = scan(_corpus(6))
    assert report.stats["pairs_bounded"] == 0
    assert report.clusters and report.clusters[0].origin == "ap-wire"
