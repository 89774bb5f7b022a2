"""The local chat backend: one llama.cpp model per process, guarded by a lock, streaming text pieces."""

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from threading import Event

import numpy as np
from llama_cpp import Llama, LlamaGrammar, LogitsProcessorList, StoppingCriteriaList
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from coach.errors import InvalidModelFile, PromptError
from coach.llm.base import ChatMessage, GenerationStats, Prefill, Reply, Sampling
from coach.llm.character_ban import CharacterBan, tokens_holding
from coach.llm.copy_block import CopyBlocker, Spellings
from coach.llm.gguf_check import check_gguf

# A template-less GGUF still needs some chat format; ChatML is what most small instruct models use.
CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
MIN_REPLY_TOKENS = 16
# Tokens per read-ahead slice: a reply that wants the model waits at most one slice (about 0.6 s
# for the default model on 2 cores), and new typing interrupts after one.
PREFILL_SLICE = 32
PREFILL_POLL_SECONDS = 0.05  # how often a read-ahead waiting for the model checks that it is still wanted
_DONE = object()


class _CountingLlama(Llama):
    """Llama that records how many tokens each eval() call decodes, to prove KV-cache reuse."""

    def __init__(self, *args, **kwargs) -> None:
        self.eval_sizes: list[int] = []
        super().__init__(*args, **kwargs)

    def eval(self, tokens: Sequence[int]) -> None:
        self.eval_sizes.append(len(tokens))
        super().eval(tokens)


class LlamaBackend:
    """ChatBackend over llama-cpp-python, formatting prompts with the GGUF's own chat template."""

    def __init__(self, model_path: Path, *, n_ctx: int, n_threads: int, temperature: float = 0.2,
                 name: str | None = None, expected_size: int | None = None) -> None:
        check_gguf(model_path, expected_size)
        self.name = name or model_path.stem
        self.n_ctx = n_ctx
        self.temperature = temperature
        self._lock = threading.Lock()  # one Llama is not thread-safe
        self._waiting = 0  # callers queued for the lock; read-ahead gives way to them
        self._waiting_guard = threading.Lock()
        # Every llama.cpp call runs on this one thread. llama.cpp's OpenMP keeps a spinning worker
        # team per calling thread, so calls from changing threads (Textual's workers) ran at 2/3 speed.
        self._llama_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
        self._llama = self._on_llama_thread(lambda: _load(model_path, n_ctx, n_threads))
        self._formatter = _formatter_for(self._llama)
        self._spellings: Spellings | None = None  # built on the first Ask that needs it
        self._texts: list[str] | None = None  # every token's text, read on first need
        self._banned: dict[str, np.ndarray] = {}  # banned characters -> the tokens holding them

    continues_replies = True  # a final assistant message is a reply begun (base.continues_replies)

    def tokens_for(self, messages: Sequence[ChatMessage]) -> list[int]:
        if messages and messages[-1].role == "assistant":  # the reply's first words, for the model to go on from
            begun = messages[-1].content.encode("utf-8")
            return self.tokens_for(messages[:-1]) + self._llama.tokenize(begun, add_bos=False, special=False)
        formatted = self._formatter(messages=[m.model_dump() for m in messages])
        # The template writes BOS itself when the model wants one (added_special), so never add another.
        return self._llama.tokenize(
            formatted.prompt.encode("utf-8"), add_bos=not formatted.added_special, special=True
        )

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self.tokens_for(messages))

    def warm_up(self, messages: Sequence[ChatMessage], sampling: Sampling | None = None) -> None:
        tokens = self.tokens_for(messages)
        with self._model_wanted():
            # One sampled token is the cheapest way to leave these tokens in the KV cache.
            self._on_llama_thread(lambda: self._llama.create_completion(prompt=tokens, max_tokens=1, temperature=0.0))
            if sampling and sampling.banned_characters:
                # Reading the vocabulary takes about half a second: now, not on the first reply.
                self._on_llama_thread(lambda: self._tokens_holding(sampling.banned_characters))

    def snapshot(self) -> object:
        """The model's state (KV cache included), to come back to after an unrelated prompt."""
        with self._model_wanted():
            return self._on_llama_thread(self._llama.save_state)

    def restore(self, state: object) -> None:
        with self._model_wanted():
            self._on_llama_thread(lambda: self._llama.load_state(state))

    def forget_cache(self) -> None:
        """Drop the KV cache, so the next prompt is evaluated from scratch (the bench's cold case)."""
        with self._model_wanted():
            self._on_llama_thread(self._llama.reset)

    def prefill(self, messages: Sequence[ChatMessage], stop: Event) -> Prefill:
        tokens = self._prefix_tokens(messages)[: self.n_ctx - MIN_REPLY_TOKENS]
        evaluated = 0
        while not stop.is_set() and not self._waiting:
            # A reply in progress (the last answer, while the next question is typed) keeps the
            # model; read ahead after it, unless told to stop meanwhile.
            if not self._lock.acquire(timeout=PREFILL_POLL_SECONDS):
                continue
            try:
                step = 0 if self._waiting else self._on_llama_thread(lambda: self._read_ahead(tokens))
            finally:
                self._lock.release()
            if not step:
                return Prefill(evaluated=evaluated, complete=not self._waiting and not stop.is_set())
            evaluated += step
        return Prefill(evaluated=evaluated, complete=False)

    def uncached(self, messages: Sequence[ChatMessage]) -> int:
        # Without the lock: it is asked on Enter, before the key guidance is shown, and waiting for a
        # read-ahead slice cost up to half a second. The answer is an estimate (a slice, a reply or a
        # restored state may change the cache meanwhile); a wrong one costs only time, since the
        # reply keeps whatever prefix the cache really shares.
        tokens = self._prefix_tokens(messages)
        return len(tokens) - Llama.longest_token_prefix(self._llama._input_ids, tokens)

    def _prefix_tokens(self, messages: Sequence[ChatMessage]) -> list[int]:
        """Tokens of the formatted prompt up to the end of the last message's own text."""
        formatted = self._formatter(messages=[m.model_dump() for m in messages])
        end = formatted.prompt.rfind(messages[-1].content) + len(messages[-1].content)
        return self._llama.tokenize(formatted.prompt[:end].encode("utf-8"), add_bos=not formatted.added_special,
                                    special=True)

    def _read_ahead(self, tokens: list[int]) -> int:
        """One slice: keep the KV cache's prefix shared with `tokens`, evaluate the next few after it.
        Llama.eval() drops cached tokens past n_tokens, and the next completion finds the prefix."""
        llama = self._llama
        shared = Llama.longest_token_prefix(llama._input_ids, tokens)
        todo = tokens[shared: shared + PREFILL_SLICE]
        if todo:
            llama.n_tokens = shared
            llama.eval(todo)
        return len(todo)

    @contextmanager
    def _model_wanted(self) -> Iterator[None]:
        """Take the lock as a caller that must not wait behind read-ahead for more than one slice."""
        with self._waiting_guard:
            self._waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._waiting_guard:
                self._waiting -= 1
        try:
            yield
        finally:
            self._lock.release()

    def on_model_thread(self, call: Callable):
        """Run other llama.cpp work (a baseline model, say) on this model's thread, for a fair comparison."""
        return self._on_llama_thread(call)

    def _on_llama_thread(self, call: Callable):
        return self._llama_thread.submit(call).result()

    def stream(self, messages: Sequence[ChatMessage], max_tokens: int, stop: Event | None = None,
               json_schema: dict | None = None, sampling: Sampling | None = None) -> Reply:
        tokens = self.tokens_for(messages)
        room = self.n_ctx - len(tokens)
        if room < MIN_REPLY_TOKENS:
            raise PromptError(
                f"The prompt needs {len(tokens)} tokens, more than the model's {self.n_ctx}-token "
                "window allows; shorten the question or raise n_ctx."
            )
        # The same grammar llama-cpp-python builds for response_format={"type": "json_object", "schema": ...}.
        grammar = LlamaGrammar.from_json_schema(json.dumps(json_schema), verbose=False) if json_schema else None
        stats = GenerationStats(prompt_tokens=len(tokens))
        # Per call, never stored on the model: a concurrent Ask keeps the configured temperature.
        options = self._options(sampling)
        return Reply(self._relay(tokens, min(max_tokens, room), stop or Event(), grammar, options, stats), stats)

    def _options(self, sampling: Sampling | None) -> dict:
        if sampling is None:
            return {"temperature": self.temperature}
        options = sampling.model_dump(exclude={"avoid_copying_from", "banned_characters"})
        if sampling.temperature is None:
            options["temperature"] = self.temperature
        processors = []
        if sampling.avoid_copying_from:
            processors.append(CopyBlocker(sampling.avoid_copying_from, self._spell, self._spellings_of_words()))
        if sampling.banned_characters:
            processors.append(CharacterBan(self._tokens_holding(sampling.banned_characters)))
        if processors:
            options["logits_processor"] = LogitsProcessorList(processors)
        return options

    def _spell(self, tokens: list[int]) -> str:
        return self._llama.detokenize(tokens).decode("utf-8", errors="ignore")

    def _spellings_of_words(self) -> Spellings:
        if self._spellings is None:
            self._spellings = Spellings(self._token_texts())
        return self._spellings

    def _token_texts(self) -> list[str]:
        """Every token's text, read once (about half a second for a 150k-token vocabulary)."""
        if self._texts is None:
            self._texts = [self._spell([token]) for token in range(self._llama.n_vocab())]
        return self._texts

    def _tokens_holding(self, characters: str) -> np.ndarray:
        if characters not in self._banned:
            self._banned[characters] = tokens_holding(characters, self._token_texts())
        return self._banned[characters]

    def _relay(self, tokens: list[int], max_tokens: int, stop: Event, grammar: LlamaGrammar | None,
               options: dict, stats: GenerationStats) -> Iterator[str]:
        """Hand pieces from the llama thread to the reader, who may stop or walk away at any time."""
        abandoned = Event()  # the reader went away (closed the reply, Ctrl-C): stop too
        pieces: queue.Queue = queue.Queue()
        with self._model_wanted():
            def halted() -> bool:
                return stop.is_set() or abandoned.is_set()

            producer = self._llama_thread.submit(self._pump, tokens, max_tokens, halted, pieces, grammar, options, stats)
            try:
                while not stop.is_set() and (piece := pieces.get()) is not _DONE:
                    yield piece
            finally:
                abandoned.set()
                producer.result()  # waits (at most one token) and re-raises llama.cpp errors

    def _pump(self, tokens: list[int], max_tokens: int, halted: Callable[[], bool], pieces: queue.Queue,
              grammar: LlamaGrammar | None, options: dict, stats: GenerationStats) -> None:
        try:
            for piece in self._generate(tokens, max_tokens, halted, grammar, options, stats):
                pieces.put(piece)
        finally:
            pieces.put(_DONE)

    def _generate(self, tokens: list[int], max_tokens: int, halted: Callable[[], bool],
                  grammar: LlamaGrammar | None, options: dict, stats: GenerationStats) -> Iterator[str]:
        """Runs on the llama thread with the lock held; `options` are this call's sampling settings."""
        first_eval = len(self._llama.eval_sizes)
        started = time.perf_counter()
        pieces = self._llama.create_completion(
            prompt=tokens, max_tokens=max_tokens, **options, stream=True, grammar=grammar,
            stopping_criteria=StoppingCriteriaList([lambda _ids, _logits: halted()]),
        )
        text: list[str] = []
        try:
            for chunk in pieces:
                piece = chunk["choices"][0]["text"]
                if piece and not text:
                    stats.first_token_seconds = time.perf_counter() - started
                    stats.evaluated_prompt_tokens = self._prompt_eval_size(first_eval)
                text.append(piece)
                yield piece
                if halted():
                    break
        finally:
            pieces.close()
            stats.stopped = halted()
            stats.total_seconds = time.perf_counter() - started
            # One eval() per sampled token after the prompt's: counts what was generated, not re-tokenized text.
            stats.completion_tokens = len(self._llama.eval_sizes) - first_eval if text else 0

    def _prompt_eval_size(self, first_eval: int) -> int:
        sizes = self._llama.eval_sizes
        return sizes[first_eval] if len(sizes) > first_eval else 0


def _load(model_path: Path, n_ctx: int, n_threads: int) -> _CountingLlama:
    try:
        return _CountingLlama(
            model_path=str(model_path), n_ctx=n_ctx, n_threads=n_threads,
            n_threads_batch=n_threads, verbose=False,
        )
    except (ValueError, RuntimeError, OSError) as error:
        raise InvalidModelFile(
            f"llama.cpp could not load {model_path} ({error}); the file may be truncated or not a "
            "chat model, so pull it again or choose another .gguf."
        ) from None


def _formatter_for(llama: Llama) -> Jinja2ChatFormatter:
    template = llama.metadata.get("tokenizer.chat_template") or CHATML_TEMPLATE
    return Jinja2ChatFormatter(
        template=template,
        eos_token=_token_text(llama, llama.token_eos()),
        bos_token=_token_text(llama, llama.token_bos()),
        stop_token_ids=[llama.token_eos()],
    )


def _token_text(llama: Llama, token_id: int) -> str:
    return llama._model.token_get_text(token_id) if token_id != -1 else ""

