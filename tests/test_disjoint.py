from hypothesis import given
from hypothesis import strategies as st

from newsdossier.disjoint import DisjointSets


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=40))
def test_groups_do_not_depend_on_union_order(pairs: list[tuple[int, int]]) -> None:
    a, b = DisjointSets(range(21)), DisjointSets(range(21))
    for x, y in pairs:
        a.union(x, y)
    for x, y in reversed(pairs):
        b.union(y, x)
    assert {x: a.find(x) for x in range(21)} == {x: b.find(x) for x in range(21)}
    for rep, members in a.groups().items():
        assert rep == min(members)  # the smallest member represents its group
