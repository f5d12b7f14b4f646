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
    r"leia também|читайте также)"
)

# A field label left alone at the end: the label of a CMS's tag or category field, whose
# values (links) were dropped.
FIELD_LABEL = (
    r"(tags?|topics?|keywords?|categor(y|ies)|filed under|rubri(que|ques|k|ken|ca|che)|"
    r"mots[- ]clés|thèmes?|schlagw(ö|oe)rter|stichw(ö|oe)rter|themen|kategorien?|etiquetas|"
    r"categor(í|i)as?|temas|argomenti|parole chiave|etichette|trefwoorden|onderwerpen)"
)
