"""Boilerplate rules for what aggregators, syndication feeds and page widgets leave in a body:
the notes a scraped or syndicated copy ends with ("The post <headline> appeared first on
<site>.", "(Except for the headline, this story has not been edited by ... staff and is published
from a syndicated feed.)"), a portal's closing pitch ("Catch all the ... News on <site>"), a
link to a wire service's topic page, a newsletter box's title left without its form, and the
text a widget shows before it loads ("Loading...", a like counter, a lone "Follow" button).
Kept as data beside the rules of ``boilerplate``, which takes them in.
"""

from __future__ import annotations

from newsarc.extractor.rulebook import Rule, Where, rx

TRAILERS: tuple[Rule, ...] = (
    Rule(
        "post-appeared-first",
        "The trailer a feed adds and scrapers copy: 'The post <headline> appeared first on "
        "<site>.'",
        rx(r"the post .{1,250}? appeared first on .{1,120}"),
        where=Where.TAIL,
        max_words=60,
        hints=("appeared",),
    ),
    Rule(
        "syndicated-feed",
        "A syndicated copy's note: '(Except for the headline, this story has not been edited by "
        "<site> staff and is published from a syndicated feed.)'",
        rx(
            r"\(?\s*(except for the headline,? )?this (story|article|report|copy|news) has not "
            r"been edited by .{1,80}?\b(and|but) (is|has been|was) (auto[- ]generated|published|"
            r"taken) from (a|an) (syndicated|agency|wire) (news )?feed\.?\s*\)?"
        ),
        where=Where.TAIL,
        max_words=45,
        hints=("feed",),
    ),
    Rule(
        "auto-aggregated",
        "A scraper's disclaimer: 'Disclaimer: This story is auto-aggregated by a computer "
        "program and has not been created or edited by <site>.'",
        rx(
            r"(disclaimer\s*:\s*)?this (story|article|post|news( item)?) (is|was|has been) "
            r"(auto[- ]?(aggregated|generated)|automatically (aggregated|generated|published))\b.*"
        ),
        where=Where.TAIL,
        max_words=45,
        hints=("auto",),
    ),
    Rule(
        "catch-all-news",
        "A portal's closing pitch: 'Catch all the Business News, Market News ... on <site>. "
        "Download The <site> App to get Daily Market Updates.'",
        rx(
            r"catch (all )?(the )?(latest )?[^.!?]{0,150}\bnews\b[^.!?]{0,150}\bon "
            r"[^.!?]{1,60}[.!]?(\s+(download|get|subscribe|follow|also)\b.*)?"
        ),
        where=Where.TAIL,
        max_words=60,
        hints=("catch",),
    ),
    Rule(
        "hub-link",
        "A link to a wire service's topic page: 'Find more coverage of state government at "
        "https://...', 'See all of our election stories: https://...'",
        rx(
            r"(find|see|get|read|follow) (more|all)\b[^:]{0,100}\b(coverage|stories|news|updates|"
            r"articles)\b[^:]{0,60}(:|\bat)\s*https?://\S+\s*\.?"
        ),
        max_words=30,
        hints=("http",),
    ),
    Rule(
        "newsletter-label",
        "A newsletter box's title at the end, its form dropped: 'Newsletter <name>'; its "
        "one-line blurb below goes too",
        rx(r"newsletters?(\s+[^.!?:]{1,40})?"),
        where=Where.TAIL,
        max_words=6,
        heads_list=True,
    ),
    Rule(
        "loading",
        "The text a widget shows before it loads: 'Loading...', 'Loading form…'",
        rx(r"loading( [\w-]+){0,2}\s*(\.{3}|…)"),
        max_words=3,
    ),
    Rule(
        "widget-button",
        "A lone button or counter of a blog platform's header or footer: 'Follow', 'Listen', "
        "'1.2K'",
        rx(r"(follow|listen|save|bookmark|clap|\d+([.,]\d+)?\s?[km]?)"),
        where=Where.EDGES,
        max_words=1,
    ),
)
