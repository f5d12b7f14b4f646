"""News pages in legacy charsets the way real sites serve them: 20 KB of inline script or 11 KB
of style in the head, a charset declared after it or not at all. Shared by the charset tests
and the CLI tests that archive such pages (fetch, ingest over HTTP, --dir, WARC)."""

from __future__ import annotations

from dataclasses import dataclass, replace

# A head as news sites have it: mostly ASCII, far longer than the article's first sentence is
# from the top of the page (the detector used to see the markup, not the text).
SCRIPT_HEAD = (
    "<script>window.dataLayer = window.dataLayer || [];"
    + "if (a < b && c > d) { track('view', {slot: '<div>', n: 1}); }" * 330
    + "</script>"
)
STYLE_HEAD = "<style>" + ".teaser{margin:0 auto;padding:0}" * 340 + "</style>"
HEADS = {"script": SCRIPT_HEAD, "style": STYLE_HEAD}


@dataclass(frozen=True)
class Story:
    """An article in one language: its headline, author, paragraphs and a word to search."""

    lang: str
    headline: str
    author: str
    paragraphs: tuple[str, ...]
    word: str


RUSSIAN = Story(
    "ru",
    "Горсовет утвердил новую схему трамвайных линий",
    "Ольга Смирнова",
    (
        "Депутаты городского совета в четверг утвердили новую схему трамвайных линий, "
        "которую транспортное управление готовило почти два года.",
        "По новой схеме три старых маршрута объединят в один, а трамваи в часы пик будут "
        "ходить каждые пять минут вместо нынешних двенадцати.",
        "Жители окраинных районов опасаются, что им придется делать пересадку по дороге "
        "на работу, и собрали больше четырех тысяч подписей.",
        "В управлении обещают пустить дополнительные автобусы и пересмотреть расписание "
        "через полгода, когда будут готовы данные о пассажиропотоке.",
    ),
    "трамвайных",
)
JAPANESE = Story(
    "ja",
    "県議会、新しい路面電車計画を可決",
    "佐藤花子",
    (
        "県議会は木曜日の本会議で、交通局が二年近くかけて準備してきた路面電車の新しい路線計画を"
        "賛成多数で可決した。",
        "新しい計画では、古い三つの系統を一つにまとめ、朝夕の混雑時には五分ごとに電車を走らせる。"
        "現在の運行間隔は十二分である。",
        "郊外に住む人たちは、通勤の途中で乗り換えが必要になることを心配しており、"
        "四千人を超える署名を集めた。",
        "交通局は、臨時のバスを増やすとともに、半年後に利用者の数を調べてから時刻表を見直すと"
        "説明している。",
    ),
    "路面電車",
)
KOREAN = Story(
    "ko",
    "시의회, 새 노면전차 노선안 통과",
    "김민지",
    (
        "시의회는 목요일 본회의에서 교통국이 거의 이 년 동안 준비해 온 새 노면전차 노선안을 "
        "찬성 다수로 통과시켰다.",
        "새 계획에 따르면 오래된 세 노선이 하나로 합쳐지고, 출퇴근 시간에는 지금의 십이 분 "
        "대신 오 분마다 전차가 다닌다.",
        "외곽 지역 주민들은 출근길에 갈아타야 할 것을 걱정하며 사천 명이 넘는 서명을 모았다.",
        "교통국은 임시 버스를 늘리고 반년 뒤 승객 수를 조사한 다음 시간표를 다시 살펴보겠다고 "
        "밝혔다.",
    ),
    "노면전차",
)
CHINESE = Story(
    "zh",
    "市议会通过新的有轨电车线路方案",
    "王晓明",
    (
        "市议会周四在全体会议上以多数票通过了交通局筹备近两年的有轨电车新线路方案。",
        "根据新方案，三条旧线路将合并为一条，高峰时段每五分钟发一班车，目前的间隔为十二分钟。",
        "郊区居民担心上班途中需要换乘，已经收集了四千多个签名。",
        "交通局表示将增开临时公交车，并在半年后根据客流数据重新调整时刻表。",
    ),
    "有轨电车",
)
# With 喆 and 堃, which GBK has and GB2312 does not: what sites labelled GB2312 really send.
CHINESE_GBK = replace(
    CHINESE,
    paragraphs=(*CHINESE.paragraphs[:3], "交通局局长张喆和副局长李堃表示将增开临时公交车。"),
)
FRENCH = Story(
    "fr",
    "Le conseil régional adopte le nouveau réseau de tramway",
    "Hélène Lefèvre",
    (
        "Les élus du conseil régional ont adopté jeudi le nouveau plan des lignes de tramway, "
        "préparé depuis près de deux ans par la régie des transports.",
        "Trois anciennes lignes seront fusionnées en une seule, et les rames passeront toutes "
        "les cinq minutes aux heures de pointe, contre douze aujourd’hui.",
        "Les habitants des quartiers périphériques craignent de devoir changer de rame sur le "
        "trajet du travail et ont réuni plus de quatre mille signatures.",
        "La régie promet des bus supplémentaires et une révision des horaires dans six mois, "
        "quand les chiffres de fréquentation seront connus.",
    ),
    "fréquentation",
)


def page(story: Story, head: str, charset: str | None) -> str:
    """The article page: ``head`` (a key of HEADS) first in <head>, then ``<meta charset>`` when
    ``charset`` is given, then the title and the author; the article in <body>."""
    meta = f'<meta charset="{charset}">' if charset else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    links = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(12))
    return (
        f'<!DOCTYPE html><html lang="{story.lang}"><head>{HEADS[head]}{meta}'
        f"<title>{story.headline}</title>"
        f'<meta name="author" content="{story.author}">'
        '<meta property="article:published_time" content="2024-05-16T09:00:00Z">'
        f"</head><body><nav><ul>{links}</ul></nav><article><h1>{story.headline}</h1>"
        f"{paragraphs}</article><footer>&copy; News Example</footer></body></html>"
    )


# (story, codec it is saved in, label a late <meta charset> gives it)
LEGACY = [
    (RUSSIAN, "cp1251", "windows-1251"),
    (JAPANESE, "shift_jis", "Shift_JIS"),
    (KOREAN, "euc_kr", "EUC-KR"),
    (CHINESE, "gb2312", "GB2312"),
    (CHINESE_GBK, "gbk", "GBK"),
    (FRENCH, "cp1252", "windows-1252"),
    (RUSSIAN, "utf-8", "utf-8"),
    (JAPANESE, "utf-8", "utf-8"),
]
