"""all-MiniLM-L6-v2 (int8 ONNX) sentence embeddings from pulled files, for the index and for labelling lines.

Unlike Chroma's own ONNXMiniLM_L6_V2 it never downloads, keeps one onnxruntime session for the
life of the process, and pads each batch only to its longest text (Chroma pads every text to 256
tokens), sorting texts by length first so batches are even.
"""

from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer

from coach.errors import InvalidModelFile, ModelNotFound

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
# Small batches of length-sorted texts: little padding and cache-friendly; measured here, 4 ran
# 30 passages/s against 18/s for 32.
BATCH_SIZE = 4


class MiniLMEmbedding:
    """Sentence vectors from a local all-MiniLM-L6-v2 ONNX export. The store hands Chroma the
    vectors itself, so this needs none of Chroma's embedding-function interface."""

    def __init__(self, model_dir: Path, threads: int = 0) -> None:
        self.model_dir = model_dir
        self.texts_embedded = 0  # lets tests and sync prove what was (not) re-embedded
        self._tokenizer = _load_tokenizer(model_dir / "tokenizer.json")
        self._session = _load_session(model_dir / "model.onnx", threads)
        self._input_names = {node.name for node in self._session.get_inputs()}
        self._counter: Tokenizer | None = None

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see without the 256-token cut (lint flags what it never reads)."""
        if self._counter is None:
            self._counter = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            self._counter.no_truncation()
            self._counter.no_padding()
        return len(self._counter.encode(text).ids)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = np.argsort([len(text) for text in texts])
        vectors = np.empty((len(texts), 384), dtype=np.float32)
        for start in range(0, len(texts), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            vectors[batch] = self._embed_batch([texts[i] for i in batch])
        self.texts_embedded += len(texts)
        return vectors

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._input_names})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.where(norms == 0, 1e-12, norms)


def _load_tokenizer(path: Path) -> Tokenizer:
    if not path.is_file():
        raise ModelNotFound(f"The embedding tokenizer {path} is missing; run `coach models pull all-minilm-l6-v2-int8`.")
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # no length: pad to the batch's longest
    return tokenizer


def _load_session(path: Path, threads: int) -> onnxruntime.InferenceSession:
    if not path.is_file():
        raise ModelNotFound(f"The embedding model {path} is missing; run `coach models pull all-minilm-l6-v2-int8`.")
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    options.intra_op_num_threads = threads
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own untyped errors for bad files
        raise InvalidModelFile(
            f"The embedding model {path} could not be loaded ({error.__class__.__name__}); "
            "delete it and run `coach models pull all-minilm-l6-v2-int8`."
        ) from None
