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
from itertools import chain
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
    model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    # Its tokenizer pads every text of a batch to the longest one, which
    # doubles the cost of reading 20,000 comments; the embedder pools token by
    # token and never uses WordLlama's own (padded, batched) inference.
    model.tokenizer.no_padding()
    return model


class WordLlamaEmbedder:
    label = "word embeddings (WordLlama)"

    def __init__(self, model):
        self.tokenizer = model.tokenizer
        self.vectors = model.embedding
        self.idf = None
        self.centre = None

    def _counts(self, texts):
        """A (texts x tokens) sparse matrix: how often each text uses each token.

        One sparse product then pools every text at once; numpy's `reduceat`
        over the token rows took seconds for 20,000 texts.
        """
        from scipy.sparse import csr_matrix

        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
        ids = np.fromiter(chain.from_iterable(e.ids for e in encoded), dtype=np.int64)
        kept = np.fromiter(chain.from_iterable(e.attention_mask for e in encoded), dtype=bool)
        rows = np.repeat(np.arange(len(encoded)), lengths)
        return csr_matrix(
            (np.ones(int(kept.sum()), dtype=np.float32), (rows[kept], ids[kept])),
            shape=(len(encoded), self.vectors.shape[0]),
        )

    def _pool(self, counts):
        """IDF-weighted mean of each text's token vectors (zeros for an empty text)."""
        weighted = counts.multiply(self.idf[None, :]).tocsr()
        totals = np.asarray(weighted.sum(axis=1)).ravel()
        pooled = np.asarray(weighted @ self.vectors, dtype=np.float32)
        return pooled / np.maximum(totals, 1e-12)[:, None]

    def _fit_counts(self, counts):
        frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
        self.idf = (np.log((1 + counts.shape[0]) / (1 + frequency)) + 1).astype(np.float32)
        self.centre = self._pool(counts).mean(axis=0) if counts.shape[0] else 0
        return self

    def fit(self, texts):
        return self._fit_counts(self._counts(texts))

    def transform(self, texts):
        return unit_rows(self._pool(self._counts(texts)) - self.centre)

    def fit_transform(self, texts):
        """`fit(texts).transform(texts)`, reading the texts once."""
        counts = self._counts(texts)
        return unit_rows(self._fit_counts(counts)._pool(counts) - self.centre)


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

    def fit_transform(self, texts):
        return self.fit(texts).transform(texts)

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
