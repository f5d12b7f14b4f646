"""Near-duplicate stories in the archive: band-key candidates confirmed on the two bodies,
the boilerplate guard, the stored similarity, and links kept current when a text changes."""

from __future__ import annotations

import pytest
import sqlite_utils

from newsarc import store
from newsarc.dedupe import (
    THRESHOLD,
    band_keys,
    headlines_agree,
    overlap,
    shingles,
    signature,
    similarity,
)
from newsarc.model import Article
from newsarc.store import stories
from tests.conftest import fixture_path

SEED = fixture_path("seed.txt").read_text(encoding="utf-8")
SEED_BODY = "\n".join(line for line in SEED.splitlines()[1:] if line.strip() != "Source link")
SEED_HEADLINE = "Men flee to Georgia to avoid Putin's call-up"
COPY_HEADLINE = SEED.splitlines()[0].split(" | ")[0]  # the aggregator re-titled it

# A site's subscription pitch, shown instead of the text of every paywalled article.
NOTICE = (
    "Only subscribers can read this article in full. Good journalism takes time and money,"
    " and our readers pay for it: a subscription gives you every story on the site, the"
    " puzzles, the newsletters and the printed edition as a digital replica on your phone,"
    " tablet or computer. Our reporters attend the council chamber, the magistrates court and"
    " the planning committee every week so that you know what is decided in your name."
    " Subscribe now for one pound a week for three months and six pounds a week after that,"
    " and cancel whenever you like with two clicks. Already a subscriber? Sign in to carry on"
    " reading where you left off."
)
# A notice longer than MIN_SHARED words: the subscription pitch and, below it, the consent
# text of the site's cookie wall, both shown instead of every paywalled article.
LONG_NOTICE = (
    NOTICE + "\nWe and our partners use cookies and similar technologies on this site to"
    " store and read information on your device, to measure how our pages are used, to show"
    " you advertising that suits your interests and to understand our audiences. You can"
    " accept all of them, refuse those that are not needed for the site to work, or choose"
    " which purposes you allow in the settings, where you can change your mind at any time."
    " Refusing them does not stop you reading the free articles on this site, but some videos,"
    " maps and comment sections may no longer be shown to you."
)
SUBJECTS = [
    ("The central hospital", "will cut two hundred jobs by the summer"),
    ("A bakery on the high street", "was fined for breaking food hygiene rules"),
    ("The students' union", "voted to boycott the graduation ceremony"),
    ("Police in the north", "appealed for witnesses after a run of burglaries"),
    ("The new stadium", "failed its final safety inspection"),
    ("A primary school in Eastfield", "closed after a water main burst"),
    ("The river ferry", "suspended crossings after a collision at dawn"),
    ("Tenants of the Harbour estate", "complained of damp for a third winter"),
    ("The bus company", "will withdraw twelve routes next month"),
    ("A veterans' charity", "lost its grant and may close its shelter"),
    ("The zoo", "celebrated the birth of an elephant calf"),
    ("The cathedral choir", "will tour North America for the first time"),
]


def _article(url: str, headline: str, body: str, **fields: object) -> Article:
    return Article(url=url, headline=headline, body=body, **fields)  # type: ignore[arg-type]


def _save(db: sqlite_utils.Database, url: str, headline: str, body: str) -> int:
    return store.save_article(db, _article(url, headline, body)).id


def _copies(db: sqlite_utils.Database) -> dict[int, tuple[int, float]]:
    rows = db.execute("SELECT article_id, story_id, similarity FROM story_copies")
    return {article_id: (story, value) for article_id, story, value in rows}


def _stub(n: int, notice: str = NOTICE) -> tuple[str, str]:
    subject, event = SUBJECTS[n]
    teaser = f"{subject} {event}, a decision that surprised many and prompted calls for answers."
    return f"{subject} {event.split()[0]} news", f"{teaser}\n{notice}"


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (0, 3, 1, 2), (3, 0, 1, 2), (1, 2, 3, 0)])
def test_one_sites_stubs_do_not_join_through_another_sites_copy_of_one(
    db: sqlite_utils.Database, order: tuple[int, ...]
) -> None:
    """Each pair is confirmed on its own: the aggregator's copy of one stub shares the long
    notice with every other stub of the site, so it must not carry them into its story."""
    pages = [(f"https://paper.example/premium/{n}", *_stub(n, LONG_NOTICE)) for n in range(3)]
    retitled = "Aggregated: " + " ".join(SUBJECTS[5])
    pages.append(("https://aggregator.example/item/1", retitled, _stub(0, LONG_NOTICE)[1]))
    ids = {n: _save(db, *pages[n]) for n in order}
    stubs = [ids[n] for n in range(3)]
    story = {i: store.story_of(db, i) for i in stubs}
    assert len(set(story.values())) == 3  # three articles of one site, three stories
    assert store.story_of(db, ids[3]) in story.values()  # the copy joins one of them


@pytest.mark.parametrize("copy_first", [False, True])
def test_a_retitled_copy_on_another_site_joins_the_story_in_either_order(
    db: sqlite_utils.Database, copy_first: bool
) -> None:
    copy = SEED_BODY + "\nSource link"
    pages = [
        ("https://example.com/world/georgia", SEED_HEADLINE, SEED_BODY),
        ("https://aggregator.example/news/georgia", COPY_HEADLINE, copy),
    ]
    if copy_first:
        pages.reverse()
    first, second = (_save(db, *item) for item in pages)
    exact = overlap(shingles(SEED_BODY), shingles(copy)).jaccard
    assert _copies(db) == {second: (first, round(exact, 3))}
    assert store.story_members(db, second) == [first, second]


def test_a_candidate_below_the_threshold_is_not_linked(db: sqlite_utils.Database) -> None:
    """Sharing a band key makes a candidate, not a copy (it happens at similarity 0.5)."""
    lines = SEED_BODY.splitlines()
    half = "\n".join(lines[: len(lines) // 2])
    other = half + "\n" + " ".join(f"Unrelated sentence number {i} about trams." for i in range(40))
    original = _save(db, "https://example.com/a", SEED_HEADLINE, SEED_BODY)
    mixed = _save(db, "https://example.com/b", SEED_HEADLINE, other)
    assert overlap(shingles(SEED_BODY), shingles(other)).jaccard < THRESHOLD
    # even when its band keys all match, as a cheaper check would have taken it
    assert store.link_story(db, mixed, band_keys(signature(SEED_BODY))) == mixed
    assert store.story_candidates(db, band_keys(signature(SEED_BODY)), exclude=mixed)[0][0] == (
        original
    )
    assert _copies(db) == {}


def test_paywalled_stubs_of_one_site_stay_separate_articles(db: sqlite_utils.Database) -> None:
    ids = []
    for n in range(len(SUBJECTS)):
        headline, body = _stub(n)
        ids.append(_save(db, f"https://paper.example/premium/{n}", headline, body))
    # identical notices under two more headlines: not one article, not one story
    ids.append(_save(db, "https://paper.example/premium/mayor", "Mayor resigns", NOTICE))
    ids.append(_save(db, "https://paper.example/premium/flood", "Flood defences fail", NOTICE))
    assert len(set(ids)) == len(SUBJECTS) + 2
    # the stubs are similar enough to be candidates and some pass the threshold
    sigs = [signature(_stub(n)[1]) for n in range(len(SUBJECTS))]
    assert max(similarity(sigs[0], sig) for sig in sigs[1:]) >= 0.5
    assert _copies(db) == {}
    assert not store.has_copies(db)


def test_the_same_stub_on_another_site_with_another_headline_is_not_a_copy(
    db: sqlite_utils.Database,
) -> None:
    """A publisher's notice shared by its sites is too short to stand for a story."""
    assert len(shingles(NOTICE)) < stories.MIN_SHARED
    _save(db, "https://paper-a.example/p/1", "Mayor resigns", NOTICE)
    _save(db, "https://paper-b.example/p/2", "Flood defences fail", NOTICE)
    assert _copies(db) == {}


@pytest.mark.parametrize(
    ("first_host", "other_host"),
    [
        ("paper.example", "paper.example"),
        ("www.paper.example", "paper.example"),
        ("paper.example", "news.paper.example"),
        ("news.paper.co.uk", "sport.paper.co.uk"),  # siblings: one registrable domain
    ],
)
def test_long_stubs_of_one_site_under_other_headlines_are_separate_stories(
    db: sqlite_utils.Database, first_host: str, other_host: str
) -> None:
    """A stub longer than MIN_SHARED words: what the two share is a story's length, but a
    site does not publish one text under two unrelated headlines. A copy of one of them
    under its own headline (the same article at another address) still joins it."""
    ids = []
    for n in range(4):
        host = first_host if n % 2 == 0 else other_host
        headline, body = _stub(n, LONG_NOTICE)
        ids.append(_save(db, f"https://{host}/premium/{n}", headline, body))
    bare = [
        _save(db, f"https://{host}/premium/{name}", name.capitalize(), LONG_NOTICE)
        for host, name in ((first_host, "mayor"), (other_host, "flood"))
    ]
    first, second = (shingles(_stub(n, LONG_NOTICE)[1]) for n in (0, 1))
    assert overlap(first, second).shared >= stories.MIN_SHARED
    assert overlap(first, second).jaccard >= THRESHOLD
    assert overlap(shingles(LONG_NOTICE), first).jaccard >= THRESHOLD
    assert _copies(db) == {}
    headline, body = _stub(2, LONG_NOTICE)
    again = _save(db, f"https://{other_host}/amp/premium/2", headline, body + " Share this.")
    assert _copies(db).keys() == {again} and store.story_of(db, again) == ids[2]
    assert all(store.story_members(db, i) == [i] for i in [*ids[:2], ids[3], *bare])


@pytest.mark.parametrize("copy_first", [False, True])
@pytest.mark.parametrize(
    ("copy_url", "linked"),
    [
        ("https://aggregator.example/news/georgia", True),
        ("https://example.com/world/georgia-men-flee", False),
        ("https://www.example.com/georgia", False),
    ],
)
def test_a_retitled_text_is_a_copy_on_another_site_and_another_article_on_the_same(
    db: sqlite_utils.Database, copy_url: str, linked: bool, copy_first: bool
) -> None:
    """The seed's re-titled aggregator copy joins the story; the same long text under those
    two headlines on one site is two articles, as two long stubs are: the site decides."""
    assert not headlines_agree(SEED_HEADLINE, COPY_HEADLINE)
    pages = [
        ("https://example.com/world/georgia", SEED_HEADLINE, SEED_BODY),
        (copy_url, COPY_HEADLINE, SEED_BODY + "\nSource link"),
    ]
    if copy_first:
        pages.reverse()
    first, second = (_save(db, *item) for item in pages)
    assert store.story_members(db, first) == ([first, second] if linked else [first])


def test_one_sites_text_without_a_headline_keeps_the_shared_length_rule(
    db: sqlite_utils.Database,
) -> None:
    """A missing headline is no evidence of another article: a long shared text is a story,
    as before (a page whose headline the extractor could not find)."""
    first = _save(db, "https://example.com/world/georgia", SEED_HEADLINE, SEED_BODY)
    bare = _save(db, "https://example.com/print/georgia", "", SEED_BODY + " Printed.")
    headline, body = _stub(0, LONG_NOTICE)
    stub = _save(db, "https://paper.example/premium/0", headline, body)
    other = _save(db, "https://paper.example/premium/1", *_stub(1, LONG_NOTICE))
    assert _copies(db).keys() == {bare} and store.story_of(db, bare) == first
    assert store.story_of(db, other) == other != stub


def test_differently_titled_bodies_must_share_a_story_length_text(
    db: sqlite_utils.Database,
) -> None:
    lines = SEED_BODY.splitlines()
    short = "\n".join(lines[:4])
    assert 50 < len(shingles(short)) < stories.MIN_SHARED
    _save(db, "https://example.com/a", SEED_HEADLINE, short)
    other = _save(db, "https://example.com/b", "Weather: storms expected", short + " Ok.")
    assert _copies(db) == {}
    same = _save(db, "https://example.com/c", SEED_HEADLINE.upper(), short + " Updated.")
    assert set(_copies(db)) == {same} and other not in store.story_members(db, same)


def test_a_story_that_joins_another_brings_its_copies(db: sqlite_utils.Database) -> None:
    a = _save(db, "https://a.example/1", SEED_HEADLINE, "Short first version.")
    b = _save(db, "https://b.example/1", SEED_HEADLINE, SEED_BODY)
    c = _save(db, "https://c.example/1", SEED_HEADLINE, SEED_BODY + "\nSource link")
    assert _copies(db).keys() == {c} and store.story_of(db, c) == b
    # a's full text arrives (a re-fetch): a is the oldest, so b's story becomes a's
    store.save_article(db, _article("https://a.example/1", SEED_HEADLINE, SEED_BODY + " End."))
    assert store.story_members(db, c) == [b, a, c] or store.story_members(db, a) == [a, b, c]
    assert len({store.story_of(db, x) for x in (a, b, c)}) == 1


def test_fake_band_keys_link_nothing_without_similar_bodies(db: sqlite_utils.Database) -> None:
    ids = [_save(db, f"https://site{n}.example/x", SEED_HEADLINE, f"version {n}") for n in range(3)]
    assert store.link_story(db, ids[0], ["b1", "b2", "b3", "b4"]) == ids[0]
    assert store.story_candidates(db, ["b2", "b3", "zz"]) == [(ids[0], 2)]
    assert store.link_story(db, ids[1], ["b1", "b2", "x3", "x4"]) == ids[1]
    assert not store.has_copies(db)
    store.set_story(db, ids[2], ids[1], similarity=0.9)
    assert store.story_members(db, ids[1]) == ids[1:]
    store.set_story(db, ids[0], ids[2])
    assert store.story_of(db, ids[0]) == ids[1]
    store.set_story(db, ids[2], None)
    assert store.story_members(db, ids[1]) == [ids[1], ids[0]]


def test_a_changed_text_gets_new_band_keys_and_link(db: sqlite_utils.Database) -> None:
    """A story that grows after its first fetch: the keys of its first version would never
    find a copy of the full story."""
    lines = SEED_BODY.splitlines()
    first = _save(db, "https://example.com/developing", SEED_HEADLINE, "\n".join(lines[:3]))
    stale = {row[0] for row in db.execute("SELECT band FROM story_bands")}
    store.save_article(db, _article("https://example.com/developing", SEED_HEADLINE, SEED_BODY))
    keys = {row[0] for row in db.execute("SELECT band FROM story_bands")}
    assert keys == set(band_keys(signature(SEED_BODY))) and keys != stale
    copy = _save(db, "https://aggregator.example/x", COPY_HEADLINE, SEED_BODY + "\nSource link")
    assert store.story_of(db, copy) == first
    # and when the text changes to another story, the copy link goes
    store.save_article(
        db, _article("https://aggregator.example/x", COPY_HEADLINE, NOTICE + " " + NOTICE)
    )
    assert _copies(db) == {}


def test_when_a_storys_first_text_changes_its_copies_are_confirmed_again(
    db: sqlite_utils.Database,
) -> None:
    # The page of a story's first article now holds another text (a reused address): its
    # copy, linked on the old text, must not stay hidden behind it in search.
    original = _save(db, "https://news.example/a", SEED_HEADLINE, SEED_BODY)
    copy = _save(db, "https://aggregator.example/a", COPY_HEADLINE, SEED_BODY + " Source link")
    second = _save(db, "https://mirror.example/a", SEED_HEADLINE, SEED_BODY + " Mirrored.")
    assert set(_copies(db)) == {copy, second}
    store.save_article(
        db, _article("https://news.example/a", SEED_HEADLINE, SEED_BODY + " Updated.")
    )
    assert {c: story for c, (story, _) in _copies(db).items()} == {copy: original, second: original}
    other = " ".join(
        f"Council item {i} concerns the new bus lanes on the ring road." for i in range(40)
    )
    store.save_article(db, _article("https://news.example/a", "Bus lanes approved", other))
    links = {c: story for c, (story, _) in _copies(db).items()}
    assert original not in links.values()  # neither copy hides behind the new text
    assert links in ({second: copy}, {copy: second})  # the two copies are still one story


def test_remembered_shingles_are_the_ones_computed() -> None:
    # The writer remembers each body's shingles by its content hash: a body that hashes the
    # same (another case, other spacing) must have the very same shingles.
    from newsarc.dedupe import shingles
    from newsarc.model import content_hash
    from newsarc.store import stories

    body = " ".join(f"Word{i} of the harbour story, told again" for i in range(80))
    other = "  " + body.upper().replace(" ", "\n ")
    assert content_hash(body) == content_hash(other)
    stories.forget_shingles()
    first = stories._shingles_of(content_hash(body), body, shingles)
    again = stories._shingles_of(content_hash(other), other, shingles)
    assert again is first  # remembered
    assert (shingles(other) == first).all() and len(first) > 0
    held = first.nbytes
    budget = stories._SHINGLES_BYTES
    try:  # bounded by the bytes held
        stories._SHINGLES_BYTES = 3 * held
        for n in range(5):
            stories.remember_shingles(f"k{n}", first.copy())
        assert len(stories._SHINGLES) == 3 and stories._held[0] == 3 * held
        assert content_hash(body) not in stories._SHINGLES  # the oldest went first
    finally:
        stories._SHINGLES_BYTES = budget
        stories.forget_shingles()


def test_fingerprint_is_signature_and_shingles_in_one() -> None:
    from newsarc.dedupe import fingerprint, shingles, signature

    body = " ".join(f"Word{i} of the harbour story, told again" for i in range(80))
    sig, found = fingerprint(body)
    assert sig == signature(body)
    assert found.size and found.tolist() == shingles(body).tolist()
    short_sig, short_shingles = fingerprint("too short")
    assert short_sig == [] and short_shingles.size == 0
