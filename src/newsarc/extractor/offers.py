"""The words of a subscription offer, as patterns for the boilerplate rules: a paywall's box
(its prompts, its offer) and the call-to-action buttons left at the end of a body, in the
languages the other rules cover. Data only; ``boilerplate`` makes the rules of them.
"""

from __future__ import annotations

# A price: "$1", "0,99 €", "9.99 EUR".
PRICE = r"((\$|€|£)\s?\d+([.,]\d{1,2})?|\d+([.,]\d{1,2})?\s?(€|\$|£|eur\b|euro\b|chf\b))"
FEW = r"(\d+|one|two|three|four|six|eight|twelve)"
# A paywall's subscription box, in the languages the other rules cover. The article text that
# a paywall hides (what schema.org's isAccessibleForFree / cssSelector marks, often served
# whole) is never one line of these.
# At most a few words after a label ("Dieser Artikel ist exklusiv für Abonnenten. Jetzt
# lesen"), or after a question to subscribers ("Already a subscriber? Log in"): the same words
# opening a sentence are the story's ("Members only, the sign says", "Already registered? You
# do not need to do anything else before polling day", "Solo para suscriptores del plan
# Premium, por ahora").
FEW_MORE = r"(\W+\w+){0,2}\W*"
ASKED = r"\s*\?(\W+\w+){0,6}\W*"
# Its prompts, which say they are one, removed wherever they are (a box between a teaser and
# the full text a page serves): the question to subscribers, "continue reading with <offer>",
# "this article is for subscribers".
PAYWALL_PROMPT = (
    # English
    r"already (a |an )?(subscriber|member|registered|subscribed|have an? (account|"
    rf"subscription)){ASKED}|"
    r"(continue|keep) reading( (this|the) (article|story))? with\s+\S+(\s+\S+){0,2}|"
    r"(to (continue|keep) reading|to read (the|this) (full )?(article|story))\s*,?\s*(please )?"
    rf"(subscribe|log ?in|sign ?in|register|become)\b(\W+\w+){{0,6}}\W*|"
    rf"(log ?in|sign ?in|register) to (continue|keep) reading{FEW_MORE}|"
    r"this (article|story|content|piece) is (only )?(available |reserved )?(exclusively )?"
    rf"(for|to) (subscribers|paying|premium)( (only|members|subscribers))?{FEW_MORE}|"
    r"this is an? (premium|subscriber[- ]only|members?[- ]only|plus|paid) (article|story|content)"
    r"( (available|reserved))?( exclusively)? (for|to) (our )?(subscribers|members)"
    rf"( only)?{FEW_MORE}|"
    # German
    r"(sie haben|haben sie|du hast|hast du) (bereits|schon) ein(en)? (abo|abonnement|konto|"
    rf"zugang|account){ASKED}|"
    rf"(bereits|schon) (abonnent|abonniert|kunde|kundin|registriert)\w*{ASKED}|"
    r"weiterlesen mit\s+\S+(\s+\S+){0,2}|(jetzt )?(mit|als) \S+(\s+\S+){0,2} weiterlesen\W*|"
    # "Lesen Sie jetzt mit NK+ weiter. Alle Artikel, alle Inhalte – für nur 1 € im ersten Monat."
    r"(jetzt )?lesen sie (jetzt )?(mit|als) \S+(\s+\S+){0,2} weiter\b(\W+\w+){0,16}\W*|"
    # a "Beitrag" is also a fee: "Der Beitrag ist für Abonnenten gleich geblieben"
    r"((dieser|der) (artikel|inhalt) ist (nur |exklusiv )*|(dieser|der) beitrag ist "
    r"(nur |exklusiv )+)(für )?(unsere )?"
    rf"(abonnent|plus|zahlende)\w*{FEW_MORE}|"
    # French, Spanish, Italian, Dutch, Portuguese
    rf"déjà abonné\w*{ASKED}|"
    rf"(cet article|ce contenu|la suite( de cet article)?) est réservée? (aux|à nos) abonnés"
    rf"{FEW_MORE}|"
    r"il (vous )?reste \d+([.,]\d+)?\s*% de (cet|l')\s?article à lire(\W+\w+){0,8}\W*|"
    rf"¿?ya (eres|estás) (suscriptor|suscrit|registrad)\w*{ASKED}|"
    rf"sei già abbonato{ASKED}|(ben je )?al abonnee{ASKED}|já é assinante{ASKED}|"
    # Japanese, Korean, Chinese: "この記事は有料会員限定です", "残り1520文字"
    r"この(記事|コンテンツ)は(有料)?(会員|購読者)(限定|専用)の?(記事|コンテンツ)?です。?|"
    r"残り\s*[\d,，]+\s*文字|"
    r"이 (기사|콘텐츠)는 (유료 )?(회원|구독자) 전용(입니다| 기사입니다| 콘텐츠입니다)\.?|"
    r"(本文|此文|该文章|本文章)(为|是)(付费|会员|订阅)+(用户)?(专享|专属)?(内容|文章)。?|"
    r"(订阅|付费)(后|即可)(阅读|查看)全文"
)
# The offer itself, removed only at the end of the body (its last lines, and the short lines of
# a list after them): "for subscribers only", a trial for a price, "cancel anytime" are also
# what a story about a streaming service or a club says in its own words.
PAYWALL_OFFER = (
    r"(exclusive )?(content )?(for )?(subscribers|members) only\s*[.!:]?|"
    rf"(try|get|start with)( us| it)? {FEW} (weeks?|months?|days?) (for (just |only )?"
    rf"({PRICE}|free)|free)(\s*[.!]\s*(then|after that|afterwards)\b.*)?|"
    rf"(.*{PRICE}.*[,.;:\u2013\u2014-]\s*)?cancel (any ?time|at any time)|"
    rf"(exklusiv|nur) für (abonnent|plus|abo)\w*{FEW_MORE}|"
    rf"(jetzt )?\d+ (wochen?|monate?|tage?) (für (nur )?{PRICE}|gratis|kostenlos)"
    r"( (testen|lesen|weiterlesen))?(\s*[.!]\s*(danach|anschließend|dann)\b.*)?|"
    rf"(.*{PRICE}.*[,.;:\u2013\u2014-]\s*)?(jederzeit|monatlich) kündbar|"
    rf"(este (artículo|contenido) es )?(exclusivo|solo|sólo) para suscriptores{FEW_MORE}|"
    rf"(questo (articolo|contenuto) è )?riservato agli abbonati{FEW_MORE}|"
    rf"(conteúdo )?exclusivo para assinantes{FEW_MORE}|"
    # its button and login link in Japanese, Korean, Chinese: "今すぐ登録（初月無料）"
    r"(今すぐ)?(会員|無料)?登録(する)?\s*([（(](初月|初回)?無料[）)])?|ログイン(する|はこちら)?|"
    r"(지금 )?구독하기|로그인(하기)?|立即订阅|(立即)?登录"
)
# Words one of which every line of a paywall box holds (both paywall rules test them first).
PAYWALL_HINTS = (
    "already",
    "reading",
    "premium",
    "lesen",
    "regist",
    "subscri",
    "member",
    "cancel",
    "try",
    "get",
    "start",
    "bereits",
    "schon",
    "weiterlesen",
    "artikel",
    "beitrag",
    "inhalt",
    "für",
    "kündbar",
    "déjà",
    "réservé",
    "reste",
    "ya",
    "suscriptores",
    "già",
    "riservato",
    "abonnee",
    "assinante",
    "会員",
    "文字",
    "登録",
    "ログイン",
    "회원",
    "구독",
    "로그인",
    "付费",
    "订阅",
    "会员",
    "登录",
)
# A call-to-action button left as the last line: "Become a member", "Jetzt testen".
CTA_BUTTON = (
    r"(become|be) a (paying |paid )?(member|subscriber|supporter|patron|donor)|"
    r"support (us|our (work|journalism|newsroom|reporting))|(donate|contribute)( now| today)?|"
    r"make a (donation|contribution)|join (now|today|us)|subscribe( now| today| here)?|"
    r"start (your|my|a) (free )?(trial|subscription)|"
    r"(jetzt )?(mitglied werden|abonnieren|unterstützen|spenden|testen|gratis testen|"
    r"abo abschließen)|devenir (membre|abonné)|devenez (membre|abonné)|je m'abonne|"
    r"abonnez-vous|faire un don|hazte (socio|suscriptor)|suscríbete|abbonati( ora)?|sostienici|"
    r"word lid|steun ons|assine( já| agora)?|seja assinante"
)
