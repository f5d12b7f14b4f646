"""Boilerplate rules for promos written in the other languages the rules cover (German, French,
Spanish, Italian, Dutch, Portuguese, Polish; for promo lines, social prompts, share buttons,
advertising labels, photo, source and rights lines also Russian, Ukrainian, Turkish, Arabic,
Indonesian, Hindi, Japanese, Chinese and Korean): promo lines, social and newsletter prompts,
share buttons, republication notes, credit and rights trailers. Kept as data beside the
English rules of ``boilerplate``, which takes them in after its own; their words are in
``promowords``.
"""

from __future__ import annotations

import re

from newsarc.extractor.promowords import (
    BRACKETED,
    CLICK_HERE,
    CLICK_HERE_HINTS,
    COMMENT_WORDS,
    CREDIT_LABEL,
    EMAIL,
    FIRST_PUBLISHED,
    FOLLOW_US,
    LEAD_MARK,
    NEWSLETTER_PROMPT,
    NO_REPRODUCTION,
    READ_ALSO,
    SHARE_WORDS,
    SOCIAL,
    WORLD_FOLLOW,
    WORLD_PHOTO_CREDIT,
    WORLD_SOCIAL,
    WORLD_SOCIAL_HINTS,
)
from newsarc.extractor.rulebook import Rule, Where, rx

OTHER_LANGUAGES: tuple[Rule, ...] = (
    Rule(
        "read-more-other-languages",
        "The same promo in other languages: 'Lesen Sie auch:', 'Lire aussi :', 'Leer más:', "
        "'Te puede interesar:', 'Zobacz też:', 'Читайте також:', 'Baca Juga:', 'यह भी पढ़ें:', "
        "'相关阅读：', '▶ 관련기사 :', '【関連記事】<headline>', 'A LIRE AUSSI. <headline>' ...",
        rx(
            rf"{LEAD_MARK}({READ_ALSO}\s*[:：.\-\u2013\u2014»>|]+|{BRACKETED}{READ_ALSO}\s*[\]】〕］]"
            r"\s*[:：]?).*"
        ),
        max_words=25,
    ),
    Rule(
        "read-more-capitals",
        "The same promo's label in capitals, run into the headline: 'LEGGI ANCHE <headline>', "
        "'LEIA TAMBÉM <headline>' (in capitals a label, not a sentence)",
        re.compile(
            r"(READ MORE|ALSO READ|READ ALSO|LEGGI ANCHE|LEIA TAMBÉM|VEJA TAMBÉM|LEA TAMBIÉN|"
            r"LEE TAMBIÉN|(À |A )?LIRE AUSSI|LESEN SIE AUCH|LEES OOK|CZYTAJ (TEŻ|TAKŻE)|"
            r"ZOBACZ (TEŻ|TAKŻE)|BACA JUGA)\s+\S.*",
            re.DOTALL,
        ),
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
        "follow-us-world",
        "Social prompts in other scripts and wordings: 'Подписывайтесь на наш канал в Telegram', "
        "'Bizi Google News\\'ten takip edin', 'Simak berita lainnya di Google News', 'Siga a "
        "<site> no Instagram', '네이버에서 ...를 구독하세요'",
        rx(rf"(?=.*({WORLD_FOLLOW}|{FOLLOW_US})).*{WORLD_SOCIAL}.*"),
        max_words=35,
        hints=WORLD_SOCIAL_HINTS,
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
    Rule(
        "photo-credit-world",
        "A photo credit in other scripts: 'Фото: пресс-служба ...', 'Fotoğraf: AA', "
        "'（写真：共同）', '（圖／記者...攝）', '사진=연합뉴스'",
        rx(WORLD_PHOTO_CREDIT),
        max_words=14,
    ),
    Rule(
        "credit-trailer",
        "A source's or editor's credit as a last line: 'Источник: ТАСС', "
        "'Kaynak: Anadolu Ajansı', '来源：新华社', '责任编辑：王芳', '(Editor: Budi Santoso)'",
        rx(rf"[(（]?\s*{CREDIT_LABEL}\s*[:：]\s*[^\n]{{1,80}}?\s*[)）]?"),
        where=Where.TAIL,
        max_words=12,
    ),
    Rule(
        "reporter-signoff",
        "A Korean reporter's sign-off as a last line: '김민준 기자 minjun@example.co.kr'",
        rx(rf"\S{{2,5}}\s?기자\s*[(<]?\s*({EMAIL})?\s*[)>]?"),
        where=Where.TAIL,
        max_words=4,
    ),
    Rule(
        "no-reproduction",
        "The ban on reproduction as a last line: 'ⓒ <paper>, 무단전재 및 재배포 금지', "
        "'無断転載禁止', '未经授权不得转载' (the rights notice alone stays, as in English)",
        rx(NO_REPRODUCTION),
        where=Where.TAIL,
        max_words=15,
    ),
    Rule(
        "comment-prompt-other-languages",
        "A comment button or counter left alone at the end: 'Reageer', 'Comentarios (12)', "
        "'Yorumlar', '댓글'",
        rx(rf"(\d+\s*)?{COMMENT_WORDS}\s*[(\[]?\d*[)\]]?\s*[.:!]*"),
        where=Where.TAIL,
        max_words=4,
    ),
    Rule(
        "urgency-label",
        "A wire flash's urgency label on a line of its own at the top: 'URGENT', 'BREAKING "
        "NEWS:', '+++ Eilmeldung +++', 'ÚLTIMA HORA', 'SON DAKİKA', 'СРОЧНО', 'عاجل', '速報'",
        rx(
            r"[+■●•*\s]*(urgent|breaking|breaking news|just in|developing|developing story|flash|"
            r"news alert|eilmeldung|alerte|alerte info|dernière minute|última hora|urgente|"
            r"ultim'ora|ultima ora|pilne|son dakika|flaş|flaş haber|срочно|терміново|عاجل|"
            r"מבזק|速報|快讯|突发|속보)[\s:!.+■●•*]*"
        ),
        where=Where.HEAD,
        max_words=3,
    ),
    Rule(
        "trust-badge",
        "The Trust Project's badge, whose logo is an image: 'Conforme a los criterios de', "
        "'Conforme a los criterios de The Trust Project Saber más' (a sentence never ends on "
        "'de')",
        rx(
            r"conforme a los criterios de(\s+the trust project)?"
            r"(\s*[|·•-]?\s*(saber más|más información|¿por qué confiar\?))?\.?"
        ),
        max_words=12,
        hints=("criterios",),
    ),
    Rule(
        "click-here-other-languages",
        "'Click here' in other languages: 'Haberin devamı için tıklayınız', 'Clique aqui e "
        "receba ...', 'Cliquez ici pour ...'",
        rx(rf"[^.!?]{{0,150}}{CLICK_HERE}[^.!?]{{0,150}}[.!?]?"),
        max_words=25,
        hints=CLICK_HERE_HINTS,
    ),
)
