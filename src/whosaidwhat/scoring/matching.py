"""One-to-one, order-independent matching of candidate pairs, vectorised.

Two steps define the matching:

1. the *greedy matching under a strict total order* of the candidate pairs: take the best pair,
   drop every pair that shares an endpoint with it, repeat. The order is lexicographic: each
   priority key descending (e.g. overlap ratio), then the gold item's canonical position, then
   the prediction's canonical position;
2. growth to a *maximum* matching: while an unmatched gold item can be matched by re-pairing
   along an augmenting path, re-pair along the shortest one (gold items taken in canonical
   order, alternatives in priority order). So no prediction is left unmatched just because a
   neighbour overlapped its gold item a little more.

Canonical positions come from the items' content (document, offsets, label), never from input
order, so shuffling a submission cannot change the result.

Computing it one pair at a time is a Python loop; instead each round accepts every pair that is
the best pair of both of its endpoints ("locally dominant"). For a strict total order that
process yields exactly the greedy matching, and a handful of rounds settles span data.
A round costs O(candidate pairs); the rare long chains left after a few rounds are finished
by the plain sequential loop on the (few) remaining pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: vectorised rounds before the remaining pairs are finished sequentially
MAX_ROUNDS = 8


def _best_of_each_node(node: np.ndarray, other_pos: np.ndarray, keys: Sequence[np.ndarray], n_nodes: int) -> np.ndarray:
    """Mask of the pairs that are the best pair of their `node` (keys descending, then other_pos ascending)."""
    candidates = np.arange(len(node))
    for key in keys:
        values = key[candidates]
        best = np.full(n_nodes, -np.inf)
        np.maximum.at(best, node[candidates], values)
        candidates = candidates[values == best[node[candidates]]]
    positions = other_pos[candidates]
    lowest = np.full(n_nodes, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, node[candidates], positions)
    candidates = candidates[positions == lowest[node[candidates]]]
    mask = np.zeros(len(node), dtype=bool)
    mask[candidates] = True
    return mask


def match_pairs(a: np.ndarray, b: np.ndarray, a_pos: np.ndarray, b_pos: np.ndarray,
                keys: Sequence[np.ndarray] = ()) -> np.ndarray:
    """Accepted-pair mask of the one-to-one matching (module docstring) of candidate pairs (a[k], b[k])."""
    keys = [np.asarray(k, dtype=np.float64) for k in keys]
    return maximise(a, b, greedy_match(a, b, a_pos, b_pos, keys), a_pos, b_pos, keys)


def maximise(a: np.ndarray, b: np.ndarray, accepted: np.ndarray, a_pos: np.ndarray, b_pos: np.ndarray,
             keys: Sequence[np.ndarray] = ()) -> np.ndarray:
    """Grow a maximal matching into a maximum one along shortest augmenting paths (Kuhn's algorithm).

    Searches start only from unmatched a-nodes that have candidates, in canonical order, and
    walk only pairs whose nodes take part in more than one pair; after a greedy pass both are
    few, so the Python loop stays small.
    """
    if len(a) == 0:
        return accepted
    n_a, n_b = len(a_pos), len(b_pos)
    mate_a = np.full(n_a, -1, dtype=np.int64)
    mate_b = np.full(n_b, -1, dtype=np.int64)
    chosen = np.flatnonzero(accepted)
    mate_a[a[chosen]] = chosen
    mate_b[b[chosen]] = chosen
    free = np.unique(a[mate_a[a] < 0])
    if free.size == 0 or not (mate_b[b] < 0).any():  # nobody left to match on one side
        return accepted
    free = free[np.argsort(a_pos[free])]
    # pairs of isolated edges can never lie on an augmenting path: walk the others only
    shared = (np.bincount(a, minlength=n_a)[a] > 1) | (np.bincount(b, minlength=n_b)[b] > 1)
    sub = np.flatnonzero(shared)
    sub = sub[np.lexsort(tuple([b_pos[b[sub]]] + [-np.asarray(k, dtype=np.float64)[sub] for k in reversed(keys)]
                               + [a[sub]]))]
    sub_a = a[sub]
    changed = False
    for root in free.tolist():
        via: dict[int, tuple[int, int]] = {}
        seen_a = {root}
        queue, head, end = [root], 0, -1
        while head < len(queue) and end < 0:
            x = queue[head]
            head += 1
            lo, hi = np.searchsorted(sub_a, [x, x + 1])
            for k in sub[lo:hi].tolist():
                y = int(b[k])
                if y in via:
                    continue
                via[y] = (x, k)
                if mate_b[y] < 0:
                    end = y
                    break
                x2 = int(a[mate_b[y]])
                if x2 not in seen_a:
                    seen_a.add(x2)
                    queue.append(x2)
        y = end
        while y >= 0:  # flip the path: every pair on it changes side
            changed = True
            x, k = via[y]
            previous = int(mate_a[x])
            mate_a[x] = k
            mate_b[y] = k
            y = int(b[previous]) if previous >= 0 else -1
    if not changed:
        return accepted
    result = np.zeros(len(a), dtype=bool)
    result[mate_a[mate_a >= 0]] = True
    return result


def greedy_match(a: np.ndarray, b: np.ndarray, a_pos: np.ndarray, b_pos: np.ndarray,
                 keys: Sequence[np.ndarray] = ()) -> np.ndarray:
    """Accepted-pair mask of the greedy one-to-one matching (step 1 only) of candidate pairs (a[k], b[k]).

    `a`, `b`: node ids of each candidate pair (each (a, b) at most once); `a_pos`, `b_pos`:
    the canonical position of every node (distinct per side), the last tie-breakers; `keys`:
    per-pair priority keys, each higher-is-better, compared in order.
    """
    n_pairs = len(a)
    accepted = np.zeros(n_pairs, dtype=bool)
    if n_pairs == 0:
        return accepted
    # a pair whose two endpoints take part in no other pair is matched whatever the order
    alone = (np.bincount(a, minlength=len(a_pos))[a] == 1) & (np.bincount(b, minlength=len(b_pos))[b] == 1)
    accepted[alone] = True
    rest = np.flatnonzero(~alone)
    if rest.size == 0:
        return accepted
    # compact the node ids of the contested pairs so per-round work scales with them only
    nodes_a, ra = np.unique(a[rest], return_inverse=True)
    nodes_b, rb = np.unique(b[rest], return_inverse=True)
    pos_a, pos_b = a_pos[nodes_a], b_pos[nodes_b]
    rest_keys = [np.asarray(k, dtype=np.float64)[rest] for k in keys]
    used_a = np.zeros(len(nodes_a), dtype=bool)
    used_b = np.zeros(len(nodes_b), dtype=bool)
    alive = np.arange(len(rest))
    for _ in range(MAX_ROUNDS):
        aa, bb = ra[alive], rb[alive]
        alive_keys = [k[alive] for k in rest_keys]
        take = (_best_of_each_node(aa, pos_b[bb], alive_keys, len(nodes_a))
                & _best_of_each_node(bb, pos_a[aa], alive_keys, len(nodes_b)))
        accepted[rest[alive[take]]] = True
        used_a[aa[take]] = True
        used_b[bb[take]] = True
        alive = alive[~(used_a[aa] | used_b[bb])]
        if alive.size == 0:
            return accepted
    # a long chain of competing pairs: finish in the total order, one pair at a time
    order = np.lexsort(tuple([pos_b[rb[alive]], pos_a[ra[alive]]] + [-k[alive] for k in reversed(rest_keys)]))
    for k in alive[order].tolist():
        i, j = ra[k], rb[k]
        if not used_a[i] and not used_b[j]:
            used_a[i] = used_b[j] = True
            accepted[rest[k]] = True
    return accepted
