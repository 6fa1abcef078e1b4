"""The semantic signal: static word embeddings that ship inside a PyPI wheel (wordllama's 256-
dimensional vectors, an optional extra: ``pip install lessonbook[semantic]``), run offline on
CPU, never downloaded at run time.

A lesson's vector is the tf-idf-weighted sum of its kept terms' vectors (the same cleaned,
boilerplate-free terms the lexical score counts: a template or a date never moves it), minus
the collection's mean vector (what every lesson of one organisation shares says nothing), at
unit length. Two lessons that tell one failure in different words ("OOMKilled" / "ran out of
memory") get close vectors where their words do not overlap.

When the package is absent, nothing semantic is computed and the ranking is the lexical one:
:func:`available` says why, once, for the build log."""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

MODEL = "l2_supercat_256"
"""The wordllama model whose weights the wheel ships (256 dimensions, 32,000 tokens)."""
ABSENT = ("similar incidents: the semantic signal is off (the optional package `wordllama` is "
          "not installed: pip install 'lessonbook[semantic]'); links use words and fields only")


@lru_cache(maxsize=1)
def _model_files() -> tuple[Path, Path] | None:
    """(weights, tokenizer) inside the installed wordllama package, or None. The package is
    found, not imported: its own loader would reach for the network."""
    if importlib.util.find_spec("tokenizers") is None:
        return None
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    weights = root / "weights" / f"{MODEL}.safetensors"
    tokenizer = root / "tokenizers" / f"{MODEL.rsplit('_', 1)[0]}_tokenizer_config.json"
    return (weights, tokenizer) if weights.is_file() and tokenizer.is_file() else None


def available() -> bool:
    """Whether the semantic signal can run here (the optional package is installed)."""
    return _model_files() is not None


def _read_safetensors(path: Path) -> np.ndarray:
    """The one tensor of a safetensors file as float32 (the format is an 8-byte header length,
    a JSON header, then raw little-endian data: no extra package needed)."""
    data = path.read_bytes()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + size])
    name = next(k for k in header if k != "__metadata__")
    info = header[name]
    dtype = {"F16": "<f2", "F32": "<f4", "BF16": None}[info["dtype"]]
    if dtype is None:
        raise ValueError(f"unsupported tensor type {info['dtype']} in {path}")
    start, stop = info["data_offsets"]
    array = np.frombuffer(data, dtype=dtype, offset=8 + size + start,
                          count=(stop - start) // np.dtype(dtype).itemsize)
    return array.reshape(info["shape"]).astype(np.float32)


@lru_cache(maxsize=1)
def _model() -> tuple[np.ndarray, object] | None:
    files = _model_files()
    if files is None:
        return None
    from tokenizers import Tokenizer  # optional dependency, present when files were found

    weights, tokenizer = files
    return _read_safetensors(weights), Tokenizer.from_file(str(tokenizer))


def term_vectors(terms: list[str]) -> np.ndarray | None:
    """One unit vector per term (the mean of its tokens' embeddings); None without the model."""
    model = _model()
    if model is None:
        return None
    table, tokenizer = model
    if not terms:
        return np.zeros((0, table.shape[1]), dtype=np.float32)
    encoded = tokenizer.encode_batch(terms, add_special_tokens=False)  # type: ignore[attr-defined]
    ids = [e.ids for e in encoded]
    lengths = np.array([len(x) for x in ids])
    flat = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=int(lengths.sum()))
    owner = np.repeat(np.arange(len(terms)), lengths)
    vectors = np.zeros((len(terms), table.shape[1]), dtype=np.float32)
    np.add.at(vectors, owner, table[flat])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def lesson_vectors(matrix: sparse.csr_matrix, terms: list[str]) -> np.ndarray | None:
    """Lessons × dimensions: each row of the tf-idf ``matrix`` (columns named by ``terms``) as
    the weighted sum of its terms' vectors, centred on the collection's mean, unit length."""
    vectors = term_vectors(terms)
    if vectors is None:
        return None
    docs = np.asarray(matrix @ vectors, dtype=np.float32)
    filled = np.linalg.norm(docs, axis=1) > 0
    if filled.any():
        docs[filled] -= docs[filled].mean(axis=0)
    norms = np.linalg.norm(docs, axis=1, keepdims=True)
    docs /= np.maximum(norms, 1e-12)
    docs[~filled] = 0.0
    return docs
