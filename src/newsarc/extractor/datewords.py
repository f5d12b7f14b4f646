"""The words of dates: zone abbreviations most sites agree on and month names in the
languages pages are written in (``dates`` reads declared dates with them, ``datelines`` the
dateline under a headline, ``datezones`` a zone as the page's region means it)."""

# Zone abbreviations unambiguous enough to trust in a date string ("IST" and "CST" are not).
ZONES = {
    name: hours
    for hours, names in (
        (0, "utc gmt z wet"),
        (1, "bst cet met mez wat"),
        (2, "cest mest mesz eet sast cat"),
        (3, "eest msk eat"),
        (9, "jst kst"),
        (10, "aest"),
        (11, "aedt"),
        (12, "nzst"),
        (13, "nzdt"),
        (-4, "edt"),
        (-5, "est cdt"),
        (-6, "mdt"),
        (-7, "mst pdt"),
        (-8, "pst"),
    )
    for name in names.split()
}
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            "jan january januar janvier enero ene gennaio januari janeiro stycznia ocak"
            " января січня يناير",  # and كانون الثاني, added below
            "feb february februar fevrier février febrero febbraio februari fevereiro fev"
            " lutego şubat subat февраля лютого فبراير شباط",
            "mar march märz maerz mars marzo maart mrt marca março marco mart марта березня"
            " مارس آذار اذار",
            "apr april avril abril aprile abr kwietnia nisan апреля квітня أبريل ابريل إبريل نيسان",
            "may mai mayo maggio mei maio maja mayıs mayis мая травня مايو أيار ايار",
            "jun june juni juin junio giugno junho czerwca haziran июня червня يونيو يونيه حزيران",
            "jul july juli juillet julio luglio julho lipca temmuz июля липня يوليو يوليه تموز",
            "aug august août aout agosto augustus ago sierpnia ağustos agustos августа серпня"
            " أغسطس اغسطس آب اب",
            "sep sept september septembre septiembre settembre setembro set wrzesnia września"
            " eylül eylul сентября вересня سبتمبر أيلول ايلول",
            "oct october oktober octobre octubre ottobre outubro out okt pazdziernika"
            " października ekim октября жовтня أكتوبر اكتوبر",
            "nov november novembre noviembre novembro listopada kasım kasim ноября листопада"
            " نوفمبر",
            "dec december dezember decembre décembre diciembre dic dicembre dezembro dez"
            " grudnia aralık aralik декабря грудня ديسمبر",
        ]
    )
    for name in names.split()
}
# The Levantine names of two words, as a dateline reads them (with or without the hamza).
MONTHS.update(
    (f"{first} {second}", month)
    for first, second, month in (
        ("كانون", "الثاني", 1), ("تشرين", "الأول", 10), ("تشرين", "الاول", 10),
        ("تشرين", "الثاني", 11), ("كانون", "الأول", 12), ("كانون", "الاول", 12),
    )
)  # fmt: skip
