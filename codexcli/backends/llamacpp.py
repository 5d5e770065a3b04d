"""The llama.cpp backend: with llamacpp_load.py and llamacpp_batch.py, the only modules that
import llama_cpp, and only when first used.

Choices, and why:

* The prompt is rendered here (the GGUF's chat template when it has one, plain text otherwise)
  and tokenized before the model runs, so a prompt that cannot fit is refused up front.
* The context is sized from prompt + max_tokens (with headroom, so a file's later, longer
  requests do not force a reload) and capped at the model's trained context.
* Generation is our own loop over ``Llama.generate``: it gives streaming, stop sequences,
  per-token log-probabilities without ``logits_all`` (which costs n_ctx x n_vocab floats), and
  llama.cpp's prefix matching keeps the KV cache of a shared prompt prefix between requests.
* Every llama.cpp model (the full one and the vocab-only tokenizer) is created by
  ``load_llama``, which applies the extra-buffer rule of backends/cpu.py: llama.cpp's AMX path
  crashes, so it must never be reached by any code path that loads weights.
* Samples in batches (``complete_many``) run on a converted copy of the weights when
  codexcli/model/convert.py's plan names one (the embedded model in BF16 where the CPU computes
  BF16 batches), made on first use; single answers and ``score`` stay on the source file (whose
  log-probabilities the calibrated thresholds were measured with). A copy that cannot
  be made or loaded is noted (``conversion``) and the source file serves batches too.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence

from codexcli.backends.base import (
    Completion,
    CompletionRequest,
    ManyDone,
    ManyTokenCallback,
    Message,
    Scored,
    TokenCallback,
    TokenLogprob,
    complete_each,
    complete_many_in_turn,
    sample_seeds,
)
from codexcli.backends.cpu import ExtraBuffers
from codexcli.backends.llamacpp_batch import SAMPLING, BatchDecoder, Stream, group_size, token_logprob
from codexcli.backends.llamacpp_load import _model_defaults as _model_defaults
from codexcli.backends.llamacpp_load import extra_buffers_for, import_llama_cpp, load_llama, quantize, quiet_stderr
from codexcli.backends.llamacpp_load import system_info as system_info
from codexcli.backends.llamacpp_multi import decode_requests
from codexcli.config import Settings, default_workers
from codexcli.errors import BackendError, ModelError, PromptTooLongError
from codexcli.model import convert as convert_model
from codexcli.model.find import inspect_model, resolve_model
from codexcli.model.gguf import GGUFInfo

# Smallest context we allocate: tiny models pay almost nothing for it, and it saves reloads.
MIN_CONTEXT = 2048
CONTEXT_STEP = 512


def plain_prompt(messages: tuple[Message, ...]) -> str:
    """Render messages for a model without a chat template: the texts, blank-line separated."""
    return "".join(m.content.rstrip("\n") + "\n\n" for m in messages)


def context_size(needed: int, trained: int | None, limit: int | None) -> int:
    """Tokens to allocate for a request needing ``needed``: rounded up, with headroom, capped."""
    size = max(MIN_CONTEXT, -(-needed // CONTEXT_STEP) * CONTEXT_STEP)
    cap = trained or size
    if limit:
        cap = min(cap, limit)
    return min(size, cap)


class LlamaCppBackend:
    """Runs a GGUF model through llama-cpp-python."""

    name = "llamacpp"

    def __init__(
        self,
        model_path: Path,
        info: GGUFInfo,
        *,
        threads: int | None = None,
        n_gpu_layers: int | None = None,
        seed: int = 1234,
        context_limit: int | None = None,
        model_source: str = "",
        extra_buffers: str = "auto",
        adapter: Path | None = None,
        convert: str = "off",
        embedded: bool = False,
    ) -> None:
        self.model_path = model_path
        self.info = info
        self.threads = threads or default_workers()
        self.n_gpu_layers = n_gpu_layers
        self.seed = seed
        self.context_limit = context_limit
        self.model_source = model_source
        self.extra_buffers_setting = extra_buffers
        self.adapter = adapter  # a GGUF LoRA adapter, checked against the model by from_settings
        self._extra_buffers: ExtraBuffers | None = None  # decided on first load
        self._llama: Any = None  # the full model, created on first completion
        self._vocab: Any = None  # a vocab-only model for counting tokens before loading weights
        self._formatter: Any = None
        self._n_ctx = 0
        self._batch: BatchDecoder | None = None  # the multi-sequence context of complete_many
        self._scorer: BatchDecoder | None = None  # score's context, on the source file's weights
        self.convert_setting, self.embedded = convert, embedded
        self._plan: convert_model.Plan | None = None  # decided on the first batch
        self.conversion = ""  # what became of the plan: "" until the first batch, then a line
        self._copy: Any = None  # the converted copy's Llama (batches only), loaded on first batch

    @classmethod
    def from_settings(cls, settings: Settings) -> "LlamaCppBackend":
        """Resolve and validate the model; nothing heavy is loaded yet."""
        resolved = resolve_model(settings)
        info = inspect_model(resolved.path)
        adapter = Path(settings.adapter).expanduser() if settings.adapter else None
        if adapter is not None:
            from codexcli.model.adapter import check_adapter

            check_adapter(adapter, resolved.path, info)
        return cls(
            resolved.path,
            info,
            threads=settings.threads,
            n_gpu_layers=settings.n_gpu_layers,
            seed=settings.seed,
            context_limit=settings.context_limit,
            model_source=resolved.source,
            extra_buffers=settings.extra_buffers,
            adapter=adapter,
            convert=settings.convert,
            embedded=resolved.embedded,
        )

    # Loading ----------------------------------------------------------------------------------

    @staticmethod
    def _import() -> Any:
        return import_llama_cpp()

    @property
    def extra_buffers(self) -> ExtraBuffers:
        """Whether this backend lets llama.cpp use extra buffer types, and why."""
        if self._extra_buffers is None:
            self._extra_buffers = extra_buffers_for(self.extra_buffers_setting)
        return self._extra_buffers

    def _load(self, **kwargs: Any) -> Any:
        return self._load_file(self.model_path, **kwargs)

    def _load_file(self, path: Path, **kwargs: Any) -> Any:
        enabled = self.extra_buffers.enabled
        try:
            with quiet_stderr():
                return load_llama(path, extra_buffers=enabled, **kwargs)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"{path}: llama.cpp cannot load this model ({exc})") from None

    @property
    def plan(self) -> convert_model.Plan:
        """Which converted copy batches run on (model/convert.py), decided on first use."""
        if self._plan is None:
            needs_cpu = self.convert_setting == "auto" and self.embedded
            gpu = needs_cpu and self.gpu_layers() != 0
            self._plan = convert_model.plan(
                self.convert_setting, self.embedded, system_info() if needs_cpu else "", gpu
            )
        return self._plan

    def _batch_model(self, needed: int) -> Any:
        """The ``Llama`` whose weights batches decode on: the converted copy when the plan names
        one that can be made and loaded (once), else the single model's."""
        if self._copy is None and not self.conversion:
            self.conversion = "source file (no conversion: " + self.plan.reason + ")"
            if self.plan.kind is not None:
                self._copy = self._load_copy(self.plan.kind)
        if self._copy is not None:
            return self._copy
        return self._ensure_model(needed)

    def _load_copy(self, kind: str) -> Any:
        try:
            path, made = convert_model.ensure_converted(self.model_path, kind, convert_model.models_dir(), quantize)
        except (OSError, ModelError) as exc:
            self.conversion = f"source file ({kind} copy could not be made: {exc})"
            return None
        try:
            # The batch context is the decoder's own: this Llama's context stays minimal.
            copy = self._load_file(
                path,
                n_ctx=256,
                n_batch=256,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_gpu_layers=self.gpu_layers(),
                seed=self.seed,
                **self._adapter_kwargs(),
            )
        except ModelError as exc:
            self.conversion = f"source file ({kind} copy {path} does not load: {exc})"
            return None
        self.conversion = f"{kind} copy {path} ({'made now' if made else 'cached'}; {self.plan.reason})"
        return copy

    def _adapter_kwargs(self) -> dict[str, Any]:
        return {"lora_path": str(self.adapter)} if self.adapter else {}

    def _tokenizer(self) -> Any:
        if self._llama is not None:
            return self._llama
        if self._vocab is None:
            self._vocab = self._load(vocab_only=True)
        return self._vocab

    def gpu_layers(self) -> int:
        """Layers to offload: as configured, else all of them when this build can offload."""
        if self.n_gpu_layers is not None:
            return self.n_gpu_layers
        return -1 if self._import().llama_supports_gpu_offload() else 0

    def _ensure_model(self, needed: int) -> Any:
        size = context_size(needed, self.info.context_length, self.context_limit)
        if self._llama is not None and self._n_ctx >= min(needed, size):
            return self._llama
        for slot in ("_batch", "_scorer"):
            decoder = getattr(self, slot)
            if decoder is not None and decoder.llm is self._llama:  # on the weights being replaced
                decoder.close()
                setattr(self, slot, None)
        if self._llama is not None:
            self._llama.close()
        self._llama = self._load(
            n_ctx=size,
            n_batch=min(512, size),
            n_threads=self.threads,
            n_threads_batch=self.threads,
            n_gpu_layers=self.gpu_layers(),
            seed=self.seed,
            **self._adapter_kwargs(),
        )
        self._n_ctx = size
        return self._llama

    # Prompt -----------------------------------------------------------------------------------

    def render(self, request: CompletionRequest) -> str:
        """The exact prompt text the model sees."""
        template = self.info.chat_template
        if not template:
            return plain_prompt(request.messages) + request.prefill
        if self._formatter is None:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            tok = self._tokenizer()
            eos, bos = tok.token_eos(), tok.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=template,
                eos_token=tok._model.token_get_text(eos) if eos != -1 else "",
                bos_token=tok._model.token_get_text(bos) if bos != -1 else "",
            )
        messages = [{"role": m.role, "content": m.content} for m in request.messages]
        return self._formatter(messages=messages).prompt + request.prefill

    def tokenize_prompt(self, request: CompletionRequest) -> list[int]:
        tok = self._tokenizer()
        tokens = tok.tokenize(self.render(request).encode("utf-8"), add_bos=True, special=True)
        bos = tok.token_bos()
        # Templates that spell out the BOS text plus llama.cpp adding one would double it.
        if len(tokens) > 1 and tokens[0] == bos and tokens[1] == bos:
            tokens = tokens[1:]
        return tokens

    # Backend protocol -------------------------------------------------------------------------

    def context_length(self) -> int:
        trained = self.info.context_length or MIN_CONTEXT
        return min(trained, self.context_limit) if self.context_limit else trained

    def tokenize_text(self, text: str) -> list[int]:
        """Tokens of a continuation (no BOS, special tokens as text): how an answer is spelt."""
        return list(self._tokenizer().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def detokenize(self, tokens: list[int]) -> str:
        """The text of ``tokens``."""
        return bytes(self._tokenizer().detokenize(tokens)).decode("utf-8", errors="replace")

    def eos_token(self) -> int:
        """The end-of-generation token that closes an answer."""
        return int(self._tokenizer().token_eos())

    def count_prompt_tokens(self, request: CompletionRequest) -> int:
        return len(self.tokenize_prompt(request))

    def _prompt(self, request: CompletionRequest, batch: bool = False) -> tuple[Any, list[int], int]:
        """The loaded model (``batch``: the one batches run on), the prompt's tokens and the
        answer's token budget (PromptTooLongError when the prompt cannot fit)."""
        tokens = self.tokenize_prompt(request)
        limit = self.context_length()
        if len(tokens) + 1 > limit:
            raise PromptTooLongError(
                f"prompt needs {len(tokens)} tokens but the model's context holds {limit}",
                hint="use a model with a longer context or a smaller input",
            )
        needed = len(tokens) + request.max_tokens
        if batch:
            size = context_size(needed, self.info.context_length, self.context_limit)
            return self._batch_model(needed), tokens, min(request.max_tokens, size - len(tokens))
        llm = self._ensure_model(needed)
        return llm, tokens, min(request.max_tokens, self._n_ctx - len(tokens))

    def _decoder(self, llm: Any, slot: str = "_batch") -> BatchDecoder:
        """The batch decoder of ``slot`` (``_batch``: samples, ``_scorer``: scores) on ``llm``'s
        weights, made again when the weights changed."""
        decoder = getattr(self, slot)
        if decoder is not None and decoder.llm is not llm:
            decoder.close()
            decoder = None
        if decoder is None:
            decoder = BatchDecoder(llm, self.threads)
            setattr(self, slot, decoder)
        return decoder

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        """``n`` answers decoded together in one llama.cpp batch (backends/llamacpp_batch.py);
        with ``greedy_first`` sequence 0 has a greedy sampler in the same batch."""
        if n <= 1:
            return complete_each(self, request, n, on_token, greedy_first)
        llm, tokens, max_new = self._prompt(request, batch=True)
        decoder = self._decoder(llm)
        seeds = sample_seeds(request, n)
        size = group_size(len(tokens), n, max_new, self._import().llama_max_parallel_sequences())
        out: list[Completion] = []
        for first in range(0, n, size):
            group = seeds[first : first + size]
            temperatures = [0.0 if greedy_first and first + k == 0 else request.temperature for k in range(len(group))]
            callbacks = [
                None if on_token is None else (lambda i: lambda text: on_token(i, text))(first + k)
                for k in range(len(group))
            ]
            try:
                out += decoder.decode(tokens, group, temperatures, max_new, request.stop, request.logprobs, callbacks)
            except RuntimeError as exc:
                raise BackendError(f"llama.cpp failed while generating: {exc}") from None
        return out

    def complete_many_each(
        self,
        requests: Sequence[CompletionRequest],
        n: int,
        on_done: ManyDone,
        on_token: ManyTokenCallback | None = None,
    ) -> None:
        """Every request's ``n`` answers decoded with continuous batching (llamacpp_multi.py);
        ``on_done(i, answers)`` as soon as request i's are finished."""
        if n <= 1 or not requests:
            complete_many_in_turn(self, requests, n, on_done, on_token)
            return
        prepared = [self._prompt(request, batch=True) for request in requests]
        llm = self._batch_model(max(len(p[1]) + r.max_tokens for r, p in zip(requests, prepared, strict=True)))
        decode_requests(self._decoder(llm), requests, [p[1:] for p in prepared], n, on_done, on_token)

    def score(self, request: CompletionRequest, continuation: str) -> Scored:
        """log P(continuation | rendered prompt), token by token, on a second context of the
        source file's weights (BatchDecoder.score): the single context's prefix cache is left as
        it was. The continuation is tokenized on its own, as the model would have generated it."""
        prompt, answer = self.tokenize_prompt(request), self.tokenize_text(continuation)
        if not answer:
            return Scored(())
        if len(prompt) + len(answer) > self.context_length():
            raise PromptTooLongError(f"prompt and continuation need {len(prompt) + len(answer)} tokens")
        llm = self._ensure_model(len(prompt) + len(answer))
        try:
            logprobs = self._decoder(llm, "_scorer").score(prompt + answer, len(prompt))
        except RuntimeError as exc:
            raise BackendError(f"llama.cpp failed while scoring: {exc}") from None
        return Scored(tuple(TokenLogprob(self.detokenize([t]), lp) for t, lp in zip(answer, logprobs, strict=True)))

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        llama_cpp = self._import()
        start = time.perf_counter()
        llm, tokens, max_new = self._prompt(request)
        llm.set_seed(self.seed if request.seed is None else request.seed)
        vocab = llm._model.vocab
        n_vocab = llm.n_vocab()
        stream = Stream(request.stop, max_new, on_token)
        first_token_at = None
        try:
            for token in llm.generate(tokens, temp=request.temperature, **SAMPLING):
                if first_token_at is None:
                    first_token_at = time.perf_counter()
                eog = bool(llama_cpp.llama_vocab_is_eog(vocab, token))
                logprob = None
                if request.logprobs and not eog:
                    logprob = token_logprob(llama_cpp.llama_get_logits_ith(llm.ctx, -1), token, n_vocab)
                if stream.push(b"" if eog else llm._model.detokenize([token]), eog, logprob):
                    break
        except RuntimeError as exc:
            raise BackendError(f"llama.cpp failed while generating: {exc}") from None
        stream.close()
        end = time.perf_counter()
        return Completion(
            text=stream.text,
            finish_reason=stream.finish,
            prompt_tokens=len(tokens),
            completion_tokens=stream.count,
            seconds=end - start,
            tokens=tuple(stream.logprobs),
            prompt_seconds=(first_token_at or end) - start,
        )

    def describe(self) -> dict[str, object]:
        stat = self.model_path.stat()
        return {
            "backend": self.name,
            "model": str(self.model_path),
            "model_name": self.info.name,
            "quantization": self.info.quantization,
            "size": stat.st_size,
            "mtime": int(stat.st_mtime),
            "convert": self.convert_setting,
            "batches": self.conversion or None,  # the weights batches ran on, once one did
            **({"adapter": str(self.adapter), "adapter_digest": _digest(self.adapter)} if self.adapter else {}),
        }

    def close(self) -> None:
        for slot in ("_batch", "_scorer"):
            decoder = getattr(self, slot)
            if decoder is not None:
                decoder.close()
                setattr(self, slot, None)
        for attr in ("_copy", "_llama", "_vocab"):
            model = getattr(self, attr)
            if model is not None:
                model.close()
                setattr(self, attr, None)


def _digest(path: Path) -> str:
    from codexcli.model.adapter import file_digest

    return file_digest(path)
