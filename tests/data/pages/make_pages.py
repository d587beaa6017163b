"""Writes the older table-layout pages in this folder (run from anywhere; output is committed).

Three made-up 2008 news sites laid out with tables, as many were then: a masthead row,
a pipe-separated menu row, a left link column, the story cell with a tools row
("E-mail article | Print-friendly | Subscribe to RSS") and a "Click here" prompt, a
"Most read" list, and a footer with the copyright line. One wire story (with the
Associated Press notice) runs on all three sites; one site has two local stories and
a print version of one of them. Each ``NAME.html`` has its story text in
``NAME.gold.txt`` (the body, as a reader would copy it) and its URL in ``NAME.url``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent

AP_NOTICE = (
    "Copyright 2008 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed."
)

WILDFIRE = (
    "Wildfire forces thousands from homes east of San Diego",
    [
        "ALPINE, Calif. (AP) - A wind-driven wildfire raced through dry brush east of San Diego "
        "on Tuesday, forcing more than 4,000 people from their homes and closing a stretch of "
        "Interstate 8 for most of the afternoon.",
        "The fire had burned about 6,200 acres by nightfall and was 10 percent contained, said "
        "Cal Fire spokeswoman Roxanne Baird. Three outbuildings were destroyed, but no homes "
        "had been lost, she said.",
        "Gusts of up to 50 mph pushed the flames across two ridges in less than an hour, and "
        "water-dropping helicopters were grounded for part of the day because of the wind.",
        "Residents of Harbison Canyon, which was largely destroyed by the Cedar Fire in 2003, "
        "packed their cars with photographs and pets as deputies went door to door.",
        "\"We've seen this movie before, and we're not waiting for the ending,\" said Dale "
        "Mercer, 61, who loaded two horses into a trailer and drove to a fairground in El Cajon.",
        "The cause of the fire was under investigation. Forecasters expected the winds to ease "
        "by Thursday.",
    ],
)

BUDGET = (
    "School board approves $212 million budget, cuts bus routes",
    [
        "The Lake City school board voted 5-2 on Monday night to approve a $212 million "
        "budget that eliminates 14 bus routes and leaves 38 teaching positions unfilled.",
        "Superintendent Carla Diaz said the cuts were needed to close a $9 million gap left "
        "by lower state aid and falling property tax receipts.",
        "About 1,100 students who now ride a bus will have to walk or be driven to school "
        "starting in August, according to district figures.",
        "Parents packed the meeting at Jefferson Middle School, and more than 40 people spoke "
        "during the public comment period, most of them against the bus cuts.",
        "Board member Tom Whitaker, who voted no, said the district should have drawn on its "
        "reserve fund instead of asking families to absorb the cost.",
        "The budget takes effect July 1.",
    ],
)

BRIDGE = (
    "Fourth Street bridge to close for six months of repairs",
    [
        "The Fourth Street bridge over the Rock River will close to traffic on June 2 for "
        "about six months while crews replace its deck and repair corroded steel beams.",
        "City engineer Paul Brandt said inspectors found cracks in two of the bridge's "
        "support beams during a routine check in March.",
        "About 18,000 vehicles cross the bridge each day. Detours will send drivers to the "
        "Main Street and Harrison Avenue bridges, which are expected to be congested at rush "
        "hour.",
        "The $4.3 million project is paid for mostly with federal highway money, with the "
        "city covering about 20 percent.",
        'Businesses on the east end of Fourth Street worry about losing customers. "Half of '
        'our lunch crowd comes across that bridge," said Maria Lopez, who owns a diner near '
        "the river.",
    ],
)


def site_page(
    site: dict,
    title: str,
    paragraphs: list[str],
    *,
    byline: str,
    date: str,
    notice: str | None = None,
    print_version: bool = False,
) -> str:
    if site.get("breaks"):  # paragraphs as runs of text between <br><br>, no <p> at all
        story = "<br>" + "<br><br>".join(escape(p) for p in paragraphs)
        if notice:
            story += f"<br><br><font size='1'>{escape(notice)}</font>"
    else:
        story = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        if notice:
            story += f"<p><i>{escape(notice)}</i></p>"
    head = (
        f"<title>{escape(site['title'])}</title>"
        f'<meta property="og:site_name" content="{escape(site["name"])}">'
        f'<meta name="copyright" content="{escape(site["copyright"])}">'
        f'<meta property="article:published_time" content="{date}">'
    )
    if print_version:
        return (
            f"<html><head>{head}</head><body><table width='600'><tr><td>"
            f"<b>{escape(site['name'])}</b> - Print version<br>"
            f"<h2>{escape(title)}</h2><i>By {escape(byline)}</i>{story}"
            f"<br><font size='1'>{escape(site['copyright'])}</font>"
            "</td></tr></table></body></html>"
        )
    menu = " | ".join(f"<a href='/{m.lower()}'>{m}</a>" for m in site["menu"])
    left = "<br>".join(f"<a href='/{m.lower().replace(' ', '-')}'>{m}</a>" for m in site["left"])
    most = "".join(
        f"<li><a href='/story/{i}'>{escape(h)}</a></li>" for i, h in enumerate(site["most_read"])
    )
    return (
        f"<html><head>{head}</head><body bgcolor='#ffffff'>"
        "<table width='100%' border='0' cellpadding='0' cellspacing='0'>"
        f"<tr><td colspan='3'><img src='/img/logo.gif' alt='{escape(site['name'])}'>"
        f"<font size='1'>{escape(site['tagline'])}</font></td></tr>"
        f"<tr><td colspan='3' bgcolor='#003366'><font color='white'>{menu}</font></td></tr>"
        f"<tr><td width='140' valign='top'><font size='2'>{left}</font></td>"
        f"<td valign='top'><font size='4'><b>{escape(title)}</b></font><br>"
        f"<font size='2'>By {escape(byline)}</font><br>"
        "<font size='1'><a href='#'>E-mail article</a> | <a href='#'>Print-friendly</a> | "
        "<a href='/rss'>Subscribe to RSS</a></font>"
        f"{story}"
        f"<p><a href='/news'>Click here for more {escape(site['city'])} headlines!</a></p></td>"
        f"<td width='160' valign='top'><b>Most read</b><ul>{most}</ul></td></tr>"
        f"<tr><td colspan='3'><font size='1'>{escape(site['copyright'])} | "
        "<a href='/privacy'>Privacy Policy</a> | <a href='/terms'>Terms of Use</a> | "
        "<a href='/contact'>Contact Us</a></font></td></tr>"
        "</table></body></html>"
    )


SITES = {
    "tribune": {
        "host": "http://www.lakecitytribune.com",
        "name": "Lake City Tribune",
        "title": "Lake City Tribune",
        "copyright": "Copyright (c) 2008 Tribune Media Holdings LLC. All Rights Reserved.",
        "tagline": "Serving Lake City since 1871",
        "city": "Lake City",
        "menu": ["Home", "News", "Sports", "Business", "Opinion", "Obituaries", "Classifieds"],
        "left": ["Local News", "State", "Nation and World", "Weather", "Traffic", "Photos"],
        "most_read": [
            "Police identify man found dead near rail yard",
            "Lakers of Lake City High win regional title",
            "New grocery store opens on west side",
        ],
    },
    "courier": {
        "host": "http://www.rivervalleycourier.com",
        "name": "River Valley Courier",
        "title": "River Valley Courier - News",
        "copyright": "(c) 2008 Courier Publishing Co.",
        "tagline": "The voice of the valley",
        "city": "River Valley",
        "breaks": True,
        "menu": ["Front Page", "Local", "Sports", "Life", "Jobs", "Autos", "Homes"],
        "left": ["Today's Paper", "Archives", "Letters", "Weddings", "Weather"],
        "most_read": [
            "County fair opens Friday with new rides",
            "Valley man charged in string of burglaries",
        ],
    },
    "kxrv": {
        "host": "http://www.kxrv9.com",
        "name": "KXRV News 9",
        "title": "KXRV News 9",
        "copyright": "(c) MMVIII, Pinecrest Broadcasting Corporation",
        "tagline": "Coverage you can count on",
        "city": "Pinecrest",
        "menu": ["News", "Weather", "Sports", "Video", "Community", "Contests"],
        "left": ["Local", "National", "Health", "Consumer", "Station Info"],
        "most_read": [
            "Storm damage closes two schools",
            "Video: Firefighters rescue dog from frozen pond",
        ],
    },
}

PAGES = {
    "tribune-budget": (
        "tribune",
        BUDGET,
        "Karen Holt",
        "2008-05-12T22:40:00-05:00",
        None,
        False,
        "/news/local/2008/05/12/school-budget.html",
    ),
    "tribune-budget-print": (
        "tribune",
        BUDGET,
        "Karen Holt",
        "2008-05-12T22:40:00-05:00",
        None,
        True,
        "/print/2008/05/12/school-budget.html",
    ),
    "tribune-bridge": (
        "tribune",
        BRIDGE,
        "Sam Ortiz",
        "2008-05-13T09:15:00-05:00",
        None,
        False,
        "/news/local/2008/05/13/bridge.html",
    ),
    "tribune-wildfire": (
        "tribune",
        WILDFIRE,
        "The Associated Press",
        "2008-05-13T19:02:00-05:00",
        AP_NOTICE,
        False,
        "/news/nation/2008/05/13/wildfire.html",
    ),
    "courier-wildfire": (
        "courier",
        WILDFIRE,
        "Associated Press",
        "2008-05-13T20:30:00-05:00",
        AP_NOTICE,
        False,
        "/article/20080513/NEWS02/805130311",
    ),
    "kxrv-wildfire": (
        "kxrv",
        WILDFIRE,
        "Associated Press",
        "2008-05-13T18:47:00-05:00",
        AP_NOTICE,
        False,
        "/global/story.asp?s=8312202",
    ),
}


BLOG_POST = (
    "Why our town should keep its Carnegie library",
    [
        "The city council will decide next month whether to close the Elm Street branch "
        "library, a Carnegie building that opened in 1909, and move its books to the new "
        "community center on the bypass.",
        "I have used that library since I was six. So have my kids. The building leaks and the "
        "stairs are hard for older patrons, but the council's own study puts the cost of a new "
        "roof and an elevator at $1.2 million, less than the community center's parking lot.",
        "The branch also checks out more books per square foot than any other in the county, "
        "according to the library board's annual report, and it is the only one within "
        "walking distance of three elementary schools.",
        "If you agree, the council meets at 7 p.m. on June 10 at City Hall. Come and say so.",
    ],
)


def blog_page(title: str, paragraphs: list[str]) -> str:
    """A 2008 hosted blog: header, post with its footer line, comments, a long sidebar."""
    post = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    comments = "".join(
        f"<dl><dt>{escape(who)} said...</dt><dd><p>{escape(text)}</p></dd>"
        f"<dd><span>June 2, 2008 {when}</span></dd></dl>"
        for who, text, when in (
            (
                "Marge",
                "Totally agree. The Elm Street branch is where my daughter learned to "
                "love reading, and the summer program there is always full.",
                "8:14 AM",
            ),
            (
                "Anonymous",
                "The roof has leaked for ten years. At some point you have to stop "
                "spending money on an old building, however pretty it is.",
                "9:02 AM",
            ),
        )
    )
    archive = "".join(
        f"<li><a href='/2008_0{m}_01_archive.html'>{name} 2008</a> ({n})</li>"
        for m, name, n in ((6, "June", 4), (5, "May", 11), (4, "April", 9))
    )
    return (
        "<html><head><title>Main Street Musings: " + escape(title) + "</title></head><body>"
        "<div id='header'><h1><a href='/'>Main Street Musings</a></h1>"
        "<p>Notes on life, politics and potholes in a small Ohio town.</p></div>"
        "<div id='main'><h2 class='date-header'>Monday, June 2, 2008</h2>"
        f"<div class='post'><h3 class='post-title'>{escape(title)}</h3>"
        f"<div class='post-body'>{post}</div>"
        "<p class='post-footer'>Posted by Dan Whitfield at 7:45 AM | 2 comments | "
        "<a href='#'>Links to this post</a></p></div>"
        f"<div id='comments'><h4>2 Comments:</h4>{comments}"
        "<p><a href='#'>Post a Comment</a></p></div></div>"
        "<div id='sidebar'><h2>About Me</h2><p>Dan Whitfield, retired teacher, volunteer "
        "firefighter and lifelong resident of Millbrook, writes about the town he loves and "
        "the council he argues with.</p><h2>Blog Archive</h2><ul>" + archive + "</ul>"
        "<h2>Links</h2><ul><li><a href='#'>Millbrook Gazette</a></li><li><a href='#'>County "
        "Library Board</a></li></ul></div>"
        "<div id='footer'><p>Powered by Blogger</p></div></body></html>"
    )


STATION_STORY = (
    "Two hurt as pickup truck crashes into Main Street bakery",
    [
        "Two people were taken to the hospital Thursday morning after a pickup truck "
        "jumped the curb and crashed through the front window of a bakery on Main Street.",
        "Police said the driver, a 78-year-old man from Pinecrest, told officers his foot "
        "slipped from the brake to the gas pedal as he tried to park.",
        "A customer and an employee were treated for cuts from broken glass. Both were in "
        "good condition Thursday afternoon, a hospital spokeswoman said.",
        "The bakery's owner, Linda Shaw, said she hoped to reopen next week once the window "
        "is replaced and a building inspector checks the front wall.",
        "The driver was cited for failure to maintain control of a vehicle.",
    ],
)


def station_page(title: str, paragraphs: list[str]) -> str:
    """A 2008 TV station page: nested tables, <font> text, a related box and a weather cell."""
    story = "<br><br>".join(escape(p) for p in paragraphs)
    related = "".join(
        f"<tr><td><font size='1'><a href='/story/{i}'>{escape(h)}</a></font></td></tr>"
        for i, h in enumerate(
            (
                "Bakery owner says shop will reopen",
                "Police: elderly drivers involved in rising share of crashes",
                "Main Street parking changes take effect next month",
            )
        )
    )
    return (
        "<html><head><title>KXRV News 9 - " + escape(title) + "</title>"
        '<meta property="og:site_name" content="KXRV News 9"></head><body>'
        "<table width='780' cellpadding='0' cellspacing='0'><tr><td colspan='2'>"
        "<table width='100%'><tr><td><img src='/logo.gif' alt='KXRV'></td>"
        "<td><font size='1'>Pinecrest: 64&deg;F Partly Cloudy | <a href='/weather'>7-Day "
        "Forecast</a> | <a href='/radar'>Live Radar</a></font></td></tr></table></td></tr>"
        "<tr><td width='560' valign='top'>"
        f"<font face='Arial' size='4'><b>{escape(title)}</b></font><br>"
        "<font size='1'>Posted: June 5, 2008 12:41 PM CDT<br>Updated: June 5, 2008 "
        "04:10 PM CDT</font><br><br>"
        f"<font face='Arial' size='2'>{story}</font><br><br>"
        "<table width='100%' border='1'><tr><td><b>Related Stories</b></td></tr>"
        f"{related}</table>"
        "<font size='1'>All content (c) MMVIII, Pinecrest Broadcasting Corporation and KXRV. "
        "All Rights Reserved. For more information on this site, please read our "
        "<a href='/privacy'>Privacy Policy</a> and <a href='/terms'>Terms of Service</a>."
        "</font></td>"
        "<td width='220' valign='top'><table><tr><td><b>Contests</b></td></tr><tr><td>"
        "<a href='/win'>Win tickets to the county fair!</a></td></tr><tr><td><b>Station "
        "Info</b></td></tr><tr><td><a href='/jobs'>Jobs at KXRV</a><br><a href='/eeo'>EEO "
        "Report</a><br><a href='/contact'>Contact Us</a></td></tr></table></td></tr>"
        "</table></body></html>"
    )


def main() -> None:
    for name, (site_key, (title, paras), byline, date, notice, printed, path) in PAGES.items():
        site = SITES[site_key]
        html = site_page(
            site, title, paras, byline=byline, date=date, notice=notice, print_version=printed
        )
        (HERE / f"{name}.html").write_text(html, encoding="utf-8")
        (HERE / f"{name}.gold.txt").write_text("\n".join(paras) + "\n", encoding="utf-8")
        (HERE / f"{name}.url").write_text(site["host"] + path + "\n", encoding="utf-8")

    extras = {
        "blog-library": (
            blog_page(*BLOG_POST),
            BLOG_POST[1],
            "http://mainstreetmusings.blogspot.com/2008/06/library.html",
        ),
        "kxrv-bakery": (
            station_page(*STATION_STORY),
            STATION_STORY[1],
            "http://www.kxrv9.com/global/story.asp?s=8421177",
        ),
    }
    for name, (html, paras, url) in extras.items():
        (HERE / f"{name}.html").write_text(html, encoding="utf-8")
        (HERE / f"{name}.gold.txt").write_text("\n".join(paras) + "\n", encoding="utf-8")
        (HERE / f"{name}.url").write_text(url + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
