"""Which stories an incremental run compares again (see ``newsdossier.engine.incremental``)."""

from __future__ import annotations

from dataclasses import replace

from newsdossier.engine.incremental import changed_stories
from newsdossier.model import Article, Reuse, Story


def _article(aid: str, reuse: tuple[Reuse, ...] = ()) -> Article:
    return Article(id=aid, input="-", text=f"Text of {aid}.", reuse=reuse)


def _setup():
    stored = {a.id: a for a in (_article("a1"), _article("a2"), _article("b1"))}
    existing = (Story(id="A", headline="A", article_ids=("a1", "a2")),
                Story(id="B", headline="B", article_ids=("b1",)))
    return stored, existing


def test_a_reuse_link_to_an_article_outside_the_story_does_not_reopen_it() -> None:
    stored, existing = _setup()
    new = _article("c1")
    a1 = replace(stored["a1"], reuse=(Reuse("c1", 300),))  # the new article, in story C, copied from a1
    linked = [a1, stored["a2"], stored["b1"], new]
    stories = [*existing, Story(id="C", headline="C", article_ids=("c1",))]
    assert changed_stories(stories, linked, existing, stored) == {"C"}


def test_a_reuse_link_between_members_reopens_the_story() -> None:
    stored, existing = _setup()
    a1 = replace(stored["a1"], reuse=(Reuse("a2", 300),))  # now a1 and a2 count as one source
    assert changed_stories(list(existing), [a1, stored["a2"], stored["b1"]], existing, stored) == {"A"}


def test_any_other_change_of_a_member_reopens_the_story() -> None:
    stored, existing = _setup()
    a1 = replace(stored["a1"], reuse=(Reuse("c1", 300),), opinion_share=0.5)
    assert changed_stories(list(existing), [a1, stored["a2"], stored["b1"]], existing, stored) == {"A"}
