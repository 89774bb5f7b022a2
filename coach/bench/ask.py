"""Ask figures for `coach bench`: model load, first token cold and warm, streaming overhead,
retrieval latency (shipped and 10k passages) and embedding speed, each against a baseline."""

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from coach.services import Services

QUESTIONS = ["how do I handle favoritism?", "My mentee hardly says anything. What can I do?",
             "How often should we meet?", "Should I tell my mentee about my mistakes?"]
GENERATION_TOKENS = 64
SYNTHETIC_CHUNKS = 10_000


def ask_figures(services: Services) -> dict:
    from coach.bench.ask_typing import typing_figures

    figures = _ranking(services)
    figures |= _load_times(services)
    figures |= _ask_latency(services)
    figures |= typing_figures(services, figures["ask_ttft_cold_seconds"])
    figures |= _streaming_overhead(services)
    figures |= _retrieval(services)
    return figures | _embedding_speed(services)


def _ranking(services: Services) -> dict:
    """Golden questions, dense order alone ("before") and reordered by word matching ("after")."""
    from coach.retrieval.evaluation import check, load_questions

    questions = load_questions(services.workspace.questions_file)
    store, figures = services.store, {}
    chosen = store.lexical_weight
    for label, weight in (("dense", 0.0), ("fused", chosen)):
        store.lexical_weight = weight
        report = check(store, questions, 4)
        figures |= {f"{label}_recall_at_1": report.recall_at_1, f"{label}_recall_at_4": report.recall,
                    f"{label}_mrr": report.mrr}
    store.lexical_weight = chosen
    return figures


def _timed(action):
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def _raw_llama(services: Services):
    from llama_cpp import Llama

    s = services.settings
    return Llama(model_path=str(services.backend_source.model().path), n_ctx=s.n_ctx, n_threads=s.n_threads,
                 n_threads_batch=s.n_threads, verbose=False)


def _load_times(services: Services) -> dict:
    """Median of three alternating pairs: single loads swing 2x here with the page cache."""
    raw_times, our_times = [], []
    for _ in range(3):
        raw, raw_seconds = _timed(lambda: _raw_llama(services))
        del raw
        ours, our_seconds = _timed(lambda: services.backend_source.load())
        del ours
        raw_times.append(raw_seconds)
        our_times.append(our_seconds)
    services.backend()  # the instance the rest of the bench uses
    raw_median, our_median = statistics.median(raw_times), statistics.median(our_times)
    return {"load_seconds": round(our_median, 2), "raw_llama_load_seconds": round(raw_median, 2),
            "load_ratio": round(our_median / raw_median, 2)}


def _ask_latency(services: Services) -> dict:
    ask = services.ask_service()
    backend = services.backend()
    backend.forget_cache()  # the cold case evaluates the whole prompt
    cold = _first_token(ask, QUESTIONS[0])
    ask.warm_up()
    warm = [_first_token(ask, q) for q in QUESTIONS[1:]]
    warm_ttft = statistics.median(w[0] for w in warm)
    outside = statistics.median(w[1] / w[2] for w in warm)
    return {"ask_ttft_cold_seconds": round(cold[0], 2), "ask_ttft_warm_seconds": round(warm_ttft, 2),
            "warm_over_cold": round(warm_ttft / cold[0], 3),
            "warm_target_max": round(outside + 0.1, 3),
            "prompt_tokens": warm[0][2], "evaluated_prompt_tokens": warm[0][1]}


def _first_token(ask, question: str) -> tuple[float, int, int]:
    plan = ask.plan(question)
    started = time.perf_counter()
    stream = ask.stream(plan)
    next(stream)
    ttft = time.perf_counter() - started
    stream.close()
    stats = plan.stats
    return ttft, stats.evaluated_prompt_tokens, stats.prompt_tokens


def _streaming_overhead(services: Services) -> dict:
    from coach.llm.base import ChatMessage

    backend = services.backend()
    messages = [ChatMessage(role="user", content="Write a long story about a mentor and a mentee.")]
    tokens = backend.tokens_for(messages)
    # The baseline runs on the backend's own llama thread too: two threads driving llama.cpp leave
    # two OpenMP teams spinning against each other, and both figures would suffer.
    on_llama_thread = backend.on_model_thread
    raw = on_llama_thread(lambda: _raw_llama(services))
    on_llama_thread(lambda: raw.create_completion(prompt=tokens, max_tokens=1))  # both start cached

    def raw_generate():
        return on_llama_thread(lambda: raw.create_completion(prompt=tokens, max_tokens=GENERATION_TOKENS,
                                                             temperature=0.0))

    result, raw_seconds = _timed(raw_generate)
    raw_rate = result["usage"]["completion_tokens"] / raw_seconds
    raw = None  # free the baseline model before ours is measured
    backend.stream(messages, 1).text()
    reply = backend.stream(messages, GENERATION_TOKENS)
    _, ours_seconds = _timed(reply.text)
    ours_rate = reply.stats.completion_tokens / ours_seconds
    return {"streamed_tok_s": round(ours_rate, 2), "raw_tok_s": round(raw_rate, 2),
            "streamed_over_raw": round(ours_rate / raw_rate, 3)}


def _retrieval(services: Services) -> dict:
    shipped = _latencies(services.store.search)
    synthetic = _synthetic_store(services)
    big = _latencies(synthetic.search)
    return {"retrieval_p50_ms": shipped[0], "retrieval_p95_ms": shipped[1],
            "retrieval_10k_p50_ms": big[0], "retrieval_10k_p95_ms": big[1],
            "retrieval_10k_over_shipped_p50": round(big[0] / shipped[0], 2)}


def _latencies(search) -> tuple[float, float]:
    search(QUESTIONS[0], 4)
    samples = []
    for round_ in range(10):
        for question in QUESTIONS:
            _, seconds = _timed(lambda: search(f"{question} ({round_})", 4))
            samples.append(seconds * 1000)
    samples.sort()
    return round(statistics.median(samples), 1), round(samples[int(len(samples) * 0.95) - 1], 1)


def _synthetic_store(services: Services):
    """10k passages: shipped vectors with noise, so the index has realistic neighbourhoods."""
    from coach.retrieval.store import local_store

    store = local_store(Path(tempfile.mkdtemp(prefix="coach-bench-")), services.embedder)
    shipped = services.store.dump(with_vectors=True)
    base = np.array(shipped["embeddings"])
    rng = np.random.default_rng(7)
    for start in range(0, SYNTHETIC_CHUNKS, 2000):
        picks = rng.integers(0, len(base), 2000)
        vectors = base[picks] + rng.normal(0, 0.05, (2000, base.shape[1]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.add_vectors(ids=[f"synthetic:{start + i}" for i in range(2000)], vectors=vectors,
                          documents=[shipped["documents"][p] for p in picks],
                          metadatas=[{**shipped["metadatas"][p], "doc_id": f"synthetic-{start + i}"}
                                     for i, p in enumerate(picks)])
    return store


def _embedding_speed(services: Services) -> dict:
    from chromadb.utils.embedding_functions import ONNXMiniLM_L6_V2

    passages = services.store.dump()["documents"]
    questions = [f"{q} ({n})" for n in range(16) for q in QUESTIONS]

    class ChromaOnSameFiles(ONNXMiniLM_L6_V2):
        DOWNLOAD_PATH = services.embedder.model_dir.parent

    chroma = ChromaOnSameFiles()
    chroma(passages[:2])
    services.embedder.embed(passages[:2])  # both sessions warm before timing
    figures = {}
    for label, texts in (("passages", passages), ("questions", questions)):
        _, theirs = _timed(lambda: chroma(texts))
        _, ours = _timed(lambda: services.embedder.embed(texts))
        figures |= {f"embedding_{label}": len(texts), f"embedding_{label}_per_s": round(len(texts) / ours, 1),
                    f"chroma_{label}_per_s": round(len(texts) / theirs, 1),
                    f"embedding_{label}_speedup": round(theirs / ours, 2)}
    return figures
