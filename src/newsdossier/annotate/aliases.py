"""Entity merging: one stable ``entity_id`` for every mention of the same thing across articles.

General rules, no list of names:

1. A mention's *name* is its text without possessive, leading "the", leading titles (people) and
   trailing lower-case descriptors (places/organisations: "Vellmar harbour" -> "Vellmar").
2. Names with the same spelling-insensitive key (diacritics, case, name particles such as
   "al-", and the usual transliteration alternations kh/h, ou/u, ei/ey/ee/y/i, doubled letters:
   see :func:`entity_names.fold_word`) are one entity. Types must agree: PERSON stays apart
   from the rest; ORG / PLACE / OTHER may join (metonymy, and the tagger mixes them up).
3. Near spellings merge only when conservative evidence agrees: same word count, same first
   letter, same consonant skeleton (only vowels differ), edit similarity >= 0.8, words of >= 5
   letters, neither a prefix of the other ("Germany" / "German"), a shared context (same article, or another entity seen with both), and for people
   an identical surname. A single-word person name never near-merges ("Obama" / "Osama").
4. A shorter person name ("Assad", "Bashar Assad", "Barack") joins the one full name it is part
   of (surname, else given name, or first + last words) when exactly one fits and they share
   context; with two candidates it stays its own, unresolved entity.
5. A one-word name tagged with both type classes joins the other reading when that entity has
   at least twice (and two more) as many mentions (tagger noise), unless it already joined a full
   name; a lone one-word person that no full name explains needs only as many.
6. A non-person span opening with a word the set uses alone as OTHER, or with a word shaped like a
   nationality adjective ("<Nationality> <Name>"), is matched by the rest of its name, when the set
   also uses the rest on its own.

The canonical name is the fullest form (most words, then the most frequent spelling); ids are
``"e_" + sha1(type | key of the canonical name)`` so they are stable across runs.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from ..model import Article, EntityMention, StoryEntity
from .entity_names import core_tokens, fold_word, is_title, skeleton, strip_possessive

MentionKey = tuple[str, int, int]  # (article id, start, end)
MentionsByArticle = Mapping[str, tuple[str, Sequence[EntityMention]]]

NEAR_MIN_LETTERS = 5
NEAR_MIN_SIMILARITY = 0.8
TYPE_MAJORITY = 2  # a one-word name joins the other type class if that is used this many times more
FUNCTION_WORDS = frozenset({"of", "for", "and", "de", "du", "des", "la", "le", "on", "in", "at", "the"})
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*\.?", re.UNICODE)
# The shape of an adjective of nationality ("Russian", "Syrian", "Chinese", "British", "Ostlandic"): with
# rule 6, a place or organisation name opening with such a word joins the rest of its name when the set
# uses the rest alone ("Russian Hmeimim" -> "Hmeimim", while "British Airways" stays whole) and never
# uses the word alone as a place or organisation ("Jordan Valley" stays whole).
DEMONYM_SHAPE = re.compile(r"^[A-Z][a-z]+(?:an|ese|ish|ic)$")
TYPE_PRIORITY = ("PLACE", "ORG", "PERSON", "OTHER")  # on a tie; PERSON ties only via rule 5


@dataclass(frozen=True, slots=True)
class EntityCluster:
    """One real-world entity in a set of articles."""

    id: str
    name: str  # canonical (fullest) form
    type: str
    aliases: tuple[str, ...]  # other surface forms, most frequent first
    article_ids: tuple[str, ...]
    mentions: tuple[MentionKey, ...]

    def as_story_entity(self) -> StoryEntity:
        return StoryEntity(self.id, self.name, self.type, self.aliases, self.article_ids)


@functools.lru_cache(maxsize=65536)  # pure; the merge asks for the same surfaces many times
def display_name(surface: str, person: bool) -> str:
    """The name inside a mention's text ("President Vladimir Putin's" -> "Vladimir Putin")."""
    text = strip_possessive(" ".join(surface.split()))
    words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    while len(words) > 1 and words[0][2].lower() in ("the", "a", "an"):
        words = words[1:]
    if person:
        while len(words) > 1 and is_title(words[0][2]):
            words = words[1:]
    else:
        # Trailing lower-case descriptors ("airbase", "port city"), unless that leaves "Bank of".
        cut = len(words)
        while cut > 1 and words[cut - 1][2][:1].islower():
            cut -= 1
        if cut < len(words) and words[cut - 1][2].lower() not in FUNCTION_WORDS:
            words = words[:cut]
    if not words:
        return text
    name = text[words[0][0] : words[-1][1]]
    return name[:-1] if name.endswith(".") and not re.search(r"\b\w\.$", name) else name


@functools.lru_cache(maxsize=65536)  # pure; a batch repeats the same few thousand names
def name_key(name: str) -> tuple[str, ...]:
    """Spelling-insensitive key of a name: folded words, particles removed."""
    words = [w.rstrip(".") for w in _WORD_RE.findall(name)]
    return tuple(k for k in (fold_word(w) for w in core_tokens(words)) if k)


def _type_class(entity_type: str) -> str:
    return "PERSON" if entity_type == "PERSON" else "NAMED"


@dataclass
class _Group:
    """All mentions sharing one (type class, key)."""

    key: tuple[str, ...]
    cls: str
    mentions: list[MentionKey]
    names: Counter[str]
    types: Counter[str]
    articles: set[str]


class _UnionFind:
    """Union-find whose root is always the smallest index of its set, with each set's members."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            root, other = min(ra, rb), max(ra, rb)
            self.parent[other] = root
            self.members[root].extend(self.members.pop(other))


def near_word(a: str, b: str) -> bool:
    """Two folded words that are spellings of one name (see rule 3 of the module doc)."""
    if a == b:
        return True
    if a.startswith(b) or b.startswith(a):
        return False  # a suffix, not a spelling: "Ostland" / "Ostlandi" (country / demonym)
    return (
        min(len(a), len(b)) >= NEAR_MIN_LETTERS
        and a[0] == b[0]
        and skeleton(a) == skeleton(b)
        and Levenshtein.normalized_similarity(a, b) >= NEAR_MIN_SIMILARITY
    )


def _near_names(g: _Group, h: _Group) -> bool:
    if g.cls != h.cls or len(g.key) != len(h.key) or g.key == h.key:
        return False
    if g.cls == "PERSON" and (len(g.key) < 2 or g.key[-1] != h.key[-1]):
        return False
    return all(near_word(a, b) for a, b in zip(g.key, h.key))


def _sub_name(short: tuple[str, ...], full: tuple[str, ...], given: bool = False) -> bool:
    """Is ``short`` a way of calling ``full``: its surname, (with ``given``) its given name, or
    its first and last words?"""
    if len(short) >= len(full):
        return False
    if len(short) == 1:
        return short[0] == (full[0] if given else full[-1])
    if short[0] != full[0] or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(word in it for word in short)  # a subsequence


_SPAN = operator.attrgetter("start", "end")


def _groups(mentions_by_article: MentionsByArticle) -> list[_Group]:
    # Each (type, name)'s mentions in reading order (articles by id, spans in order); the dict keeps
    # the names in the order they first occur, which is all the groups' order and their counters'
    # (first seen wins a tie) depend on, so a group's counts are added once per name, not per mention.
    mentions_of: dict[tuple[str, str], list[MentionKey]] = {}
    shown_as: dict[tuple[str, bool], str] = {}  # display_name per distinct surface (names repeat)
    for aid in sorted(mentions_by_article):
        text, mentions = mentions_by_article[aid]
        for m in sorted(mentions, key=_SPAN):
            surface = (text[m.start : m.end], m.type == "PERSON")
            name = shown_as.get(surface)
            if name is None:
                name = shown_as[surface] = display_name(*surface)
            keys = mentions_of.get((m.type, name))
            if keys is None:
                keys = mentions_of[(m.type, name)] = []
            keys.append((aid, m.start, m.end))
    typed_names = set(mentions_of)
    # Words the set uses on their own as OTHER entities (nationalities, mostly): a non-person
    # span that opens with one ("<Nationality> <Name>") is matched by the rest of its name when
    # the set also uses that rest on its own.
    modifiers, named_keys, places = set(), set(), set()
    for kind, name in typed_names:
        key = name_key(name)
        if kind != "PERSON":
            named_keys.add(key)
        if kind == "OTHER" and len(key) == 1:
            modifiers.add(key[0])
        if kind in ("PLACE", "ORG") and len(key) == 1:
            places.add(key[0])
    # what each (type, name) becomes: its group's (type class, key) and the name it counts as
    resolved: dict[tuple[str, str], tuple[tuple[str, tuple[str, ...]], str]] = {}
    for kind, name in typed_names:
        key, shown = name_key(name) or (name.lower(),), name
        if kind != "PERSON" and len(key) > 1 and key[1:] in named_keys:
            first = name.split(None, 1)[0]
            if key[0] in modifiers or (DEMONYM_SHAPE.match(first) and key[0] not in places):
                words = name.split(None, 1)
                if len(words) == 2 and name_key(words[1]) == key[1:]:
                    shown, key = words[1], key[1:]
        resolved[(kind, name)] = ((_type_class(kind), key), shown)
    by_key: dict[tuple[str, tuple[str, ...]], _Group] = {}
    for (kind, name), keys in mentions_of.items():
        group_key, shown = resolved[(kind, name)]
        group = by_key.get(group_key)
        if group is None:
            group = by_key[group_key] = _Group(group_key[1], group_key[0], [], Counter(), Counter(), set())
        group.mentions.extend(keys)  # (their order is never read: clusters sort their mentions)
        group.names[shown] += len(keys)
        group.types[kind] += len(keys)
        group.articles.update(aid for aid, _, _ in keys)
    return list(by_key.values())


def _near_block(g: _Group) -> tuple | None:
    """The block of names ``g`` can near-merge with (see :func:`_near_blocks`); None: none at all."""
    if g.cls == "PERSON":
        if len(g.key) < 2:
            return None
        return (g.cls, g.key[-1], tuple(skeleton(w) for w in g.key))
    return (g.cls, tuple(skeleton(w) for w in g.key))


def _near_blocks(groups: Sequence[_Group]) -> list[list[int]]:
    """Groups split into blocks such that every pair :func:`_near_names` accepts shares a block.

    Exact, not a heuristic: ``_near_names(g, h)`` needs equal type classes, equal word counts and
    ``near_word`` true word by word; ``near_word(a, b)`` is true only when ``a == b`` or
    ``skeleton(a) == skeleton(b)``, so both names have the same tuple of word skeletons (which also
    fixes the word count). For people it further needs two words or more and the same last word. The
    block key (type class, [surname,] skeleton tuple) holds all of these, so comparing pairs inside
    blocks finds every near pair the all-pairs loop found; union-find makes the partition
    independent of the order of the unions (and its root is always the smallest index).
    """
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        block = _near_block(g)
        if block is not None:
            blocks[block].append(i)
    return [idx for idx in blocks.values() if len(idx) > 1]


def cluster_entities(mentions_by_article: MentionsByArticle) -> list[EntityCluster]:
    """Group the mentions of ``{article_id: (text, mentions)}`` into entities.

    Linear in the number of names, not quadratic: near spellings are only compared inside blocks
    that hold every possible match (:func:`_near_blocks`), and a short person name is only checked
    against the full names indexed under its last word (or, as a given name, its first word), which
    are the only ones :func:`_sub_name` can accept (a one-word short name equals the full name's
    last word, or first word with ``given``; a longer one shares first and last words).
    """
    groups = _groups(mentions_by_article)
    groups_in_article: dict[str, set[int]] = defaultdict(set)
    for i, g in enumerate(groups):
        for aid in g.articles:
            groups_in_article[aid].add(i)
    context_cache: dict[int, set[int]] = {}

    def context(i: int) -> set[int]:
        """Every group in an article of group ``i`` (``i`` itself included)."""
        if i not in context_cache:
            context_cache[i] = set().union(*(groups_in_article[a] for a in groups[i].articles))
        return context_cache[i]

    def share_context(i: int, j: int) -> bool:
        if groups[i].articles & groups[j].articles:
            return True
        # (ctx_i - {i, j}) & (ctx_j - {i, j}) == (ctx_i & ctx_j) - {i, j}
        return bool((context(i) & context(j)) - {i, j})

    uf = _UnionFind(len(groups))
    for idx in _near_blocks(groups):
        for a, i in enumerate(idx):
            for j in idx[a + 1 :]:
                if _near_names(groups[i], groups[j]) and share_context(i, j):
                    uf.union(i, j)

    # Shorter person names join their one full name; longest first, so "Bashar Assad" settles
    # before "Assad". A surname reading wins over a given-name reading.
    people = [i for i, g in enumerate(groups) if g.cls == "PERSON"]
    by_last: dict[str, list[int]] = defaultdict(list)
    by_first: dict[str, list[int]] = defaultdict(list)
    for j in people:
        by_last[groups[j].key[-1]].append(j)
        by_first[groups[j].key[0]].append(j)
    attached: set[int] = set()
    for i in sorted(people, key=lambda i: -len(groups[i].key)):
        key = groups[i].key
        for given in (False, True):
            # Only these can pass _sub_name (see the docstring).
            candidates = by_first.get(key[0], ()) if given and len(key) == 1 else by_last.get(key[-1], ())
            fits = {uf.find(j) for j in candidates if _sub_name(key, groups[j].key, given)}
            fits.discard(uf.find(i))
            if fits:
                break
        if len(fits) == 1:
            target = fits.pop()
            # The target's set holds people only: near merges keep to one type class, and this
            # loop only joins people, so it is exactly [j in people with find(j) == target].
            partners = uf.members[target]
            if any(share_context(i, j) for j in partners):
                uf.union(i, target)
                attached.add(i)

    # The tagger's type is noisy ("the Assad government" as a place): a one-word name used far
    # more often with the other type class in this set joins that reading.
    sizes: Counter[int] = Counter()
    for i, g in enumerate(groups):
        sizes[uf.find(i)] += len(g.mentions)

    def cluster_size(i: int) -> int:
        return sizes[uf.find(i)]

    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        if len(g.key) == 1:
            by_key[g.key].append(i)
    for same in by_key.values():
        if len(same) == 2:
            small, big = sorted(same, key=lambda i: cluster_size(i))
            if small in attached:
                continue
            # A lone one-word "person" that no full name in the set explains is most likely a
            # tagging error for the place / organisation of that name (sorted: it has no more mentions).
            lone_person = groups[small].cls == "PERSON" and cluster_size(small) == len(groups[small].mentions)
            big_n, small_n = cluster_size(big), cluster_size(small)
            if lone_person or (big_n >= TYPE_MAJORITY * small_n and big_n >= small_n + 2):
                uf.union(small, big)

    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(groups)):
        members[uf.find(i)].append(i)  # (not uf.members: this keeps the clusters' first-seen order)
    clusters = [_make_cluster([groups[i] for i in idx]) for idx in members.values()]
    return _dedupe_ids(sorted(clusters, key=lambda c: (c.type, c.name, c.id)))


def _make_cluster(groups: list[_Group]) -> EntityCluster:
    names: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for g in groups:
        names.update(g.names)
        types.update(g.types)
    entity_type = max(types, key=lambda t: (types[t], -TYPE_PRIORITY.index(t) if t in TYPE_PRIORITY else -9))
    fullest = max(groups, key=lambda g: (len(g.key), sum(g.names.values())))
    # Most frequent spelling; on a tie the first seen (Counter keeps insertion order).
    canonical = max(fullest.names, key=lambda n: fullest.names[n])
    aliases = tuple(n for n, _ in sorted(names.items(), key=lambda kv: (-kv[1], kv[0])) if n != canonical)
    digest = hashlib.sha1(f"{entity_type}|{' '.join(fullest.key)}".encode()).hexdigest()[:12]
    mentions = tuple(sorted(m for g in groups for m in g.mentions))
    articles = tuple(sorted({a for g in groups for a in g.articles}))
    return EntityCluster(f"e_{digest}", canonical, entity_type, aliases, articles, mentions)


def _dedupe_ids(clusters: list[EntityCluster]) -> list[EntityCluster]:
    seen: Counter[str] = Counter()
    out = []
    for c in clusters:
        seen[c.id] += 1
        out.append(c if seen[c.id] == 1 else replace(c, id=f"{c.id}_{seen[c.id]}"))
    return out


def merge_entities(mentions_by_article: MentionsByArticle) -> dict[MentionKey, str]:
    """``{(article_id, start, end): entity_id}`` for every mention."""
    return {m: c.id for c in cluster_entities(mentions_by_article) for m in c.mentions}


def describe_entities(mentions_by_article: MentionsByArticle) -> list[StoryEntity]:
    """The entities of a set of articles: canonical name, type, aliases, article ids."""
    return [c.as_story_entity() for c in cluster_entities(mentions_by_article)]


def link_entities(articles: Sequence[Article]) -> tuple[list[Article], list[StoryEntity]]:
    """Articles with ``entity_id`` set on every mention, and the entities they share."""
    clusters = cluster_entities({a.id: (a.text, a.entities) for a in articles})
    ids = {m: c.id for c in clusters for m in c.mentions}
    return [with_entity_ids(a, ids) for a in articles], [c.as_story_entity() for c in clusters]


def with_entity_ids(article: Article, ids: Mapping[MentionKey, str]) -> Article:
    """``article`` with each mention's ``entity_id`` from ``ids`` (None where it has none)."""
    return replace(article, entities=tuple(
        replace(e, entity_id=ids.get((article.id, e.start, e.end))) for e in article.entities))
