"""HTML + URL -> Article, with no I/O: trafilatura for the body, our rules for what it lets through.

The only module of newsarc that imports trafilatura is this package.
"""

from __future__ import annotations

# Stored with every article; bump it whenever the extractor's output changes, so archived
# articles extracted by an older version can be found and re-extracted.
# 12: body: a wire flash's urgency label alone at its top ("URGENT", "+++ Eilmeldung +++",
#    "SON DAKİKA") and the Trust Project badge's line ("Conforme a los criterios de") leave it;
#    authors: a reviewer's or editor's name after its credit in byline markup ("Reviewed by",
#    "Redigiert von") is none, and a one-word job title after a name ("Jane Doe Reporter") goes;
#    dates: slashed dates in meta tags read in the order the page tells (a day over 12, the
#    URL's day, its language and country domain; else left to the next source), Levantine
#    month names ("كانون الثاني", "آب") and Arabic date lines' comma and "م".
# 11: body: promo labels, social prompts, photo and source credits and trailers in Russian,
#    Ukrainian, Turkish, Arabic, Indonesian, Hindi, Japanese, Chinese and Korean; scraper and
#    widget leftovers ("The post ... appeared first on ..."); newsletter sign-up boxes by
#    their markup; a paywall box in Japanese, Korean or Chinese; a short story keeps its
#    paragraphs instead of trafilatura's one-block fallback; a date inside a sentence keeps
#    its words (trafilatura deleted every <time>); live blogs without LiveBlogPosting (live
#    wording and a run of dated updates) keep all their updates, the newest update's time as
#    modified. Authors: "Doe, Jane" is one person; a many-word place after a comma ("Hong
#    Kong") is no author; a labelled credit lower on the page ("Autor:", "Reporting by") and
#    a wire dateline's agency as last resorts; credits for photos, editing and translation
#    left out; layout classes on <body> are not page furniture. Dates: the dateline wins
#    over htmldate's other day, completes a day or naive time, slashed dates ordered by the
#    page's other dates, zone, address and region; IST/CST by region; more languages and
#    digits. Sections, sites, topics: generic parts and CMS slugs out, a URL section spelled
#    as the site's links write it, a data layer's section key and the nav's active link as
#    last resorts; the site's name as the page spells it; topic junk (CMS flags, entity
#    types, workflow marks, keyword lists of title words) out, a series tag kept whole, the
#    tag list the page shows read.
#    Headline: labels the titles write around the heading ("Breaking News:", "【速報】"),
#    entities escaped twice, more title forms; the heading over a title worded otherwise that
#    one title alone writes. Canonical: not a home page or section front above the article.
#    Language: placeholder codes dropped, ISO 639-2 codes and names read, fil as tl; a group
#    of close languages the detector is sure of overrules a template's default.
# 10: body: more promo lines leave it: "Also Read | ...", "Te puede interesar: ...", "Zobacz
#    też: ...", "Czytaj więcej", "Leia mais: ..."; social prompts ("Join our WhatsApp channel",
#    "...: follow us on Google News", "Seguici su Facebook", "Volg ons op Instagram"); app and
#    podcast prompts, a newsletter form's consent line, newsletter prompts, share buttons,
#    advertising labels, photo credits ("Foto: EFE", "Fot. PAP/...") and republication notes in
#    German, French, Spanish, Italian, Dutch, Portuguese and Polish ("Sur le même sujet :", "Ti
#    potrebbe interessare:", "Veja também:", "Polecamy:"); "WATCH: <title>" labels over embeds
#    and "Listen to this article"; "Advertisement - Continue Reading Below"; the note an
#    imported embed leaves ("This content is imported from ..."); "Getty Images" alone and
#    agency credits ("(AP Photo/...)", "Jane Roe / Getty Images"); a wire service's "Our
#    Standards: ... Trust Principles." trailer. A tabloid lead whose first word is in capitals
#    ("MORE than 5,000 cars ...") is no longer taken for a "MORE:" label and dropped. Site: a
#    CMS's machine name ("towntimes" on towntimes.example) gives way to the next name or the
#    host. Headline: a bar without spaces ("Headline|Site", "見出し｜サイト") and an
#    underscore beside CJK ("标题_网站") separate a title's site name; "Site | Label |
#    Headline" is cut (the label is not taken as the section); a "Live" badge the titles
#    write ("LIVE: ...") and a section before the heading's text ("Opinion | ...") are left
#    out; a label run into the heading ("AnalysisWhy ...") gives way to the titles' text; a
#    truncated JSON-LD headline to the whole one; <br> is a space in a heading, and one
#    written in capitals takes the titles' case.
#    Dates: the dateline under the headline gives htmldate's day its time and zone
#    ("Published 5 March 2024, 14:30 GMT", "9:41 AM EDT, Tue October 8, 2024", "5 de marzo
#    de 2024") and a labelled update ("Aktualisiert: 06.03.2024, 09:12 Uhr") the modified
#    time; <time>s of teasers, comments, cards above the headline and running text, and
#    htmldate's reading of teasers and comments, no longer date the article; <span
#    itemprop="datePublished" content> is read; a JSON-LD ItemList's articles are other
#    stories.
# 9: authors: after a person's name and a comma (a bar, a dash), a place ("Berlin", "New
#    York", "Mexico City"), a description ("Professor of History at ...", "Special to ...")
#    or a credential ("MD") is no second author, and "Jr." ends the name, in every reader;
#    a date with an ordinal day ("November 18th") ends a byline; a rendered author profile
#    gives its name without its job title and bio; a field naming someone else (a reviewed
#    book's author) is no byline.
# 8: authors from a Drupal theme's author fields (and the node owner's name written as a
#    name) when nothing better names them; agency codes in lower case on a plain byline line
#    ("Von dpa", "By afp"), "dpa/AFP" as two agencies; a place after a name ("in Kyiv",
#    "aus Berlin", "à Paris", and on a plain line "By Jane Doe, Berlin") left out of it;
#    no section named "Uncategorized" (WordPress's default, in its languages), "post" or
#    "All", and "Global,Innovation" is a list (its first); a heading whose spans glue a
#    kicker to the headline votes for the titles' spelling of the same words; "with" (avec,
#    mit, con...) between two signatures and "with reporting by" before the second;
#    sections: the site's name beside one ("BBC News - World") and the steps above it in a
#    trail ("Sport > Football") left out, a slug or one-case label spelled as the page shows
#    it or as a name ("us_politics", "WORLD"), og:section/parsely-section/section/microdata
#    metas read, a tag list written as the section and labels like "Breaking News",
#    "Featured", "default" name none, microdata breadcrumbs and a shortened-headline last
#    crumb, and a URL section after a language or generic step ("/de/politik/", "/news/world/").
# 7: on a page with an aside inside an aside, the asides after it leave the body as every
#    other aside does (see extractor.standins).
# 6: plain "By ..."/"Submitted by ..."/"Publié par ..." lines under the headline as bylines,
#    the CMS lead-ins "published/posted/written by" in several languages, and a CMS's own
#    accounts ("admin", "webmaster") no author; paywall subscription boxes, call-to-action
#    buttons, bare CMS field labels and wire "may not be published, broadcast, rewritten or
#    redistributed" trailers leave the body; a live blog's updates (sibling <article>s) are all
#    read, with their titles, as subheadings.
# 5: the time an article was last updated (modified), and a republished copy's "Source link"
#    trailer as its canonical URL; 4: no @handle as a site name; 3: word counts of unspaced
#    scripts (two characters a word), dates out of byline names, listing pages refused,
#    republication notes dropped; 2: subheadings left the body.
EXTRACTOR_VERSION = "12"

from newsarc.extractor.article import extract  # noqa: E402  (article.py reads EXTRACTOR_VERSION)

__all__ = ["EXTRACTOR_VERSION", "extract"]
