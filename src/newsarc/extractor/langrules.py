"""Boilerplate rules for promos written in the other languages the rules cover (German, French,
Spanish, Italian, Dutch, Portuguese, Polish): promo lines, social and newsletter prompts, share
buttons, republication notes. Kept as data beside the English rules of ``boilerplate``, which
takes them in after its own; their words are in ``promowords``.
"""

from __future__ import annotations

from newsarc.extractor.promowords import (
    FIRST_PUBLISHED,
    FOLLOW_US,
    NEWSLETTER_PROMPT,
    READ_ALSO,
    SHARE_WORDS,
    SOCIAL,
)
from newsarc.extractor.rulebook import Rule, Where, rx

OTHER_LANGUAGES: tuple[Rule, ...] = (
    Rule(
        "read-more-other-languages",
        "The same promo in other languages: 'Lesen Sie auch:', 'Lire aussi :', 'Leer más:', "
        "'Te puede interesar:', 'Zobacz też:' ...",
        rx(READ_ALSO + r"\s*[:\-\u2013\u2014»>|]+.*"),
        max_words=25,
    ),
    Rule(
        "follow-us-other-languages",
        "Social prompts in other languages: 'Folgen Sie uns auf Facebook', 'Síguenos en Twitter', "
        "'Seguici su Instagram', 'Obserwuj nas w Google News'",
        rx(FOLLOW_US + rf"\b.*\b{SOCIAL}\b.*"),
        max_words=25,
    ),
    Rule(
        "newsletter-other-languages",
        "Newsletter prompts in other languages: 'Newsletter abonnieren: ...', 'Suscríbete a "
        "nuestro boletín ...', 'Schrijf je in voor onze nieuwsbrief ...'",
        rx(NEWSLETTER_PROMPT + r"\b.*"),
        max_words=40,
        hints=("newsletter", "boletín", "nieuwsbrief", "lettre"),
    ),
    Rule(
        "share-other-languages",
        "Share buttons in other languages: 'Artikel teilen', 'Partager cet article', 'Deel dit "
        "artikel', 'Compartilhe esta notícia', 'Udostępnij'",
        rx(SHARE_WORDS + rf"(\s+(auf|sur|en|su|op|no|na|w)\s+{SOCIAL})?\s*[:.…]?"),
        max_words=8,
    ),
    Rule(
        "originally-appeared-other-languages",
        "The republication note in other languages: 'Cet article a été initialement publié sur "
        "...', 'Dieser Artikel erschien zuerst bei ...', 'Publicado originalmente en ...'",
        rx(FIRST_PUBLISHED),
        where=Where.TAIL,
        max_words=30,
        hints=(
            "initialement",
            "originellement",
            "originalement",
            "d'abord",
            "zuerst",
            "ursprünglich",
            "erstmals",
            "originalmente",
            "originariamente",
            "primera",
            "inizialmente",
            "prima",
            "eerder",
            "oorspronkelijk",
            "eerst",
            "inicialmente",
            "pierwotnie",
            "pierwszy",
        ),
    ),
)
