"""Boilerplate rules for extracted body text, kept as data.

Each rule names one kind of promo, prompt or trailer that extractors let through into article
text. A rule matches a whole paragraph (one line of the extracted text), never a fragment, so a
body sentence that merely contains the same words ("He said he would read more about it later.")
stays. Rules may be limited to the first or last few paragraphs, and to short paragraphs, since
promos are short and sit at the edges or between paragraphs. A rule marked ``heads_list`` is a
label over a list of links ("You may also like", "DON'T MISS"), or a paywall's prompt over its
offer (the list of what a subscription brings, the button): the headline-like lines after it go
too (see newsarc.extractor.paragraphs). The rules for promos in the other languages are in
``langrules``, and come after these.
"""

from __future__ import annotations

import re

from newsarc.extractor.langrules import OTHER_LANGUAGES
from newsarc.extractor.offers import CTA_BUTTON, PAYWALL_HINTS, PAYWALL_OFFER, PAYWALL_PROMPT
from newsarc.extractor.promowords import (
    AD_LABEL,
    AGENCY,
    DATE_WORD,
    DAYS_MONTHS,
    EMAIL,
    END,
    FIELD_LABEL,
    LIST_LABELS,
    PHOTO_WORDS,
    SEP,
    SOCIAL,
    STOCK,
)
from newsarc.extractor.rulebook import Rule, Where, rx
from newsarc.extractor.trailers import TRAILERS

RULES: tuple[Rule, ...] = (
    Rule(
        "list-label",
        "A label over a list of links: 'You may also like...', 'DON'T MISS', 'Most read'",
        rx(LIST_LABELS + END),
        max_words=8,
        heads_list=True,
    ),
    Rule(
        "read-more",
        "Promo line linking another story: 'READ MORE: <headline>', 'Read more: ...', 'Read also', "
        "'Also Read | <headline>'",
        rx(
            r"((read|see|watch|listen)\s+(more|also|next|this|now)|also\s+(read|see|watch))"
            rf"(\s+(here|about\s+this|on\s+this))?({SEP}.*|\s*(…|\.\.\.)?)"
        ),
        max_words=25,
    ),
    Rule(
        "related",
        "Promo line: 'RELATED: <headline>', 'Related stories: ...', 'Related' alone",
        rx(
            r"related(\s+(stories|story|articles?|content|coverage|links?|reading|news|posts?|"
            r"topics?|video))?(\s*:.*|\s*\u2014.*|\s*\u2013.*|\s*\|.*|)"
        ),
        max_words=25,
    ),
    Rule(
        "more-label",
        "Upper-case promo label: 'MORE: <headline>', 'MORE FROM <site>', 'MORE from <site>', "
        "'ALSO: ...' (not a tabloid lead's first word in capitals: 'MORE than 5,000 cars were "
        "...')",
        re.compile(
            r"(MORE|ALSO|MORE FROM|MORE ON|RECOMMENDED|TRENDING|TOP STORIES)\b"
            r"(?![ \t]+(?!(from|on|about)\b)[a-z]).*",
            re.DOTALL,
        ),
        max_words=20,
    ),
    Rule(
        "more-colon",
        "Promo label with a colon: 'More: <headline>', 'More on this story: ...', 'Top stories:'",
        rx(
            r"(more|more (on|about) (this|that)( story| topic)?|more stories|more from [^:]{1,40}|"
            r"top stories|recommended|trending( now)?|you may also like|you might also like|"
            r"don['\u2019]t miss|also read|editor['\u2019]s picks?)\s*:.*"
        ),
        max_words=25,
    ),
    Rule(
        "tagged-headline",
        "A linked headline with a bracketed tag: 'Plague fears grow [LATEST]', 'Review [Video]'",
        re.compile(
            r".{3,200}?\s*(\[[A-Z][A-Z '-]{2,20}\]|[\[(](?i:video|photos?|gallery|watch|podcast|"
            r"audio|pictures|poll|quiz)[\])])\s*\|?",
            re.DOTALL,
        ),
        max_words=25,
        hints=("[", "("),
    ),
    Rule(
        "also-on-site",
        "Promo line 'Also on <site>: <headline>' (not 'Also on Monday, police ...')",
        rx(
            rf"also on ((?!{DAYS_MONTHS})[^,;:]{{1,40}}?({SEP}.*)?|"
            r"[\w-]+(\.[\w-]+)*\.[a-z]{2,6}\s+.*)"
        ),
        max_words=25,
    ),
    Rule(
        "source-trailer",
        "Aggregator trailer as the last line: 'Source link', 'Source: <outlet>'",
        rx(
            r"(source( link)?|original source|read the original( article)?( here)?|"
            r"source:\s*.{1,80})"
        ),
        where=Where.TAIL,
        max_words=12,
    ),
    Rule(
        "originally-appeared",
        "Republication note as a last line: 'This article originally appeared on <site>.', "
        "'A version of this story was first published in ...', 'Originally published by ...'",
        rx(
            r"((a version of )?this (article|story|piece|post|report|column|interview)"
            r"( was)? (originally|first) (appeared|published|ran|posted)|"
            r"(this (article|story) was )?originally (published|posted|appeared))\b.*"
        ),
        where=Where.TAIL,
        max_words=30,
        hints=("originally", "first"),
    ),
    Rule(
        "follow-us",
        "Social prompts: 'Follow us on Twitter', 'Like us on Facebook', 'Follow <name> on X', "
        "'Join our WhatsApp channel', 'For the latest news: follow us on Google News'",
        rx(
            r"((follow|like|join|find|connect with|subscribe to)\s+(us|[^.]{1,40})\s+(on|at|via)\s+"
            rf"{SOCIAL}\b.*|"
            # after a lead-in about news ("For the latest news: follow us on ..."), not in a
            # quote ("The sign in the window reads: follow us on Instagram.")
            r"(?!.*\b(said|says|told|wrote)\b)[^.!?]{0,60}\b(news|updates?|latest|stories|"
            r"coverage|informed|up to date|miss)\b[^.!?]{0,30}[.:!?]\s+(follow|like|join|find|"
            rf"connect with) us (on|at|via) {SOCIAL}\b.*|"
            rf"(follow|join|subscribe to) our {SOCIAL} "
            r"(channel|group|community|page|account)s?\b.*)"
        ),
        max_words=30,
        hints=("follow", "like", "join", "find", "connect", "subscri"),
    ),
    Rule(
        "newsletter",
        "Newsletter prompts: 'Sign up to our newsletter ...', 'Subscribe to ...'",
        rx(
            r"((.*[.!?]\s+)?(sign up|signup|subscribe|register|get|join)\b"
            r"(?!.*\b(said|says|told)\b)"
            # "register ... by email" is how to register, not a newsletter
            r".*(newsletter|inbox|(?<!by )(?<!via )e-?mail|bulletin|briefing|updates|alerts|digest|"
            r"podcasts?)\b.*|"
            r"(.*[.!?]\s+)?subscribe (to|for|now|today)\b(?!.*\b(said|says|told)\b).*|"
            r"newsletter(\s+sign[- ]?up)?(\s*[:!\u2013\u2014|-].*)?|"
            r"(sign up|subscribe) (here|now|today)\b.*|"
            # the consent line under a sign-up form
            r"by (signing up|subscribing|registering|submitting)\b[^.]{0,60}\byou (agree|accept|"
            r"consent|acknowledge)\b.*)"
        ),
        max_words=45,
        hints=("sign", "subscri", "newsletter", "regist", "get", "join"),
    ),
    Rule(
        "app-promo",
        "App download prompts: 'Download the <site> app for the latest news', 'Get our free app'",
        rx(
            r"(download|get|install) (the|our) (free )?([\w'\u2019.-]+ ){0,4}app\b(?!['\u2019])"
            r"(?!.*\b(said|says|told|urged)\b).*"
        ),
        max_words=30,
        hints=("app",),
    ),
    Rule(
        "media-label",
        "A label over an embedded video, podcast or gallery: 'WATCH: <title>', 'Listen: "
        "<podcast>'; an audio player's 'Listen to this article'",
        rx(
            r"(watch|listen|videos?|vídeos?|audio|podcast|gallery|galeria|photos|in pictures|видео)"
            r"\s*[:|]\s*"
            r"[^.!?]{1,120}[?!]?|"
            # an audio player's label
            r"(listen to|hear) (this |the )?(article|story)(\s*[\u00b7|:,-]?\s*\d+\s*min\w*)?|"
            r"artikel (anhören|vorlesen lassen)|écouter (cet|l')\s?article|"
            r"escuchar (este artículo|la noticia)|ascolta (l'|questo )\s?articolo|"
            r"luister naar dit artikel|ouvir (este artigo|a notícia)|posłuchaj artykułu"
        ),
        max_words=20,
    ),
    Rule(
        "paywall",
        "A paywall's prompt, anywhere: 'Already a subscriber? Log in', 'Continue reading with "
        "Times+', 'Sie haben bereits ein Abo?', 'Weiterlesen mit OA+'; the offer's short lines "
        "after it (its list of benefits, its button) go too",
        rx(PAYWALL_PROMPT + r"\s*[.!…»>]*"),
        max_words=30,
        heads_list=True,
        hints=PAYWALL_HINTS,
    ),
    Rule(
        "paywall-offer",
        "A paywall's offer at the end of the body: 'Try 4 weeks for $1', 'Subscribers only', "
        "'… jederzeit kündbar'; the short lines of its list after it go too",
        rx(PAYWALL_OFFER + r"\s*[.!…»>]*"),
        where=Where.TAIL,
        max_words=30,
        heads_list=True,
        list_tail=True,
        after=("paywall", "paywall-offer"),
        hints=PAYWALL_HINTS,
    ),
    Rule(
        "cta-button",
        "A call-to-action button as the last line: 'Become a member', 'Start your trial', "
        "'Jetzt testen', 'Donate'",
        rx(CTA_BUTTON + r"\s*[.!…»>\u2192]*"),
        where=Where.TAIL,
        max_words=6,
    ),
    Rule(
        "field-label",
        "A CMS field label alone at the end, its values dropped: 'Rubrique', 'Tags', 'Themen'",
        rx(FIELD_LABEL + r"\s*:?"),
        where=Where.TAIL,
        max_words=3,
        heads_list=True,
    ),
    Rule(
        "wire-rights",
        "A wire service's rights trailer as a last line: '... This material may not be "
        "published, broadcast, rewritten or redistributed.'",
        rx(
            r"([\w .,&'-]{1,60} contributed to this (report|story|article)\.\s*)?"
            r"((©|\(c\)|copyright)[^.]{0,80}\.\s*)?(all rights reserved\.?\s*)?"
            r"(this )?(material|article|story|content) (may|must) not be (re)?published,? "
            r"broadcast,? rewritten,? (or|and/or) redistributed\b.*"
        ),
        where=Where.TAIL,
        max_words=40,
        hints=("redistributed",),
    ),
    Rule(
        "standards-trailer",
        "A wire service's pointer to its standards as a last line: 'Our Standards: The Thomson "
        "Reuters Trust Principles.'",
        rx(r"our (editorial )?standards\s*:.*|([\w&.'-]+ ){1,4}trust principles\.?"),
        where=Where.TAIL,
        max_words=12,
        hints=("standards", "principles"),
    ),
    Rule(
        "click-here",
        "Calls to action: 'Click here to ...', '... Click here for more information.'",
        rx(r"((.*[.!?]\s+)?(click|tap) here\b[^.!?]*[.!?]?|.*\bby (clicking|tapping) here\b.*)"),
        max_words=35,
        hints=("click", "tap"),
    ),
    Rule(
        "share",
        "Share prompts: 'Share this article', 'Like this story? Share it ...', 'Share on Facebook'",
        rx(
            r"(share (this|the) (article|story|post|page|video)\b.*|like this (story|article)\?.*|"
            rf"share (on|via|to) {SOCIAL}\b.*|share( this)?|share (article|story)|"
            r"(copy|copied) (link|article link)|(tweet|email|print)( this( article| story)?)?)"
        ),
        max_words=20,
    ),
    Rule(
        "support-us",
        "Membership pitches: 'If you enjoyed this article, ... join', 'Something to consider', "
        "'The Corner Post is funded by its readers.'",
        rx(
            r"(if you (enjoyed|liked|value|appreciated|found value in) (this|our|reading)\b.*|"
            r"enjoyed this (article|story|post)\?.*|something to consider)[.!]?"
        ),
        max_words=70,
        hints=(
            "enjoy",
            "like",
            "value",
            "appreciat",
            "found",
            "consider",
            "funded",
            "supported",
            "powered",
            "possible",
        ),
    ),
    Rule(
        "funded-by-readers",
        "Who pays for the site, as a last line: 'The Corner Post is funded by its readers.', "
        "'KQED is listener-supported.' (in the story's own text such a line is news: a "
        "cooperative funded by its members, a station in a story about funding)",
        rx(
            r"([^.!?]{1,60} is (100% )?(reader|member|listener)[- ](funded|supported|powered)|"
            r"[^.!?]{1,60} is (funded|supported|powered|made possible) (entirely )?by (its |our )?"
            r"(readers|listeners|subscribers)( like you)?)[.!]?"
            # and the call that may follow: "Donate today to keep stories like this coming."
            r"(\s+(donate|support|become|join|subscribe|give|help)\b[^.!?]{0,120}[.!]?)?"
        ),
        where=Where.TAIL,
        max_words=40,
        hints=("funded", "supported", "powered", "possible"),
    ),
    Rule(
        "commission",
        "Shopping disclosures: 'If you buy something through this post, we may get a share ...'",
        rx(
            r"(.*\b(if|when) you (buy|purchase|shop|click|sign up)\b.*\b(may|might|could|will) "
            r"(earn|get|receive|collect|make)\b.*|.*\b(may|might) (earn|get|receive) (a |an )?"
            r"(small )?(share of|commission|portion of)\b.*\b(links?|purchases?|sales?)\b.*)"
        ),
        max_words=50,
        hints=("earn", "get", "receive", "collect", "make"),
    ),
    Rule(
        "comment-prompt",
        "Comment prompts at the end: 'Tell us what YOU think...', 'Leave a comment', '14 comments'",
        rx(
            r"(tell us what you think|leave a (comment|reply)|join the (discussion|conversation)|"
            r"post a comment|add (a|your) comment|(show|view|read|see) (all )?comments|"
            r"(\d+\s+)?comments?|what do you think\??|have your say)"
            r"( (in|on|below)( the)? comments?( section)?( below)?)?\s*[.!…:]*"
        ),
        where=Where.TAIL,
        max_words=10,
    ),
    Rule(
        "tip-line",
        "Author tip lines: 'Have a tip? ...', '<name> may be reached at <email>'",
        rx(
            r"(have a (news )?tip\?.*|got a (news )?tip\?.*|"
            r".{0,80}\b(may|can) be (reached|contacted|emailed) (at|on|via|by)\b.*|"
            rf"(contact|email|e-mail|write to) [^.]{{1,60}}\bat\s+{EMAIL}.*|"
            r"(reach|follow|contact) (the )?(reporter|author|writer|correspondent)s?\b.*)"
        ),
        max_words=45,
        hints=("tip", "reach", "contact", "email", "e-mail", "write", "follow"),
    ),
    Rule(
        "ad-marker",
        "Advertising markers left between paragraphs: 'Advertisement', 'Story continues below'",
        rx(
            rf"((advertisement|advertising|sponsored( content)?|{AD_LABEL})"
            r"(\s*[-\u2013\u2014:|]\s*(continue reading|scroll (down )?to continue|"
            r"(the )?(story|article) continues)( (below|reading))*)?|"
            r"(the )?(story|article) continues (below|after)( (the )?(advertisement|ad))?|"
            r"continue reading( (the )?(main )?story)?( below)?|scroll (down )?to continue.*)"
            r"[.:…]?"
        ),
        max_words=10,
    ),
    Rule(
        "embed-notice",
        "The note an embedded post leaves: 'This content is imported from Instagram. You may be "
        "able to find the same content in another format ...'",
        rx(r"this content is (imported from|created and maintained by)\b.*"),
        max_words=45,
        hints=("content",),
    ),
    Rule(
        "separator",
        "Lines with no words at all: '______', '* * *', '—'",
        re.compile(r"[\W_]+"),
        max_words=20,
    ),
    Rule(
        "shortcode",
        "Unrendered CMS shortcodes: '[button link=...]Send us your review[/button]'",
        re.compile(r".*\[(/[a-z_]+|[a-z_]+\s+[a-z_]+\s*=[^\]]*)\].*", re.DOTALL),
        max_words=40,
        hints=("[",),
    ),
    Rule(
        "tags-line",
        "Filing lines: 'Tags: ...', 'Filed under: ...', 'Categoria: Saúde - Tags: ...'",
        rx(
            r".{0,120}\b(tags|tagged|categor(y|ies|ia|ie)|filed under|posted in|schlagw(ö|oe)rter|"
            r"etichette|temas|themen)\s*:.*"
        ),
        where=Where.EDGES,
        max_words=30,
        hints=("tag", "categor", "filed", "posted", "schlagw", "etichette", "temas", "themen"),
    ),
    Rule(
        "caption-credit",
        "Photo/video credit lines: 'Photo: Getty Images', 'Image copyright AFP', '(Credit: AP)'",
        rx(
            r"\(?\s*((photo|image|picture|photograph|video|graphic|illustration)s?"
            r"(\s+(credit|copyright|source|by|courtesy( of)?|caption))?\s*[:©/]?\s*|credit\s*:\s*|"
            r"©\s*)[^.!?]{1,80}\)?|"
            rf"{PHOTO_WORDS}\s*[:©/]\s*[^.!?]{{1,80}}|fot\.\s*[^.!?]{{1,80}}|"
            rf"\(\s*{PHOTO_WORDS}\s[^.!?()]{{1,60}}\)|"
            # a stock library alone; an agency after or before a photographer's name
            rf"\(?\s*({STOCK}|[^.!?()/]{{1,60}}\s*/\s*{AGENCY}|{AGENCY} via getty images|"
            rf"{AGENCY}( (photo|foto|images))?\s*/\s*[^.!?()/]{{1,60}})\s*\)?"
        ),
        max_words=14,
    ),
    Rule(
        "byline",
        "A byline left at the start of the body: 'By Jane Smith', 'Von Jana Hoffmann · 20.02.2024'",
        re.compile(
            rf"(By|BY|Von|VON|Par|PAR|Por|POR|Door|Di|Af|Av)\s+(?!(?i:{DAYS_MONTHS}))"
            r"[A-Z\u00c0-\u024f][\w.'\u2019-]*"
            r"(\s+(and|&|und|et|y|e|en)?\s*[A-Z\u00c0-\u024f][\w.'\u2019-]*){0,7}"
            r"(\s*[,|\u00b7\u2022\u2013\u2014-]\s*(?:(?!\.\s)[^!?]){0,80})?(?<![a-z]\.)",
            re.DOTALL,
        ),
        where=Where.HEAD,
        max_words=16,
    ),
    Rule(
        "dateline",
        "A date/time line left at the start or end of the body: 'Updated at 1:23 p.m.'",
        rx(
            r"((published|updated|posted|last updated|first published|veröffentlicht|"
            r"aktualisiert|stand|publié|mis à jour|publicado|actualizado)"
            r"(\s+(on|at|am|um|le|el))?\s*:?\s*)?"
            # "3h ago": hours and minutes written short
            rf"(?=.*\d)({DATE_WORD}|\d+(st|nd|rd|th|\.|h|m|d|hrs?|mins?)?|"
            r"[\s,.:|\u00b7\u2022/()-]|\bat\b|\bum\b|"
            r"\bà\b)+"
        ),
        where=Where.EDGES,
        max_words=14,
    ),
    *TRAILERS,
    *OTHER_LANGUAGES,
)
