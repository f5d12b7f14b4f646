"""Language code tables for ``language``: the ISO 639-1 codes, the ISO 639-2 codes of the same
languages, three-letter codes of languages without a two-letter one, and language names that
pages put where a code belongs. Data only."""

from __future__ import annotations

# Every ISO 639-1 code (with the withdrawn "iw", "in", "ji", "jw", "mo" that ``language``
# maps onto today's): a two-letter value outside it ("zz", "xx") is a placeholder.
ISO639_1 = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
    hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
    lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
    or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    iw in ji jw mo
    """.split()
)

# ISO 639-2 codes (bibliographic and terminology forms) of languages with a two-letter code, as
# Dublin Core and library-made metadata give them ("ger", "eng").
THREE_TO_TWO = {
    "ara": "ar",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cze": "cs",
    "chi": "zh",
    "zho": "zh",
    "dan": "da",
    "deu": "de",
    "ger": "de",
    "dut": "nl",
    "nld": "nl",
    "ell": "el",
    "gre": "el",
    "eng": "en",
    "est": "et",
    "eus": "eu",
    "baq": "eu",
    "fas": "fa",
    "per": "fa",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "heb": "he",
    "hin": "hi",
    "hrv": "hr",
    "hun": "hu",
    "ind": "id",
    "isl": "is",
    "ice": "is",
    "ita": "it",
    "jpn": "ja",
    "kor": "ko",
    "lav": "lv",
    "lit": "lt",
    "may": "ms",
    "msa": "ms",
    "nob": "no",
    "nno": "no",
    "nor": "no",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "slk": "sk",
    "slo": "sk",
    "slv": "sl",
    "spa": "es",
    "srp": "sr",
    "swa": "sw",
    "swe": "sv",
    "tgl": "tl",
    "tha": "th",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "vie": "vi",
}

# Three-letter codes that stand for a language without a two-letter one (ISO 639-2/3).
THREE_LETTER = frozenset(
    """
    ace ary arz ast bcl ceb ckb crh ext fil fuv gcf gcr gom grc gsw gug guw haw hbo hsb kab kik
    lij lmo ltg mai nds nso pcm scn sdh szl tet uzs vec war wuu yue
    """.split()
)

# Language names (in English and in the language itself, casefolded, spaces and punctuation
# dropped) that a ``<meta name="language">`` or content-language holds instead of a code.
NAMES = {
    "english": "en",
    "german": "de",
    "deutsch": "de",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "italian": "it",
    "italiano": "it",
    "portuguese": "pt",
    "português": "pt",
    "portugues": "pt",
    "dutch": "nl",
    "nederlands": "nl",
    "russian": "ru",
    "русский": "ru",
    "ukrainian": "uk",
    "українська": "uk",
    "polish": "pl",
    "polski": "pl",
    "czech": "cs",
    "čeština": "cs",
    "slovak": "sk",
    "slovenčina": "sk",
    "swedish": "sv",
    "svenska": "sv",
    "norwegian": "no",
    "norsk": "no",
    "danish": "da",
    "dansk": "da",
    "finnish": "fi",
    "suomi": "fi",
    "turkish": "tr",
    "türkçe": "tr",
    "greek": "el",
    "hungarian": "hu",
    "magyar": "hu",
    "romanian": "ro",
    "română": "ro",
    "catalan": "ca",
    "català": "ca",
    "croatian": "hr",
    "hrvatski": "hr",
    "arabic": "ar",
    "hebrew": "he",
    "chinese": "zh",
    "japanese": "ja",
    "korean": "ko",
    "hindi": "hi",
    "indonesian": "id",
    "bahasaindonesia": "id",
    "malay": "ms",
    "bahasamelayu": "ms",
    "vietnamese": "vi",
    "thai": "th",
    "swahili": "sw",
    "kiswahili": "sw",
    "tagalog": "tl",
    "filipino": "tl",
}
