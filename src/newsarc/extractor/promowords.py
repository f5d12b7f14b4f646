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
# The same labels, and promo lines' labels, in the other scripts and languages the rules cover:
# Russian, Ukrainian, Turkish, Arabic, Indonesian, Hindi, Japanese, Chinese, Korean.
WORLD_LIST_LABELS = (
    r"(новости по теме|по теме|самое (читаемое|популярное)|смотрите также|читайте по теме|"
    r"читайте також|дивіться також|новини по темі|за темою|"
    r"ilgili haber(ler)?|benzer haberler|çok okunanlar|(bunlar da|bu haberler de) ilginizi "
    r"çekebilir|"
    r"(أخبار|مواضيع|مقالات) ذات صلة|ذات صلة|الأكثر قراءة|اقرأ (أيضا|أيضاً|ايضا|المزيد)|"
    r"(شاهد|طالع) (أيضا|أيضاً|ايضا)|"
    r"berita terkait|baca juga|simak juga|lihat juga|terpopuler|"
    r"(यह|ये|इसे) भी पढ़ें|संबंधित (खबरें|ख़बरें)|"
    r"関連記事|関連ニュース|あわせて読みたい|合わせて読みたい|おすすめ記事|"
    r"相关(阅读|新闻|报道|文章)|相關(閱讀|新聞|報導|文章)|延伸(阅读|閱讀)|推(荐|薦)(阅读|閱讀)|"
    r"热门(文章|新闻)|"
    r"관련\s?기사|많이 본 (뉴스|기사)|추천\s?기사)"
)
# Labels placed over a list of links to other stories.
LIST_LABELS = (
    r"(you (may|might) (also )?like|you may have missed|don['\u2019]?t miss|must read|related|"
    r"related (stories|articles|content|coverage|links|posts|news|reading)|more stories|"
    r"more (news|articles|headlines)|more from [^.:!?]{1,40}|"
    r"most (popular|read|viewed|shared)|popular( now| stories| articles)?|trending( now| stories)?|"
    r"top (stories|news|articles)|recommended( for you| stories| articles| reading)?|"
    r"editor['\u2019]?s (picks?|choice)|further reading|(also|read) (read|also|more|next)|"
    r"latest (news|stories)|"
    r"what to read next|up next|around the web|from (our|the) partners|"
    r"(sponsored|promoted|partner) (stories|content|links)|leggi anche|lesen sie (auch|mehr)|"
    r"mehr zum thema|das könnte sie auch interessieren|(à )?lire aussi|lee también|leer más|"
    r"(también )?te puede interesar|leia (também|mais)|lees ook|czytaj (też|także|więcej)|"
    r"zobacz (też|także)|sur le même sujet|(ti )?potrebbe interessar(ti|e)( anche)?|"
    r"veja também|polecamy|(noticias|artículos|notícias|articoli|articles) (relacionad[oa]s|"
    r"correlati|similaires)|(ähnliche|weitere) artikel|gerelateerde artikelen|"
    r"powiązane artykuły|читайте также|"
    # Spanish, Portuguese and French list labels; then the other scripts' (Russian, Ukrainian,
    # Turkish, Arabic, Indonesian, Hindi, Japanese, Chinese, Korean)
    r"seguir leyendo|más noticias|lo más (leído|visto)|te recomendamos|notas relacionadas|"
    r"mais lidas|últimas notícias|les plus lus|meistgelesen|" + WORLD_LIST_LABELS + r")"
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
    r"polecamy|читайте также|a lire aussi|te recomendamos|seguir leyendo|(mira|ver) también|"
    r"lea además|también (te )?puede interesar(te)?|ayrıca (okuyun|bakınız|bkz)|"
    r"okumadan geçmeyin|" + WORLD_LIST_LABELS + r")"
)
# What may stand before a promo's label: an arrow, a bullet, an emoji ("▶ 관련기사 :",
# "➡️ LEIA TAMBÉM:").
LEAD_MARK = r"[\u2190-\u21ff\u2500-\u27bf\u2b00-\u2bff\ufe0f>»■□●•*-]*\s*"
# Brackets around a label ("【関連記事】<headline>", "[Read more] <headline>").
BRACKETED = r"[\[【〔［]\s*"
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
    r"compartilhar|partilhe( (esta notícia|este artigo))?|partilhar|udostępnij( artykuł)?|"
    r"поделиться|поділитися|paylaş|مشاركة|شارك|bagikan|शेयर( करें)?|(この記事を)?シェア(する)?|"
    r"分享(到|此文)?|공유(하기)?)"
)
AD_LABEL = (
    r"(anzeige|werbung|publicité|publicidad|pubblicità|advertentie|publicidade|reklama|"
    r"materiał (promocyjny|sponsorowany|partnera)|реклама|reklam|إعلان|iklan|विज्ञापन|広告|"
    r"スポンサーリンク|广告|廣告|광고)"
)
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
# The same label in the other scripts the rules cover, with what follows it there: a colon,
# full-width or not, a slash or an equals sign ("Фото: ...", "（写真：共同）", "（圖／記者...攝）",
# "사진=연합뉴스").
WORLD_PHOTO_CREDIT = (
    r"[(（]?\s*(фото(графия)?|fotoğraf|الصورة|صورة|फोटो|तस्वीर|写真|画像|照片|图片|圖片|图|圖|"
    r"사진)\s*[:：=/／|]\s*[^.!?。]{1,80}?[)）]?"
)
# Social networks and messengers as the rest of the world names them, for the social prompts
# of WORLD_FOLLOW.
WORLD_SOCIAL = (
    r"(twitter|facebook|instagram|linkedin|youtube|tiktok|threads|telegram|whatsapp|google news|"
    r"google (noticias|notícias|actualités|nachrichten)|дзен\w*|дзэн\w*|вконтакте|vk|"
    r"одноклассник\w*|телеграм\w*|ютуб\w*|فيسبوك|فيس بوك|تويتر|إنستغرام|انستغرام|يوتيوب|"
    r"تيليجرام|تلغرام|واتساب|line|naver|네이버|카카오톡?|kakao\w*|微信|微博|weibo|wechat|抖音)"
)
# Words one of which every line naming one of WORLD_SOCIAL holds (case-folded); LINE, the
# messenger, by its "add as a friend", since "line" is in "online", "deadline", "headline".
WORLD_SOCIAL_HINTS = (
    "twitter", "facebook", "instagram", "linkedin", "youtube", "tiktok", "threads", "telegram",
    "whatsapp", "google n", "google a", "дзен", "дзэн", "вконтакте", "vk", "одноклассник",
    "телеграм", "ютуб",
    "فيس", "تويتر", "ستغرام", "يوتيوب", "تيليجرام", "تلغرام", "واتساب", "naver", "네이버",
    "카카오", "kakao", "微信", "微博", "weibo", "wechat", "抖音", "友だち",
)  # fmt: skip
# Imperatives that open (or close) a social prompt: "Подписывайтесь на наш канал в Telegram",
# "Bizi Google News'ten takip edin", "تابعونا على فيسبوك", "Simak berita lainnya di Google News",
# "Google News पर फॉलो करें", "네이버에서 ...를 구독하세요", "Siga a <site> no Instagram".
WORLD_FOLLOW = (
    r"(подписывайтесь|подпишитесь|читайте нас|следите за|присоединяйтесь|"
    r"підписуйтесь|підпишіться|стежте за|приєднуйтесь|долучайтеся|"
    r"takip edin|abone olun|katılın|تابعونا|تابعوا|تابعنا|اشترك|انضم|"
    r"ikuti|simak (berita|artikel|update|informasi)|bergabung|gabung|"
    r"फॉलो करें|सब्सक्राइब करें|जुड़ें|友だち追加|フォローして|구독하세요|구독하기|팔로우|"
    r"关注我们|關注我們|扫码关注|"
    r"siga (o|a|os|as|nosso|nossa)|sigam|participe d[oa]|entre n[oa] (nosso )?canal|"
    r"receba (as )?(notícias|news|informações)|únete a|sumate a|rejoignez|entra nel canale|"
    r"iscriviti al canale)"
)
# Labels of a source, an editor's or a reporter's credit left as a last line (not "Publisher:",
# which ends a book review's details as well as a scraped copy) ("Источник: ТАСС",
# "Kaynak: Anadolu Ajansı", "来源：新华社", "责任编辑：王芳", "(Editor: Budi Santoso)").
CREDIT_LABEL = (
    r"(источник|джерело|kaynak|المصدر|sumber|स्रोत|सोर्स|出典|出所|来源|來源|출처|"
    r"źródło|fuente|fonte|quelle|editor|penulis|pewarta|redaktur|reporter|责任编辑|責任編輯|"
    r"编辑|編輯|作者|редактор|editör|muhabir)"
)
# A comment prompt or counter's word, left alone at the end ("Reageer", "Comentarios (12)").
COMMENT_WORDS = (
    r"(reageer|reageren|reacties|comentarios|comentários|comentar|commentaires|commenter|"
    r"kommentare|kommentieren|commenti|commenta|komentarze|skomentuj|комментарии|коментарі|"
    r"yorumlar|yorum yap|التعليقات|تعليقات|komentar|टिप्पणियां|コメント|评论|評論|댓글)"
)
# "Click here" in the other languages: "Haberin devamı için tıklayınız", "clique aqui".
CLICK_HERE = (
    r"(tıklayın(ız)?|haga clic aquí|haz clic aquí|pincha aquí|clic aquí|clique aqui|"
    r"cliquez ici|hier klicken|klicken sie hier|clicca qui|klik hier|kliknij (tutaj|tu)|"
    r"klik (di ?sini|link)|нажмите (здесь|сюда)|натисніть тут|اضغط هنا|انقر هنا|यहां क्लिक करें)"
)
CLICK_HERE_HINTS = (
    "tıkla", "tikla", "clic", "cliqu", "klick", "klik", "нажмите", "натисніть", "اضغط", "انقر",
    "क्लिक",
)  # fmt: skip
# The ban on reproduction East Asian papers end a story with, after their rights notice or
# alone: "ⓒ <paper>, 무단전재 및 재배포 금지", "無断転載禁止", "未经授权不得转载" (like the wire
# services' "may not be published, broadcast, rewritten or redistributed", no part of the story).
NO_REPRODUCTION = (
    r"((ⓒ|©|copyright)[^,，.。]{1,60}[,，.。]?\s*)?"
    r"(무단\s?전재\s?(및|-|·|,)\s?재배포\s?(금지|불가)|無断(転載|複製)(を)?禁(止|じます)|"
    r"未经(授权|许可)(,|，)?(不得|禁止)转载|未經(授權|許可)(,|，)?(不得|禁止)轉載)[.。]?"
)
