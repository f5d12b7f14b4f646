"""The boilerplate rules: each removes its promo lines and leaves body sentences alone."""

from __future__ import annotations

import pytest

from newsarc.extractor.boilerplate import RULES
from newsarc.extractor.paragraphs import strip_boilerplate
from newsarc.extractor.rulebook import Where
from newsarc.extractor.rulematch import matching_rule, rule
from newsarc.extractor.textprint import fingerprint

# Lines each rule must remove, as the middle paragraph of a long body (or at its edge for
# head/tail rules).
REMOVED: dict[str, list[str]] = {
    "list-label": [
        "You may also like...",
        "DON'T MISS",
        "READ MORE",
        "Read more…",
        "Related",
        "Most read",
        "More from The Hill",
        "Recommended for you:",
        "Lesen Sie mehr",
        "MORE FROM THE HILL",
        "MORE from The Harbor Times",
        "TOP STORIES",
        "Czytaj więcej",
        "Te puede interesar",
        "Noticias relacionadas",
        "Weitere Artikel",
        "Gerelateerde artikelen",
    ],
    "read-more": [
        "READ MORE: Queues at Russia’s borders seen from space",
        "Read more: Why the price of eggs keeps rising",
        "Read also - Ten things we learned this week",
        "See also: The best budget phones of the year",
        "Watch more: Storm footage from the coast",
        "Also Read | Airport expansion to add second terminal by 2028",
    ],
    "read-more-other-languages": [
        "Lesen Sie auch: Neue Leitung für das Stadtmuseum gefunden",
        "Mehr zum Thema: Was die Reform für Mieter bedeutet",
        "Lire aussi : La réforme des retraites adoptée",
        "Leer más: Las claves del nuevo presupuesto",
        "Читайте также: На набережной появятся новые велодорожки",
        "Te puede interesar: El Ayuntamiento estudia una tasa turística",
        "Zobacz też: Stocznia zatrudni kolejnych pracowników",
        "Czytaj więcej: Obwodnica miasta coraz bliżej",
        "Leia mais: Tarifa de ônibus sobe em março",
        "Lees meer | Parkeergarage bij station gaat dicht",
        "Sur le même sujet : Faut-il climatiser les écoles ?",
        "Ti potrebbe interessare: Come ottenere il rimborso del biglietto",
        "Veja também: Novo terminal de contêineres é inaugurado",
        "Polecamy: Zmiany w rozkładach autobusów od marca",
    ],
    "related": [
        "RELATED: How to photograph the night sky with a phone",
        "Related: Five things to know about the budget",
        "Related stories: Storm damage in pictures",
        "Related Coverage | The vote, explained",
    ],
    "more-label": [
        "MORE: The best telescopes for beginners under £300",
        "ALSO: Police name the driver",
        "TRENDING: Storm hits the coast overnight",
        "RECOMMENDED: The ten best hikes in Wales",
        "ALSO on Northfield Review: the week in pictures",
        "MORE about the candidates",
    ],
    "more-colon": [
        "More: Inside the race to build a better battery",
        "More on this story: what happens next",
        "Top stories: Markets fall on rate fears",
        "You may also like: Ten walks in the Lake District",
        "Don't miss: The week in pictures",
    ],
    "tagged-headline": [
        "Plague fears: Holidaymakers die after eating marmot [INSIGHT]",
        "China furious at Macron for Hong Kong protest jibe [INSIGHT]|",
        "Audio-Technica ATH-G1WL Review: My new go-to wireless gaming headset [Video]",
        "Storm hits the coast (PHOTOS)",
    ],
    "also-on-site": [
        "Also on Skywatch Weekly: The meteor showers worth staying up for this summer",
        "Also on rt.com – Protesters clash with police in the capital",
        "Also on NBC News",
        "Also on rt.com Journalists threatened with arrest as new government takes over",
    ],
    "source-trailer": ["Source link", "Source: Reuters", "Source", "Read the original article"],
    "originally-appeared": [
        "This article originally appeared on The Northern Gazette.",
        "A version of this story was first published in The Guardian.",
        "Originally published by The Conversation.",
        "This story was originally published on March 3, 2024.",
    ],
    "originally-appeared-other-languages": [
        "Cet article a été initialement publié sur le site de La Gazette des Cimes.",
        "Dieser Artikel erschien zuerst bei der Rheinischen Rundschau.",
        "Publicado originalmente en El Diario del Valle.",
        "Questo articolo è stato pubblicato originariamente su La Voce.",
        "Dit artikel verscheen eerder in de Haagse Post.",
        "Este artigo foi publicado originalmente no Jornal do Planalto.",
    ],
    "newsletter": [
        "Sign up to our newsletter for the day's top stories, straight to your inbox.",
        "Subscribe to our daily briefing",
        "Get our free Morning Edition newsletter",
        "Start your day with our briefing. Sign up for the free daily newsletter.",
        "Sign up for breaking news alerts",
        "Newsletter: the best of the week, every Friday",
        "Subscribe now",
        "Subscribe on Apple Podcasts or Spotify",
        "By signing up, you agree to our Privacy Policy and Terms of Use.",
    ],
    "newsletter-other-languages": [
        "Newsletter abonnieren: Die wichtigsten Nachrichten aus der Region jeden Morgen.",
        "Suscríbete a nuestro boletín y recibe las noticias más importantes en tu correo.",
        "Schrijf je in voor onze nieuwsbrief en ontvang elke ochtend het laatste nieuws.",
        "Assine a nossa newsletter e receba as principais notícias todas as manhãs.",
        "Inscrivez-vous à notre newsletter",
        "Iscriviti alla newsletter",
    ],
    "app-promo": [
        "Download the Highland Post app for the latest travel updates and breaking news.",
        "Get the free Evening Beacon app",
        "Install our app for breaking news alerts",
    ],
    "media-label": [
        "WATCH: How the free meals pilot works",
        "Listen: The Beacon Briefing podcast",
        "Video | Flooding in the town centre",
        "In pictures: The lantern festival",
        "Listen to this article",
        "Listen to article · 5 min",
        "Artikel anhören",
    ],
    "support-us": [
        "If you enjoyed this article, we have a proposition for you: Join our members' club.",
        "Something to Consider",
        "Enjoyed this article? Buy us a coffee.",
    ],
    "funded-by-readers": [
        "The Corner Post is funded by its readers.",
        "The Valley Dispatch is reader-funded.",
        "KQED is listener-supported.",
    ],
    "commission": [
        "If you buy something through this post, IGN may get a share of the sale.",
        "We may earn a commission from links on this page.",
        "When you buy through links on our site, we may earn an affiliate commission.",
    ],
    "comment-prompt": ["Tell us what YOU think...", "comments", "14 Comments", "Leave a comment"],
    "separator": ["______________________________", "* * *", "—"],
    "shortcode": [
        "[button link=”http://example.com/submit/” type=”big”] Send us YOUR review[/button]",
        '[caption id="attachment_12" align="alignnone"] A view of the bay',
        "Watch the trailer [/embed]",
    ],
    "tags-line": [
        "05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad",
        "Tags: Russia, Georgia, Ukraine war",
        "Filed under: Politics",
    ],
    "follow-us": [
        "Follow us on Twitter",
        "Follow us on Instagram and Twitter for more stories from the road.",
        "Like us on Facebook",
        "Follow Jane Smith on X",
        "Join us on Telegram for the latest updates",
        "Join our WhatsApp channel for breaking news from across the prairie.",
        "Stay up to date with the latest news: follow us on Google News.",
    ],
    "follow-us-other-languages": [
        "Folgen Sie uns auf Facebook und Instagram!",
        "Suivez-nous sur Facebook et Instagram",
        "Síguenos en Twitter y Facebook",
        "Seguici su Facebook e Instagram",
        "Volg ons op Facebook en Instagram",
        "Siga-nos no Instagram e no Facebook",
        "Obserwuj nas w Google News",
    ],
    "paywall": [
        "Continue reading with Times+",
        "Already a subscriber? Log in",
        "This article is only available to subscribers.",
        "Weiterlesen mit OA+",
        "Sie haben bereits ein Abo? Jetzt anmelden",
        "Dieser Artikel ist exklusiv für Abonnenten.",
        "Dieser Beitrag ist nur für Abonnenten.",
        "Déjà abonné ? Se connecter",
        "Il vous reste 78% de cet article à lire. La suite est réservée aux abonnés.",
        "¿Ya eres suscriptor? Inicia sesión",
        "Sei già abbonato? Accedi",
    ],
    "paywall-offer": [
        "Try 4 weeks for $1. Then $9.99 a month, cancel anytime.",
        "Jetzt 4 Wochen für 0,99 € testen. Danach 9,99 € im Monat, jederzeit kündbar.",
        "Subscribers only",
        "Nur für Abonnenten",
        "Exclusivo para suscriptores",
    ],
    "cta-button": [
        "Become a member",
        "Start your trial",
        "Jetzt testen",
        "Donate now",
        "Abonnez-vous",
    ],
    "field-label": ["Rubrique", "Tags", "Schlagwörter", "Mots-clés"],
    "wire-rights": [
        "Copyright 2026 Harbor Daily. All rights reserved. This material may not be published, "
        "broadcast, rewritten or redistributed.",
        "© 2019 Associated Press. All Rights Reserved. This material may not be published, "
        "broadcast, rewritten, or redistributed.",
        "The Associated Press contributed to this report. Copyright 2024 The Associated Press. "
        "All rights reserved. This material may not be published, broadcast, rewritten or "
        "redistributed without permission.",
    ],
    "standards-trailer": [
        "Our Standards: The Thomson Reuters Trust Principles.",
        "Our editorial standards: how we report and correct",
        "The Global Wire Trust Principles.",
    ],
    "click-here": [
        "Click here to get our best travel features in your inbox every Friday.",
        "Click here for the latest news on the election",
        "Tap here to watch the video",
        "Get the magazine through your letterbox. 12 issues for £11.99. Click here for more.",
        "GET FOX BUSINESS ON THE GO BY CLICKING HERE",
    ],
    "share": [
        "Share this article",
        "Like this story? Share it with a friend who bakes.",
        "Share on Facebook",
        "Share",
        "Copy link",
        "Share this story on WhatsApp",
    ],
    "share-other-languages": [
        "Artikel teilen",
        "Partager cet article",
        "Deel dit artikel",
        "Compartilhe esta notícia",
        "Udostępnij",
        "Condividi su Facebook",
    ],
    "tip-line": [
        "Have a tip about local government? Aisha Rahman may be reached at arahman@example.com.",
        "Have a tip? Send it to tips@example.com",
        "John Doe can be reached at jdoe@example.com or on Twitter @jdoe.",
        "Contact the reporter at jsmith@example.org",
        "Got a news tip? Email us at news@example.com",
    ],
    "ad-marker": [
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Continue reading the main story",
        "Anzeige",
        "Scroll to continue with content",
        "Pubblicità",
        "Publicidade",
        "Advertentie",
        "Reklama",
        "Advertisement - Continue Reading Below",
        "ADVERTISEMENT - SCROLL TO CONTINUE READING",
    ],
    "embed-notice": [
        "This content is imported from Instagram. You may be able to find the same content in "
        "another format, or you may be able to find more information, at their web site.",
        "This content is imported from YouTube.",
        "This content is created and maintained by a third party, and imported onto this page "
        "to help users provide their email addresses.",
    ],
    "caption-credit": [
        "Photo: Colin Brewster",
        "(Photo: Getty Images)",
        "Image copyright Getty Images",
        "Photograph: Jane Doe/The Guardian",
        "Credit: Reuters",
        "© AFP",
        "Foto: EFE / Marta Ruiz",
        "Fot. PAP/Marcin Bielecki",
        "(Foto Ansa)",
        "Crédit photo : Pierre Martin",
        "Bild: Christian Müller/dpa",
        "Getty Images",
        "Jane Roe / Getty Images",
        "(AP Photo/Sue Ogrocki)",
        "AFP via Getty Images",
    ],
    "byline": [
        "By Jane Smith",
        "By Jane Smith and John Doe, Reuters",
        "BY MARIA GARCIA | Associated Press",
        "Von Jana Hoffmann · 20.02.2024, 18:45 Uhr",
        "By Daniel Okafor, 8 June 2024",
    ],
    "dateline": [
        "March 14, 2024 at 5:30 a.m. EDT",
        "Updated: 3:45 PM ET, Tue November 19, 2019",
        "Donnerstag, 20. Februar 2024, 18:45 Uhr",
        "Jan 9, 2024 · 5 min read",
        "Published 2 hours ago",
        "First Published: 04 Mar 2026, 10:32 AM IST",
        "Posted 3h ago, updated 1h ago",
    ],
    # found by the QA pass on 50 pages of many CMSs in 17 languages (session 15)
    "read-more-capitals": [
        "LEGGI ANCHE Sciopero dei trasporti venerdì",
        "LEIA TAMBÉM Temporal derruba árvores",
        "BACA JUGA Pemerintah tambah stok beras",
    ],
    "follow-us-world": [
        "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать главные новости.",
        "Bizi Google News'ten takip edin",
        "تابعونا على فيسبوك وتويتر",
        "Simak berita dan artikel lainnya di Google News",
        "ताज़ा खबरों के लिए हमें Google News पर फॉलो करें",
        "네이버에서 매일비즈를 구독하세요",
        "Siga a Folha do Interior no Instagram e no Facebook",
        "Síguenos en Google Noticias para mantenerte informado",
    ],
    "photo-credit-world": [
        "Фото: пресс-служба министерства транспорта",
        "Fotoğraf: AA",
        "（写真：共同）",
        "（圖／記者陳怡君攝）",
        "사진=연합뉴스",
    ],
    "credit-trailer": [
        "Источник: ТАСС",
        "Kaynak: Anadolu Ajansı",
        "来源：新华社",
        "责任编辑：王芳",
        "(Editor: Budi Santoso)",
        "Źródło: PAP",
    ],
    "reporter-signoff": [
        "김민준 기자 minjun@hangukilbo.example",
        "이서연 기자",
        "박지훈 기자 (jihoon@example.co.kr)",
    ],
    "no-reproduction": [
        "ⓒ 한국일보, 무단전재 및 재배포 금지",
        "무단 전재-재배포 금지",
        "無断転載禁止",
        "未经授权不得转载",
    ],
    "comment-prompt-other-languages": ["Reageer", "Comentarios (12)", "Yorumlar", "댓글"],
    "click-here-other-languages": [
        "Haberin devamı için tıklayınız",
        "Clique aqui e receba as notícias do dia.",
        "Cliquez ici pour recevoir nos alertes.",
    ],
    "newsletter-label": [
        "Newsletter La Province Matin",
        "Newsletter The Morning Briefing",
        "Newsletters from the Gazette",
    ],
    "post-appeared-first": [
        "The post County board delays vote on jail expansion appeared first on Cedar Falls Beacon.",
        "The post Ten hikes for spring appeared first on Trail Notes.",
        "The post Why rates fell appeared first on Market Ledger | Business news.",
    ],
    "syndicated-feed": [
        "(Except for the headline, this story has not been edited by Desh Times staff and is "
        "published from a syndicated feed.)",
        "(This story has not been edited by Daily staff and is auto-generated from a syndicated "
        "feed.)",
        "This article has not been edited by our staff and is published from a wire feed.",
    ],
    "auto-aggregated": [
        "Disclaimer: This story is auto-aggregated by a computer program and has not been "
        "created or edited by NewsFeed Hub.",
        "This news item was automatically generated from a press release feed.",
        "This post was auto-generated from the original source.",
    ],
    "catch-all-news": [
        "Catch all the Business News, Market News, Breaking News Events and Latest News Updates "
        "on Mint Current. Download The Mint Current News App to get Daily Market Updates.",
        "Catch the latest Cricket News on Sports Today.",
        "Catch all the Technology News and Updates on Live Tech.",
    ],
    "hub-link": [
        "Find more coverage of state government at https://wire.example/hub/state-government",
        "See all of our election stories: https://example.com/elections",
        "Follow more climate news at https://example.com/climate",
    ],
    "loading": ["Loading...", "Loading form…", "Loading video..."],
    "widget-button": ["Follow", "Listen", "1.2K"],
    "urgency-label": ["URGENT", "BREAKING NEWS:", "+++ Eilmeldung +++", "ÚLTIMA HORA", "速報"],
    "trust-badge": [
        "Conforme a los criterios de",
        "Conforme a los criterios de The Trust Project Saber más",
        "Conforme a los criterios de · Más información",
    ],
}

# Body sentences that share words with a rule and must stay, even as the last or first line.
KEPT = [
    "Urgent repairs closed the bridge.",
    "Developing countries pay more.",
    "Conforme a los criterios de la OMS.",
    "Conforme a los criterios de la OMS, el país ha superado la fase de contención.",
    "He said he would read more about it later.",
    "Readers who want to read more about the case can find the ruling on the court's website, "
    "which was published on Monday.",
    "Related charges were filed against two other men on Friday.",
    "More than 200 people were evacuated from the building after the fire started.",
    "Also on Monday, police arrested a second suspect in the case.",
    "Also on the agenda: a vote on the new parking rules.",
    "The source of the leak has not been found, engineers said.",
    "Sources close to the minister said she would not resign.",
    "More people subscribe to streaming services than to cable television, a survey found.",
    "Customers who subscribe to the premium plan will pay $5 more a month from June.",
    "She told reporters to follow the money, and they did.",
    "Readers were told to click here and there on the old site, which confused many of them.",
    "Shares in the company fell 4 percent on Tuesday after the results were published.",
    "The company said its share of the market had doubled since 2019.",
    "Officials may be reached for comment later in the week, a spokesman said.",
    "Advertising revenue fell by a third in the last quarter, the company said.",
    "Photographs of the scene showed a burned-out car and a damaged shop front.",
    "By the time police arrived, the men had fled in a grey van towards the motorway.",
    "By Monday, more than 3,000 people had signed the petition.",
    "In 2019, 12 people died on the road.",
    "On March 14, 2024, the council voted to approve the plan after a long debate.",
    "Newsletters and magazines were among the first things cut when the budget shrank.",
    "The company released its annual report [PDF] on Monday, showing a loss.",
    "The price tag: $5 million, officials said on Tuesday.",
    "Officials at the World Health Organization (WHO) said the risk was low.",
    "The firm will get a share of the profits under the new deal, analysts said.",
    '"I think I [sic] was right," he wrote in the letter to the board.',
    "She said the comments were taken out of context and she would not apologise.",
    "The site said: 'Click here to claim your prize.' Police said it was a scam.",
    "More in store for fans as the band announces a second night",
    "Twitter users were quick to follow the story on Facebook as it unfolded on Monday.",
    "Copyright lawyers said the ruling would be appealed.",
    # A rights notice is the article's own: the extraction benchmark's truth keeps it as text
    # (and a wire service's "may not be published, broadcast, rewritten or redistributed" too,
    # which the wire-rights rule removes all the same: it is no part of the story).
    "Copyright 2019 Hawaii News Now. All rights reserved.",
    # Subscriptions and prices as news, and questions to members in a story.
    "Subscribers can cancel at any time, the company said, but few do.",
    "The service costs $9.99 a month and can be cancelled at any time, the company said.",
    "Already a member of the council, she was elected mayor in 2019.",
    "Try four weeks for free, the advert said; the court called it misleading.",
    "Sie haben bereits ein Abo abgeschlossen, sagte der Sprecher des Verlags.",
    "Das Deutschlandticket ist monatlich kündbar und kostet 49 Euro.",
    "Das Ticket kostet 49 € und ist monatlich kündbar.",
    "The plan costs $5 a month, and you can cancel anytime, the company said.",
    "Weiterlesen wollte er nicht, sagte sie.",
    "Les abonnés ont déjà reçu un courriel de la direction, selon le syndicat.",
    "Become a member of the club and you get free parking, the council said.",
    "Tags on the stolen bikes led police to the warehouse.",
    "The hospital is funded by its members and the state, officials said.",
    "The story first appeared in a local newspaper in 1998, police said.",
    "The photos were originally meant for a family album, she said.",
    # "members only", "für Mitglieder", "solo para suscriptores" opening a sentence of the story
    "Members only will be allowed to vote on the motion, the party said.",
    "Der Beitrag ist für Mitglieder verpflichtend, sagte der Vorstand.",
    "Solo para suscriptores de Netflix, la nueva función estará disponible desde el lunes.",
    "Riservato agli abbonati Sky, il nuovo canale partirà a settembre con tre serie.",
    # found by an adversarial QA pass on hand-written stories
    "Members only, the sign says.",
    "Already registered? You do not need to do anything else before polling day.",
    "Keep reading with them every night, she says.",
    "This article is available to subscribers of the print edition as a free e-paper, the "
    "publisher said.",
    "Nur für Abonnenten des Jahrestarifs bleibt der Preis bis Ende 2027 gleich.",
    "Der Beitrag ist für Abonnenten mit Familienkonto um drei Euro gestiegen.",
    "Solo para suscriptores del plan Premium, por ahora.",
    "Riservato agli abbonati Sky, per ora.",
    "The cooperative is funded entirely by its members.",
    "Der Beitrag ist für Abonnenten gleich geblieben.",
    # A tabloid lead sets its first word in capitals; it is no "MORE:" or "ALSO:" label.
    "MORE than 5,000 cars were stuck in queues of up to six miles at the port yesterday.",
    "ALSO hit were coach passengers, many of whom missed their sailings and had to wait.",
    # found by a QA pass on hand-written stories in eight languages
    "Read more of the letters, and a different man emerges: anxious about money.",
    "Watch this space: the archive plans to publish a selection of the letters next year.",
    "Download the NHS app to book appointments, the health service urged.",
    "Get the app's settings right before you travel, experts advise.",
    "The group's message was simple: join us on Telegram, the organisers said.",
    "The sign in the window reads: follow us on Instagram.",
    "Video: it is how the business grew, and she does not plan to stop.",
    "The AP/NORC poll found support at 40 per cent.",
    "Die Polizei erstattete Anzeige gegen den Fahrer.",
    "Teilen wollte der Bürgermeister die Kosten nicht.",
    "Foto di gruppo alla fine della cerimonia, poi la cena in piazza.",
    # A wire story's credits name its reporters and editors: part of the record, not a promo.
    "Reporting by Andrea Wozniak in London; Editing by Paul Lindqvist",
    # found by the QA pass on 50 pages of many CMSs in 17 languages (session 15)
    "Register by May 31 at any school office or by email to the district's nutrition office.",
    "Реклама на опорах моста после ремонта будет запрещена, добавили в министерстве.",
    "إعلان الهيئة جاء بعد أشهر من المفاوضات مع شركات الشحن العالمية.",
    "Kaynak sularının hat güzergahında yer alması nedeniyle bazı istasyonların yeri değiştirildi.",
    "Follow the instructions on the district's website to apply.",
    "Copyright 2026 Lakeside Media Group. All rights reserved.",
    "Copyright infringement claims rose by a third last year.",
    "Publisher: Knopf, 352 pages, $30",
    "The newsletter was first printed in 1962.",
    "Loading the trucks took most of the night.",
    "Subscribers to the service pay $9 a month, the company said.",
    "Он подписался на канал в Telegram ещё в прошлом году, рассказал следователь.",
    "Die Redaktion hat die Quelle geprüft: Sie ist echt.",
    "Lesen Sie weiter, sagte der Lehrer zu den Kindern.",
    "This is a premium product available to members of the club, the owner said.",
    "Schools in three counties will stay closed on Monday. Copyright 2026 The Associated Press. "
    "All rights reserved. This material may not be published, broadcast, rewritten or "
    "redistributed.",
]


def body_with(line: str, position: str) -> list[str]:
    filler = [
        f"Paragraph {i} of a long article body goes on for a while, as bodies do." for i in range(8)
    ]
    if position == "head":
        return [line, *filler]
    if position == "tail":
        return [*filler, line]
    return [*filler[:4], line, *filler[4:]]


def test_every_rule_has_examples_and_a_description() -> None:
    assert set(REMOVED) == {r.name for r in RULES}
    for r in RULES:
        assert r.description and r.max_words > 0
        assert len(REMOVED[r.name]) >= 3, r.name


def test_rule_names_are_unique_and_can_be_looked_up() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert rule("read-more").name == "read-more"
    with pytest.raises(KeyError):
        rule("no-such-rule")


@pytest.mark.parametrize(
    ("name", "line"), [(n, line) for n, lines in REMOVED.items() for line in lines]
)
def test_rule_removes_its_lines(name: str, line: str) -> None:
    where = rule(name).where
    position = {
        Where.HEAD: "head",
        Where.TAIL: "tail",
        Where.ANYWHERE: "middle",
        Where.EDGES: "tail",
    }[where]
    paragraphs = body_with(line, position)
    index = paragraphs.index(line)
    found = matching_rule(line, index, len(paragraphs))
    assert found is not None and found.name == name
    assert line not in strip_boilerplate(paragraphs)


@pytest.mark.parametrize("line", KEPT)
@pytest.mark.parametrize("position", ["head", "middle", "tail"])
def test_body_sentences_with_promo_words_stay(line: str, position: str) -> None:
    paragraphs = body_with(line, position)
    assert matching_rule(line, paragraphs.index(line), len(paragraphs)) is None
    assert strip_boilerplate(paragraphs) == paragraphs


def test_head_rules_only_apply_at_the_start() -> None:
    byline = "By Jane Smith"
    body = body_with(byline, "middle")
    assert matching_rule(byline, body.index(byline), len(body)) is None
    assert byline in strip_boilerplate(body)


def test_tail_rules_only_apply_at_the_end() -> None:
    body = body_with("Source: Reuters", "middle")
    assert "Source: Reuters" in strip_boilerplate(body)
    assert "Source: Reuters" not in strip_boilerplate(body_with("Source: Reuters", "tail"))


def test_long_paragraph_is_never_a_promo() -> None:
    long_line = "Read more: " + " ".join(["word"] * 60)
    assert matching_rule(long_line, 3, 8) is None


def test_stacked_trailers_are_all_removed() -> None:
    filler = body_with("x", "head")[1:]
    paragraphs = [*filler, "Share this article", "Follow us on Twitter", "Source link"]
    assert strip_boilerplate(paragraphs) == filler


def test_leading_headline_is_dropped() -> None:
    filler = body_with("x", "head")[1:]
    headline = "Millbrook approves floating solar farm"
    assert strip_boilerplate([headline, *filler], headlines=[headline]) == filler
    # Case, quotes and punctuation do not matter.
    assert (
        strip_boilerplate(
            ["MILLBROOK approves floating solar-farm!", *filler], headlines=[headline]
        )
        == filler
    )


def test_kicker_and_byline_around_a_repeated_headline_are_dropped() -> None:
    filler = body_with("x", "head")[1:]
    headline = "Stadtbibliothek verlängert Öffnungszeiten am Wochenende"
    paragraphs = [
        "Mehr Service für Leser",
        headline,
        "Von Jana Hoffmann · 20.02.2024, 18:45 Uhr",
        *filler,
    ]
    assert strip_boilerplate(paragraphs, headlines=[headline]) == filler


def test_headline_quoted_after_a_long_paragraph_stays() -> None:
    filler = body_with("x", "head")[1:]
    headline = "Council approves the plan"
    paragraphs = [filler[0], headline, *filler[1:]]
    assert strip_boilerplate(paragraphs, headlines=[headline]) == paragraphs


def test_standfirst_is_dropped_only_when_repeated() -> None:
    filler = body_with("x", "head")[1:]
    standfirst = "Sales of folded road maps have risen for three years running."
    repeated = [standfirst, standfirst + " And it is not only nostalgia, shop owners say.", *filler]
    assert strip_boilerplate(repeated, standfirst=standfirst) == repeated[1:]
    lead_only = [standfirst, *filler]
    assert strip_boilerplate(lead_only, standfirst=standfirst) == lead_only


def test_paragraph_repeated_right_after_itself_is_kept_once() -> None:
    filler = body_with("x", "head")[1:]
    doubled = [*filler[:3], filler[2], *filler[3:]]
    assert strip_boilerplate(doubled) == filler


def test_paragraph_repeated_further_down_stays() -> None:
    # Interviews ask every guest the same question.
    question = "What kind of food do you like to cook at home for your family?"
    paragraphs = [question, "Pasta, mostly, and soup in the winter.", question, "Fish curry."]
    assert strip_boilerplate(paragraphs) == paragraphs


def test_short_repeated_lines_are_not_deduplicated() -> None:
    paragraphs = ["Q: Why?", "It was raining in the valley all week long.", "Q: Why?", "Because."]
    assert strip_boilerplate(paragraphs) == paragraphs


def test_blank_paragraphs_and_edges_are_trimmed() -> None:
    assert strip_boilerplate(["  First paragraph here.  ", "", "   ", "Second one."]) == [
        "First paragraph here.",
        "Second one.",
    ]


def test_fingerprint_ignores_case_punctuation_and_width() -> None:
    assert fingerprint("“Hello,” she said — ＨＥＬＬＯ!") == "hello she said hello"
    assert fingerprint("") == ""
