"""Group near-duplicate responses: the same text sent many times with small changes.

Exact copies (after normalising case, punctuation and spacing) always group.
Longer texts also group when their word pairs overlap enough (Jaccard), found
with MinHash and banding so 20,000 responses are compared in well under a
second instead of pair by pair.
"""

import re
import zlib
from collections import defaultdict

import numpy as np

WORD = re.compile(r"[a-z0-9']+")
CAMPAIGN_MIN_SIZE = 3  # responses sharing one text before it counts as a campaign
SIMILARITY = 0.6  # Jaccard of word pairs for "the same text with small changes"
MIN_WORDS = 6  # shorter texts group only when identical
_PERMUTATIONS = 64
_BANDS = 16
_PRIME = (1 << 31) - 1
_rng = np.random.default_rng(20241122)
_A = _rng.integers(1, _PRIME, size=_PERMUTATIONS, dtype=np.int64)
_B = _rng.integers(0, _PRIME, size=_PERMUTATIONS, dtype=np.int64)


def normalise(text):
    return " ".join(WORD.findall((text or "").lower()))


def _shingles(words):
    pairs = {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return {zlib.crc32(pair.encode()) for pair in pairs}


def _signature(shingles):
    values = np.fromiter(shingles, dtype=np.int64) % _PRIME
    return ((np.outer(values, _A) + _B) % _PRIME).min(axis=0)


class _Groups:
    def __init__(self, size):
        self.parent = list(range(size))

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i, j):
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _join_near(shingle_sets, groups):
    """Join texts whose shingle sets have Jaccard >= SIMILARITY.

    Texts sharing a MinHash band are candidates. Within a bucket each text is
    checked against the bucket's leaders only (the texts unlike any earlier
    one), so a campaign of thousands costs thousands of checks, not millions.
    """
    rows = _PERMUTATIONS // _BANDS
    buckets = defaultdict(list)
    for i, shingles in shingle_sets.items():
        signature = _signature(shingles)
        for band in range(_BANDS):
            buckets[(band, signature[band * rows : (band + 1) * rows].tobytes())].append(i)
    for members in buckets.values():
        leaders = []
        for i in members:
            for leader in leaders:
                if groups.find(i) == groups.find(leader) or _similar(
                    shingle_sets[i], shingle_sets[leader]
                ):
                    groups.join(i, leader)
                    break
            else:
                leaders.append(i)


def _similar(a, b):
    return len(a & b) >= SIMILARITY * len(a | b)


def group_near_duplicates(texts, *, min_size=CAMPAIGN_MIN_SIZE):
    """Groups (lists of indices into `texts`, ascending) of at least `min_size`.

    Groups are ordered by their first index, so the same input gives the same
    groups.
    """
    normalised = [normalise(text) for text in texts]
    first_of = {}
    groups = _Groups(len(texts))
    for i, text in enumerate(normalised):
        if text in first_of:
            groups.join(first_of[text], i)
        else:
            first_of[text] = i
    shingle_sets = {}
    for text, i in first_of.items():
        words = text.split()
        if len(words) >= MIN_WORDS:
            shingle_sets[i] = _shingles(words)
    _join_near(shingle_sets, groups)
    members = defaultdict(list)
    for i in range(len(texts)):
        members[groups.find(i)].append(i)
    return sorted(
        (group for group in members.values() if len(group) >= min_size), key=lambda g: g[0]
    )
