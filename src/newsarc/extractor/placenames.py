"""Names of places a byline sets after a reporter's name, kept as data.

A byline gives where the story was written after the name: "By Jane Doe, Hong Kong". One word
after a person's name and a comma is taken for a place already (``nameshape.follows_name``);
two or three capitalised words look like a second author's name ("Jane Doe, Tom Hale"), and
only a list tells "Hong Kong" or "Abu Dhabi" from a person. So these are the many-word names of
the world's capitals, large cities, countries, states and regions that datelines use, in the
spellings of the languages we read. Single words are here too ("Paris", "Jordan"), but only to
say that "Paris, France" is no name written surname first ("Doe, Jane"): after a comma a
single word is a place or a credential already, and a person called "Paris Hilton" or "Jordan
Smith" is never matched, since only a whole part counts.

Case-folded; looked up whole.
"""

from __future__ import annotations

_MANY_WORDS = """
hong kong|abu dhabi|tel aviv|kuala lumpur|buenos aires|rio de janeiro|cape town|
addis ababa|dar es salaam|phnom penh|ho chi minh city|sri lanka|costa rica|el salvador|
puerto rico|new zealand|south africa|north korea|south korea|saudi arabia|united states|
united kingdom|united arab emirates|czech republic|dominican republic|ivory coast|
sierra leone|burkina faso|papua new guinea|gaza city|gaza strip|west bank|
east jerusalem|middle east|latin america|southeast asia|east africa|west africa|
north africa|central asia|rhode island|north carolina|south carolina|north dakota|
south dakota|west virginia|capitol hill|silicon valley|wall street|baton rouge|des moines|
salt lake city|kansas city|oklahoma city|mexico city|panama city|guatemala city|
quebec city|kuwait city|vatican city|las vegas|los angeles|el paso|la paz|le havre|
le mans|la haye|den haag|the hague|frankfurt am main|bad homburg|
rostov on don|nizhny novgorod|st petersburg|st. petersburg|sankt petersburg|
santo domingo|san josé|san jose|san juan|san salvador|san diego|san antonio|san francisco|
santiago de chile|belo horizonte|porto alegre|
ciudad de méxico|ciudad de guatemala|nueva york|nueva delhi|nova iorque|nova déli|
new delhi|new york|new jersey|new mexico|new hampshire|new orleans|new england|
nur sultan|ulan bator|
bandar seri begawan|port moresby|port louis|port of spain|port said|sharm el-sheikh|
kiryat shmona|khan younis|deir al-balah|beit hanoun|
cox's bazar|lake placid|palm beach|palm springs|long beach|long island|
northern ireland|great britain|basque country|west bengal|tamil nadu|uttar pradesh|
inner mongolia|south sudan|north macedonia|bosnia and herzegovina|
trinidad and tobago|antigua and barbuda|equatorial guinea|cabo verde|cape verde|
east timor|timor leste|marshall islands|solomon islands|faroe islands|canary islands|
balearic islands|british columbia|nova scotia|new brunswick|prince edward island|
south australia|western australia|new south wales|northern territory|gold coast|
the netherlands|the philippines|the gambia|the bahamas
"""

_ONE_WORD = """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
bahrain bangladesh belarus belgium belize benin bhutan bolivia botswana brazil brunei
bulgaria burundi cambodia cameroon canada chad chile china colombia comoros congo croatia
cuba cyprus czechia denmark djibouti ecuador egypt eritrea estonia eswatini ethiopia fiji
finland france gabon gambia georgia germany ghana greece grenada guatemala guinea guyana
haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan
jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia
libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta
mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique
myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau
palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa
senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden
switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey türkiye
turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia
zimbabwe usa uk uae eu
london paris berlin madrid rome moscow kyiv kiev beijing tokyo seoul delhi mumbai karachi
lagos nairobi cairo istanbul ankara tehran baghdad damascus beirut amman jerusalem gaza
riyadh dubai doha brussels vienna warsaw prague budapest bucharest sofia athens lisbon
dublin edinburgh stockholm oslo copenhagen helsinki geneva zurich amsterdam rotterdam
washington chicago boston houston miami toronto montreal ottawa vancouver sydney melbourne
singapore bangkok manila jakarta hanoi taipei shanghai shenzhen caracas bogota lima
santiago brasília brasilia havana johannesburg kinshasa khartoum kabul islamabad dhaka
minsk tbilisi yerevan baku almaty tashkent vilnius riga tallinn belgrade zagreb sarajevo
skopje tirana kharkiv odesa lviv dnipro mariupol donetsk luhansk crimea strasbourg
luxembourg frankfurt munich hamburg cologne milan naples barcelona seville
"""

PLACES = frozenset(
    [p.strip() for p in _MANY_WORDS.replace("\n", "").split("|") if p.strip()] + _ONE_WORD.split()
)


def is_place(text: str) -> bool:
    """True when ``text`` is, whole, the name of a place a byline names ("Hong Kong")."""
    return " ".join(text.split()).casefold().rstrip(".") in PLACES
