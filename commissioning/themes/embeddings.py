"""Sentence vectors for short responses.

The first choice is WordLlama's static token embeddings, whose weights and
tokenizer ship inside its wheel. Its loader looks for the tokenizer in
`tokenizer/` while the wheel has it in `tokenizers/`, then tries to download
it; pointing `cache_dir` at the package's own folder finds both files there,
and `disable_download=True` makes a missing file an error instead of a network
call. Without the package (or its files) the vectors come from TF-IDF over
word parts, which needs nothing but scikit-learn.

Both embedders are fitted on the responses being themed: token weights (IDF)
and the centre come from that corpus, so words every response uses ("council",
"please") count for little and similarities spread out.
"""

import logging
from functools import lru_cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)


def unit_rows(matrix):
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


@lru_cache(maxsize=1)
def wordllama_model():
    """WordLlama's shipped model, loaded from the package folder, never downloaded."""
    root = logging.getLogger()
    # Importing wordllama calls logging.basicConfig(), which would send every
    # INFO record of the site to stderr; a handler present makes it a no-op.
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        import wordllama
        from wordllama import WordLlama
    finally:
        root.removeHandler(guard)
    return WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


class WordLlamaEmbedder:
    label = "word embeddings (WordLlama)"

    def __init__(self, model):
        self.tokenizer = model.tokenizer
        self.vectors = model.embedding
        self.idf = None
        self.centre = None

    def _tokens(self, texts):
        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [
            np.asarray(e.ids, dtype=np.int64)[np.asarray(e.attention_mask, dtype=bool)]
            for e in encoded
        ]

    def _pool(self, texts):
        """IDF-weighted mean of each text's token vectors (zeros for an empty text)."""
        tokens = self._tokens(texts)
        pooled = np.zeros((len(tokens), self.vectors.shape[1]), dtype=np.float32)
        lengths = np.array([len(t) for t in tokens])
        present = np.flatnonzero(lengths)
        if not len(present):
            return pooled
        flat = np.concatenate([tokens[i] for i in present])
        weights = self.idf[flat]
        starts = np.concatenate([[0], np.cumsum(lengths[present])[:-1]])
        sums = np.add.reduceat(self.vectors[flat] * weights[:, None], starts, axis=0)
        pooled[present] = sums / np.add.reduceat(weights, starts)[:, None]
        return pooled

    def fit(self, texts):
        counts = np.zeros(self.vectors.shape[0])
        for ids in self._tokens(texts):
            counts[np.unique(ids)] += 1
        self.idf = (np.log((1 + len(texts)) / (1 + counts)) + 1).astype(np.float32)
        self.centre = self._pool(texts).mean(axis=0) if len(texts) else 0
        return self

    def transform(self, texts):
        return unit_rows(self._pool(texts) - self.centre)


class TfidfEmbedder:
    """The fallback: word-part (character n-gram) TF-IDF, reduced when large."""

    label = "word-part frequencies (TF-IDF)"
    REDUCE_ABOVE = 1000
    DIMENSIONS = 128

    def fit(self, texts):
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, max_features=50000
        )
        matrix = self.vectorizer.fit_transform(list(texts) or [""])
        self.reducer = None
        if matrix.shape[0] > self.REDUCE_ABOVE and matrix.shape[1] > self.DIMENSIONS:
            self.reducer = TruncatedSVD(n_components=self.DIMENSIONS, random_state=0).fit(matrix)
        return self

    def transform(self, texts):
        matrix = self.vectorizer.transform(list(texts))
        dense = self.reducer.transform(matrix) if self.reducer else matrix.toarray()
        return unit_rows(dense.astype(np.float32))


def embedder():
    """A fresh embedder: WordLlama when it loads offline, else TF-IDF."""
    try:
        return WordLlamaEmbedder(wordllama_model())
    except (ImportError, OSError, ValueError) as error:
        logger.warning("Themes use TF-IDF: WordLlama could not load (%s)", error)
        return TfidfEmbedder()
