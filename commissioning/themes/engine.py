"""The machine's part of theming, without the database: propose and map.

`propose` clusters responses into candidate themes (k-means, seeded, over
sentence vectors) with key terms and the most representative responses.
`map_texts` assigns every response to the officers' named themes (or to
"other") by cosine similarity to each theme's centroid: the vector of its
name and describing words, pulled towards the responses officers have put in
it by hand.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .embeddings import unit_rows

# BLAS and OpenMP threads for the maths: the servers have two cores, shared.
THREADS = min(2, os.cpu_count() or 1)
AUTO_COUNTS = range(4, 13)  # how many themes to try when the officer leaves it to the machine
SILHOUETTE_SAMPLE = 2000
KEY_TERMS = 6
REPRESENTATIVES = 5
# A response is "other" when it is no closer to any theme than the average
# response is (vectors are centred on the responses, so cosine 0).
OTHER_BELOW = 0.0
# Margin between the best and second-best theme that counts as sure.
SURE_MARGIN = 0.12
LOW_CONFIDENCE = 0.35
# How much the officer's name and words count against the mean of the
# responses they placed in the theme by hand.
DESCRIPTION_WEIGHT = 2.0


def _no_progress(percent, message):
    return None


@dataclass(frozen=True)
class Suggested:
    label: str
    key_terms: list
    representatives: list  # indices into the texts, most typical first
    members: list  # indices into the texts


@dataclass(frozen=True)
class ThemeSpec:
    id: object
    name: str
    words: str = ""
    exemplars: tuple = ()


@dataclass(frozen=True)
class Mapped:
    theme: object  # a ThemeSpec id, or None for "other"
    similarity: float
    confidence: float

    @property
    def low_confidence(self):
        return self.confidence < LOW_CONFIDENCE


def _choose_count(vectors, seed):
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    rng = np.random.default_rng(seed)
    sample = vectors
    if len(vectors) > SILHOUETTE_SAMPLE:
        sample = vectors[np.sort(rng.choice(len(vectors), SILHOUETTE_SAMPLE, replace=False))]
    best, best_score = AUTO_COUNTS[0], -1.0
    for count in AUTO_COUNTS:
        if count >= len(sample):
            break
        labels = KMeans(count, n_init=2, random_state=seed).fit_predict(sample)
        score = silhouette_score(sample, labels, random_state=seed)
        if score > best_score + 1e-9:
            best, best_score = count, score
    return best


def key_terms(texts, labels, count):
    """The terms that set each group (labels 0..count-1) apart from all the texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=2 if len(texts) >= 20 else 1,
        max_features=20000,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z']+\b",
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return [[] for _ in range(count)]
    terms = vectorizer.get_feature_names_out()
    overall = np.asarray(matrix.mean(axis=0)).ravel()
    found = []
    for cluster in range(count):
        rows = np.flatnonzero(labels == cluster)
        lift = np.asarray(matrix[rows].mean(axis=0)).ravel() - overall
        order = np.lexsort((terms, -lift))  # ties by term, so the order is stable
        found.append([str(terms[i]) for i in order[:KEY_TERMS] if lift[i] > 0])
    return found


def propose(texts, *, embedder, count=None, seed=0, progress: Callable = _no_progress):
    """Candidate themes for `texts` (unique texts; campaigns counted once).

    The same texts in the same order with the same seed give the same themes.
    """
    from sklearn.cluster import KMeans

    texts = list(texts)
    if not texts:
        return []
    with threadpool_limits(limits=THREADS):
        progress(20, "Reading the responses")
        vectors = embedder.fit_transform(texts)
        progress(40, "Choosing how many themes")
        if count is None and len(texts) > AUTO_COUNTS[0] * 2:
            count = _choose_count(vectors, seed)
        elif count is None:  # a handful of texts: pairs of them
            count = max(1, len(texts) // 2)
        count = max(1, min(count, len(texts)))
        progress(60, "Grouping similar responses")
        model = KMeans(count, n_init=4, random_state=seed).fit(vectors)
        labels = model.labels_
        progress(80, "Finding key terms")
        terms = key_terms(texts, labels, count)
        centres = unit_rows(model.cluster_centers_)
    suggestions = []
    for cluster in range(count):
        members = np.flatnonzero(labels == cluster)
        closeness = vectors[members] @ centres[cluster]
        order = members[np.lexsort((members, -closeness))]
        suggestions.append(
            Suggested(
                label=", ".join(terms[cluster][:3]) or texts[order[0]][:60],
                key_terms=terms[cluster],
                representatives=[int(i) for i in order[:REPRESENTATIVES]],
                members=[int(i) for i in members],
            )
        )
    # Largest first, then by first member, so the order is stable too.
    suggestions.sort(key=lambda s: (-len(s.members), s.members[0]))
    return suggestions


def _centroids(themes, embedder):
    descriptions = embedder.transform(
        [f"{theme.name}: {theme.words}" if theme.words else theme.name for theme in themes]
    )
    centroids = []
    for theme, description in zip(themes, descriptions, strict=True):
        centroid = DESCRIPTION_WEIGHT * description
        if theme.exemplars:
            centroid = centroid + embedder.transform(list(theme.exemplars)).mean(axis=0)
        centroids.append(centroid)
    return unit_rows(np.array(centroids, dtype=np.float32))


def confidence_from(best, second):
    """0 when two themes fit equally, 1 when the best fits clearly better (arrays too)."""
    return np.clip((np.asarray(best) - second) / SURE_MARGIN, 0.0, 1.0)


def map_texts(texts, themes, *, embedder):
    """Each text's theme (or None for other), similarity and confidence."""
    texts = list(texts)
    if not texts or not themes:
        return [Mapped(theme=None, similarity=0.0, confidence=0.0) for _ in texts]
    with threadpool_limits(limits=THREADS):
        vectors = embedder.fit_transform(texts)
        similarity = vectors @ _centroids(themes, embedder).T
    order = np.argsort(-similarity, axis=1, kind="stable")
    rows = np.arange(len(texts))
    best = similarity[rows, order[:, 0]]
    second = similarity[rows, order[:, 1]] if len(themes) > 1 else np.full(len(texts), -1.0)
    confidence = np.where(best < OTHER_BELOW, 0.0, confidence_from(best, second))
    ids = [theme.id for theme in themes]
    return [
        Mapped(
            theme=ids[first] if sure >= OTHER_BELOW else None,
            similarity=float(sure),
            confidence=float(conf),
        )
        for first, sure, conf in zip(order[:, 0].tolist(), best, confidence, strict=True)
    ]
