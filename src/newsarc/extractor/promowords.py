"""The words of promos, labels and trailers, as patterns for the boilerplate rules: what stands
between a promo's label and its headline, social networks, date and time words, labels over
lists of links and CMS field labels, in the languages the rules cover. Data only;
``boilerplate`` makes the rules of them (``offers`` holds the words of a subscription offer).
"""

from __future__ import annotations

SEP = r"\s*[:\-\u2013\u2014|»>]+\s*"  # the punctuation between a promo label and its headline
END = r"\s*[:.…»>|]*\s*(\.\.\.)?"  # what may follow a label that stands alone
SOCIAL = (
    r"(twitter|x|facebook|instagram|linkedin|youtube|tiktok|threads|bluesky|mastodon|telegram|"
    r"whatsapp|flipboard|google news|pinterest|reddit)"
)
DAYS_MONTHS = (
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"may|june|july|august|september|october|november|december|the|this|that|a|an)\b"
)
EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
# Words a date/time line is made of (English, German, French, Spanish month and day names).
DATE_WORD = (
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|"
    r"oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre|january|february|march|april|june|july|august|september|october|november|"
    r"december|mon|tue|tues|wed|thu|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|uhr|am|pm|"
    r"a\.m\.|p\.m\.|gmt|utc|bst|cet|cest|est|edt|cst|cdt|pst|pdt|et|pt|ist|aest|updated|"
    r"published|min|mins|minute|minutes|read|ago|hours?|days?)(?!\w)\.?"
)
# Labels placed over a list of links to other stories.
LIST_LABELS = (
    r"(you (may|might) (also )?like|you may have missed|don'?t miss|must read|related|"
    r"related (stories|articles|content|coverage|links|posts|news|reading)|more stories|"
    r"more (news|articles|headlines)|more from [^.:!?]{1,40}|"
    r"most (popular|read|viewed|shared)|popular( now| stories| articles)?|trending( now| stories)?|"
    r"top (stories|news|articles)|recommended( for you| stories| articles| reading)?|"
    r"editor'?s (picks?|choice)|further reading|(also|read) (read|also|more|next)|"
    r"latest (news|stories)|"
    r"what to read next|up next|around the web|from (our|the) partners|"
    r"(sponsored|promoted|partner) (stories|content|links)|leggi anche|lesen sie (auch|mehr)|"
    r"mehr zum thema|das könnte sie auch interessieren|(à )?lire aussi|lee también|leer más|"
    r"(también )?te puede interesar|leia (também|mais)|lees ook|czytaj (też|także|więcej)|"
    r"zobacz (też|także)|sur le même sujet|(ti )?potrebbe interessar(ti|e)( anche)?|"
    r"veja também|polecamy|(noticias|artículos|notícias|articoli|articles) (relacionad[oa]s|"
    r"correlati|similaires)|(ähnliche|weitere) artikel|gerelateerde artikelen|"
    r"powiązane artykuły|читайте также)"
)

# A field label left alone at the end: the label of a CMS's tag or category field, whose
# values (links) were dropped.
FIELD_LABEL = (
    r"(tags?|topics?|keywords?|categor(y|ies)|filed under|rubri(que|ques|k|ken|ca|che)|"
    r"mots[- ]clés|thèmes?|schlagw(ö|oe)rter|stichw(ö|oe)rter|themen|kategorien?|etiquetas|"
    r"categor(í|i)as?|temas|argomenti|parole chiave|etichette|trefwoorden|onderwerpen)"
)

# The same promos in the other languages the rules cover (German, French, Spanish, Italian,
# Dutch, Portuguese, Polish): the label of a promo line ("Te puede interesar: <headline>"),
# a social prompt's opening ("Seguici su ..."), a newsletter prompt, a share button, an
# advertising label, a republication note and a photo credit's label.
READ_ALSO = (
    r"(lesen sie (auch|mehr|hier)|mehr zum thema|auch interessant|lire (aussi|également)|"
    r"à lire (aussi|également)|leer más|lea también|lee también|(también )?te puede interesar|"
    r"le puede interesar|leggi anche|(ti )?potrebbe interessar(ti|e)( anche)?|"
    r"lees (ook|meer)|leia (também|mais)|veja (também|mais)|läs också|sur le même sujet|"
    r"voir aussi|mehr dazu|czytaj (też|także|również|więcej)|zobacz (też|także|również)|"
    r"polecamy|читайте также)"
)
FOLLOW_US = (
    r"(folgen sie uns|folgt uns|folge uns|suivez-nous|retrouvez-nous|síguenos|siguenos|"
    r"seguici|seguiteci|volg ons|siga-nos|sigam-nos|segue-nos|obserwuj nas|śledź nas)"
)
NEWSLETTER_PROMPT = (
    r"((jetzt |hier )?(den |unseren )?newsletter (abonnieren|bestellen)|"
    r"(abonnieren|bestellen) sie (jetzt )?(unseren|den) \w*newsletter|"
    r"melden sie sich (jetzt )?(für|zu) (unseren|dem) \w*newsletter an|"
    r"(inscrivez-vous|abonnez-vous) (gratuitement )?à (notre|la|nos) (newsletter|lettre)|"
    r"(suscríbete|suscribite|apúntate) (gratis )?a (nuestro|nuestra|el|la) (boletín|newsletter)|"
    r"iscriviti (gratis )?alla (nostra )?newsletter|"
    r"(schrijf je in|abonneer je|meld je aan) (voor|op) (onze|de) \w*nieuwsbrief|"
    r"(assine|inscreva-se (n)?a|receba) (a )?(nossa )?newsletter|"
    r"zapisz się (do|na) (naszego )?newsletter)"
)
SHARE_WORDS = (
    r"((diesen |den )?(artikel|beitrag) teilen|teilen|partager( cet article)?|"
    r"partagez( cet article)?|compartir( (este artículo|esta noticia))?|"
    r"comparte (este artículo|esta noticia)|condividi( (questo articolo|l'articolo))?|"
    r"deel (dit artikel|dit bericht)|delen|compartilhe( (esta notícia|este artigo))?|"
    r"compartilhar|partilhe( (esta notícia|este artigo))?|partilhar|udostępnij( artykuł)?)"
)
AD_LABEL = r"(anzeige|werbung|publicité|publicidad|pubblicità|advertentie|publicidade|reklama)"
# Stock libraries, named alone under a picture ("Getty Images"), and photo agencies, named
# beside a photographer ("Jane Roe / Getty Images", "(AP Photo/Sue Ogrocki)"); a wire agency
# alone ("Reuters") is a source line, which source-trailer takes at the end.
STOCK = r"(getty images|shutterstock|istock(photo)?|alamy( stock photo)?)"
AGENCY = rf"({STOCK}|getty|ap|afp|epa|reuters|pa|dpa|anp|pap|ansa|efe)"
# "Cet article a été initialement publié sur ...", "Dieser Artikel erschien zuerst bei ...".
FIRST_PUBLISHED = (
    r"(cet article a (d'abord|initialement|originellement|originalement) été publié|"
    r"cet article a été (d'abord|initialement|originellement|originalement) publié|"
    r"(article )?(initialement|originellement) publié (sur|dans|par)|"
    r"dieser (artikel|beitrag|text) (ist|erschien|wurde) (zuerst|ursprünglich|erstmals)|"
    r"(zuerst|ursprünglich|erstmals) erschienen (auf|in|bei)|"
    r"este (artículo|texto|reportaje) (fue publicado|se publicó|apareció) "
    r"(originalmente|originariamente|por primera vez)|"
    r"(artículo )?publicado originalmente en|"
    r"questo articolo è (stato )?(pubblicato|apparso) (originariamente|originalmente|"
    r"inizialmente|per la prima volta)|"
    r"dit (artikel|stuk) (verscheen|is) (eerder|oorspronkelijk|eerst)|"
    r"este (artigo|texto) foi (publicado )?(originalmente|inicialmente)|"
    r"(artigo )?publicado originalmente (em|no|na)|"
    r"(ten )?(artykuł|tekst) (ukazał się|został opublikowany) (pierwotnie|po raz pierwszy))\b.*"
)
# A photo credit's label in those languages: with a colon, slash or © after it ("Foto: EFE"),
# as Polish writes it ("Fot. PAP/..."), or as the whole line in brackets ("(Foto Ansa)").
PHOTO_WORDS = (
    r"(fotos?|fotografía|fotografia|imagen|immagine|bild|afbeelding|zdjęcie|crédits? photos?|"
    r"photo credit)"
)
