"""The machine's part: proposals, mapping, embeddings offline and the fallback."""

import socket

import numpy as np
import pytest

from commissioning.themes import embeddings, engine

from .conftest import COMMENTS
from .factories import evaluation_set

THEMES = [
    engine.ThemeSpec(id="lib", name="Library opening hours", words="library, books, evenings"),
    engine.ThemeSpec(id="bins", name="Bins and recycling", words="rubbish, collections, waste"),
    engine.ThemeSpec(id="roads", name="Potholes", words="roads, pavements, repairs"),
]


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("themes tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    embeddings.wordllama_model.cache_clear()
    yield
    embeddings.wordllama_model.cache_clear()


def test_wordllama_loads_from_its_wheel_with_the_network_unavailable(no_network):
    chosen = embeddings.embedder()
    assert isinstance(chosen, embeddings.WordLlamaEmbedder)
    vectors = chosen.fit(COMMENTS).transform(COMMENTS)
    assert vectors.shape == (len(COMMENTS), 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_wordllama_vectors_are_the_idf_weighted_mean_of_their_tokens():
    """The pooled vectors, checked against the definition one text at a time."""
    chosen = embeddings.embedder()
    texts = [*COMMENTS, "", "bins bins bins"]
    vectors = chosen.fit_transform(texts)
    assert np.allclose(vectors, chosen.transform(texts), atol=1e-6)

    tokens = [chosen.tokenizer.encode(text, add_special_tokens=False).ids for text in texts]
    documents = np.zeros(chosen.vectors.shape[0])
    for ids in tokens:
        documents[np.unique(ids).astype(int)] += 1
    idf = np.log((1 + len(texts)) / (1 + documents)) + 1
    pooled = np.array(
        [
            (idf[ids, None] * chosen.vectors[ids]).sum(axis=0) / idf[ids].sum()
            if ids
            else np.zeros(chosen.vectors.shape[1])
            for ids in tokens
        ]
    )
    expected = pooled - pooled.mean(axis=0)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(vectors, expected, atol=1e-5)


def test_mapping_runs_offline_and_puts_plain_cases_right(no_network):
    mapped = engine.map_texts(COMMENTS, THEMES, embedder=embeddings.embedder())
    assert [m.theme for m in mapped] == ["lib"] * 3 + ["bins"] * 3 + ["roads"] * 3
    assert all(0.0 <= m.confidence <= 1.0 for m in mapped)


def test_without_wordllama_the_fallback_is_tfidf(monkeypatch):
    def missing():
        raise ImportError("No module named 'wordllama'")

    monkeypatch.setattr(embeddings, "wordllama_model", missing)
    chosen = embeddings.embedder()
    assert isinstance(chosen, embeddings.TfidfEmbedder)
    mapped = engine.map_texts(COMMENTS, THEMES, embedder=chosen)
    assert len(mapped) == len(COMMENTS)
    # Word parts shared with the describing words carry it.
    assert mapped[0].theme == "lib" and mapped[7].theme == "roads"


def test_the_same_input_gives_the_same_proposals():
    texts, _, _ = evaluation_set()
    first = engine.propose(texts, embedder=embeddings.embedder(), seed=3)
    second = engine.propose(texts, embedder=embeddings.embedder(), seed=3)
    assert first == second
    assert 4 <= len(first) <= 12
    assert sorted(i for s in first for i in s.members) == list(range(len(texts)))
    assert all(s.key_terms and s.representatives for s in first)


def test_an_officer_can_ask_for_a_number_of_proposals():
    texts, _, _ = evaluation_set()
    proposals = engine.propose(texts, embedder=embeddings.embedder(), count=6, seed=1)
    assert len(proposals) == 6


def test_proposals_of_nothing_and_of_a_handful():
    assert engine.propose([], embedder=embeddings.embedder()) == []
    few = engine.propose(COMMENTS[:4], embedder=embeddings.embedder())
    assert len(few) == 2


def test_corrected_examples_pull_their_theme():
    """A response far from a theme's words lands there once similar ones are placed there."""
    texts = ["Hit a crater on Station Road and it wrecked my tyre", *COMMENTS]
    plain = engine.map_texts(texts, THEMES, embedder=embeddings.embedder())
    taught = [
        THEMES[0],
        THEMES[1],
        engine.ThemeSpec(
            id="roads",
            name="Potholes",
            words="roads, pavements, repairs",
            exemplars=("My car's suspension went in a crater on Church Street",),
        ),
    ]
    mapped = engine.map_texts(texts, taught, embedder=embeddings.embedder())
    assert mapped[0].theme == "roads"
    assert mapped[0].similarity > plain[0].similarity


def test_mapping_the_evaluation_set_beats_a_floor():
    """A regression guard, not the target: the benchmark reports the figures."""
    texts, labels, themes = evaluation_set()
    specs = [engine.ThemeSpec(id=t["key"], name=t["name"], words=t["words"]) for t in themes]
    mapped = engine.map_texts(texts, specs, embedder=embeddings.embedder())
    accuracy = np.mean([m.theme == label for m, label in zip(mapped, labels, strict=True)])
    assert accuracy >= 0.55


def test_the_evaluation_set_is_large_and_labelled():
    texts, labels, themes = evaluation_set()
    assert len(texts) >= 300
    assert len(set(texts)) == len(texts)
    assert {t["key"] for t in themes} == set(labels)
    assert len(themes) >= 6
    assert all(t["name"] and t["words"] for t in themes)
