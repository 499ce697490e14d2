"""Section 4: search latency, build time and memory at 1k, 10k and 100k synthetic passages.

The real corpus (real vectors, so every question still finds its answers)
followed by synthetic passages of real sentences recombined at random (fixed
seed), with random unit-length float16 vectors: what the vectors hold does not
change what the search costs. See benchmarks/README.md for every column.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bench_common import (
    MB,
    QUESTIONS,
    ROOT,
    SEED,
    Plan,
    current_rss_mb,
    other_sentence,
    progress,
    summary,
    timed_ms,
    verdict,
)

from bot.retrieval.corpus import Article, Corpus, Passage
from bot.retrieval.heap import release_freed_heap
from bot.retrieval.index import SEARCHED_DTYPE, STORED_DTYPE, EmbeddingIndex, units_for
from bot.retrieval.search import Retriever
from bot.retrieval.text import clean_query, split_sentences


@dataclass(frozen=True)
class CorpusShape:
    """What synthetic passages are drawn from: the real corpus's sentences and passage make-up."""

    sentences: tuple[str, ...]
    templates: tuple[tuple[str | None, str | None, int], ...]
    """(speaker, section, sentence count) of every real passage: drawn jointly, so the mix is the real one."""
    passages_per_article: int
    publications: tuple[str, ...] = field(default=())


def corpus_shape(corpus: Corpus) -> CorpusShape:
    """The sentence pool and the (speaker, section, length) mix of ``corpus``."""
    sentences, templates = [], []
    for passage in corpus.passages:
        spans = split_sentences(passage.text)
        sentences.extend(passage.text[a:b] for a, b in spans)
        templates.append((passage.speaker, passage.section, len(spans)))
    return CorpusShape(
        sentences=tuple(sentences),
        templates=tuple(templates),
        passages_per_article=max(1, round(len(corpus.passages) / len(corpus.articles))),
        publications=tuple(a.publication for a in corpus.articles),
    )


def synthetic_corpus(real: Corpus, size: int, rng: np.random.Generator) -> Corpus:
    """The real corpus followed by synthetic passages, ``size`` passages in all.

    The real passages come first so the real influences and mentions (the
    catalogue) stay valid; each synthetic passage copies the speaker, section
    and sentence count of a random real passage and is made of that many real
    sentences drawn at random.
    """
    if size < len(real.passages):
        raise ValueError(f"size {size} is smaller than the real corpus ({len(real.passages)} passages)")
    shape = corpus_shape(real)
    extra = size - len(real.passages)
    picks = rng.integers(0, len(shape.templates), size=extra)
    counts = np.array([shape.templates[t][2] for t in picks], dtype=np.int64)
    drawn = rng.integers(0, len(shape.sentences), size=int(counts.sum()))
    articles, passages = list(real.articles), list(real.passages)
    article: Article | None = None
    cursor = 0
    for number, (template, count) in enumerate(zip(picks, counts, strict=True)):
        if number % shape.passages_per_article == 0:
            serial = number // shape.passages_per_article + 1
            article = Article(
                slug=f"synthetic-{serial:05d}",
                title=f"Synthetic interview {serial}",
                publication=shape.publications[serial % len(shape.publications)],
                url=f"https://example.com/synthetic-{serial:05d}",
                year=2020 + serial % 6,
            )
            articles.append(article)
        assert article is not None
        speaker, section, _ = shape.templates[template]
        text = " ".join(shape.sentences[i] for i in drawn[cursor: cursor + count])
        cursor += int(count)
        passages.append(Passage(
            id=f"{article.slug}/{number % shape.passages_per_article + 1}",
            article=article, text=text, speaker=speaker, section=section, line=number + 1,
        ))
    return Corpus(
        articles=tuple(articles),
        passages=tuple(passages),
        influences=real.influences,
        mentions=real.mentions,
        sha256=f"synthetic-{size}",
    )


def sentence_units(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """``sentence_passage`` and ``sentence_spans`` exactly as ``units_for`` derives them, without the texts."""
    owners: list[int] = []
    spans: list[tuple[int, int]] = []
    for number, passage in enumerate(corpus.passages):
        sentences = split_sentences(passage.text)
        owners.extend([number] * len(sentences))
        spans.extend(sentences)
    return np.asarray(owners, dtype=np.int32), np.asarray(spans, dtype=np.int32).reshape(-1, 2)


def random_unit_vectors(count: int, dimension: int, rng: np.random.Generator, chunk: int = 4_096,
                        dtype: type = STORED_DTYPE) -> np.ndarray:
    """``count`` random unit-length vectors with float16 values (the index's stored precision), held as
    ``dtype``; generated in chunks so no big temporary copy is ever held."""
    out = np.empty((count, dimension), dtype=dtype)
    for start in range(0, count, chunk):
        block = rng.standard_normal((min(chunk, count - start), dimension), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start: start + len(block)] = block.astype(STORED_DTYPE)
    return out


def synthetic_index(corpus: Corpus, real_index: EmbeddingIndex, rng: np.random.Generator) -> EmbeddingIndex:
    """Random unit vectors for the synthetic passages; the real passages keep their real vectors.

    Keeping the real rows means every question still finds the passages that
    answer it, so the search runs its whole path (fusion, speaker, lifting)
    rather than stopping early at "no good match" as it might on noise alone.
    """
    owners, spans = sentence_units(corpus)
    real_passages, real_sentences = len(real_index.passage_vectors), len(real_index.sentence_vectors)
    if not np.array_equal(owners[:real_sentences], real_index.sentence_passage):
        raise RuntimeError("the synthetic corpus does not start with the real corpus's sentences")
    # Passages as load_index returns them (float32 holding float16 values, see SEARCHED_DTYPE), sentences float16.
    passage_vectors = random_unit_vectors(len(corpus.passages), real_index.dimension, rng, dtype=SEARCHED_DTYPE)
    sentence_vectors = random_unit_vectors(len(owners), real_index.dimension, rng)
    passage_vectors[:real_passages] = real_index.passage_vectors
    sentence_vectors[:real_sentences] = real_index.sentence_vectors
    return EmbeddingIndex(
        model=real_index.model,
        passage_vectors=passage_vectors,
        sentence_vectors=sentence_vectors,
        sentence_passage=owners,
        sentence_spans=spans,
        annotation_vectors=real_index.annotation_vectors,  # the real passages' annotations, as served
        annotation_passage=real_index.annotation_passage,
    )


def check_sentence_units(corpus: Corpus) -> None:
    """Fail loudly if :func:`sentence_units` ever drifts from ``units_for``."""
    units = units_for(corpus)
    owners, spans = sentence_units(corpus)
    if not (np.array_equal(owners, units.sentence_passage) and np.array_equal(spans, units.sentence_spans)):
        raise RuntimeError("benchmarks.sentence_units no longer matches bot.retrieval.index.units_for")


def time_rank(retriever: Retriever, prepared: Sequence[tuple[str, np.ndarray]], rounds: int) -> tuple[list[float], int]:
    """Timings of ``rank`` (speaker lookup included) over all questions, and how many got hits."""
    answered = sum(bool(retriever.rank(q, retriever.speakers.find(q), v, 3).hits) for q, v in prepared)  # warm-up
    times = []
    for _ in range(rounds):
        for question, vector in prepared:
            times.append(timed_ms(lambda q=question, v=vector: retriever.rank(q, retriever.speakers.find(q), v, 3)))
    return times, answered


def profile_rank(retriever: Retriever, prepared: Sequence[tuple[str, np.ndarray]], top: int = 18) -> str:
    """cProfile of ``rank`` over every question, top functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        for question, vector in prepared:
            retriever.rank(question, retriever.speakers.find(question), vector, 3)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return "\n".join(line.replace(str(ROOT) + "/", "") for line in stream.getvalue().splitlines() if line.strip())


def measure_scale(real: Retriever, questions: Sequence[str], plan: Plan, profile: bool) -> dict[str, Any]:
    """Build, time and weigh a Retriever at each size, smallest first, collecting garbage in between."""
    prepared = []
    for question in questions:  # encode once up front: this section times everything after the encode
        cleaned = clean_query(question)
        prepared.append((cleaned, real.embedder.encode_one(real.speakers.find(cleaned).topic)))
    rows = []
    profile_text = None
    for size in sorted(plan.sizes):
        rng = np.random.default_rng(SEED + size)
        gc.collect()
        trimmed = release_freed_heap()
        rss_before = current_rss_mb()
        start = time.perf_counter()
        corpus = synthetic_corpus(real.corpus, size, rng)
        release_freed_heap()  # the corpus's own leftovers: not returned later on the index's account
        rss_corpus = current_rss_mb()
        index = synthetic_index(corpus, real.index, rng)
        data_s = time.perf_counter() - start
        rss_data = current_rss_mb()
        start = time.perf_counter()
        retriever = Retriever(corpus, index, real.embedder)
        build_s = time.perf_counter() - start
        gc.collect()
        rss_built = current_rss_mb()
        release_freed_heap()  # as Retriever.load does once it has built the Retriever
        rss_after = current_rss_mb()
        rss_live = current_rss_mb() if release_freed_heap() else None
        times, answered = time_rank(retriever, prepared, plan.scale_rounds)
        rows.append({
            "passages": len(corpus.passages),
            "sentences": len(index.sentence_passage),
            "articles": len(corpus.articles),
            "synthetic_data_s": data_s,
            "retriever_build_s": build_s,
            "search": summary(times),
            "answered": answered,
            "questions": len(prepared),
            "index_nbytes": index.nbytes,
            "keywords_nbytes": retriever.keywords.nbytes,
            "arrays_mb": (index.nbytes + retriever.keywords.nbytes) / MB,
            "rss_growth_mb": rss_after - rss_before,
            "rss_corpus_mb": rss_corpus - rss_before,
            "rss_index_mb": rss_after - rss_corpus,
            "rss_index_untrimmed_mb": rss_built - rss_corpus,
            "rss_growth_retriever_mb": rss_after - rss_data,
            "rss_growth_trimmed_mb": rss_live - rss_before if rss_live is not None else None,
            "baseline_trimmed": trimmed,
            "search_samples_ms": times,
        })
        progress(f"  {size:,} passages: build {build_s:.1f} s, p95 {rows[-1]['search']['p95']:.2f} ms, "
                 f"RSS +{rows[-1]['rss_growth_mb']:.0f} MB")
        if profile and size == max(plan.sizes):
            profile_text = profile_rank(retriever, prepared)
        del corpus, index, retriever
    gc.collect()
    return {"rows": rows, "profile": profile_text}


def report_scale(scale: dict[str, Any], plan: dict[str, Any]) -> list[str]:
    lines = [
        "## 4. Scale: synthetic corpora",
        "",
        "The real corpus plus synthetic passages of real sentences recombined at random (fixed seed); synthetic "
        "vectors are random unit-length float16 values (dimension 384; passages held as float32, as `load_index` "
        "returns them): encoding 100k passages would take far too long, "
        "and vector content does not change the cost. Search = `rank` after the encode "
        f"(question vectors encoded once up front), {len(QUESTIONS)} questions × {plan['scale_rounds']} "
        "rounds. Memory is this process's resident set (RSS) growth: *corpus* is the passages themselves "
        "(Python objects holding the text, which any program serving them holds; measured after a "
        "malloc_trim); *index* is everything added on top to search them: vectors, BM25, the retriever's "
        "tables, once the freed heap of the build has been handed back as `Retriever.load` does "
        "(`bot.retrieval.heap`); *before trim* is the same with that freed heap still held; *after "
        "malloc_trim* is the total growth once glibc has handed freed memory back. "
        f"{other_sentence(scale['other_load'])}",
        "",
        "| Passages | Sentences | Retriever() build (s) | search p50 (ms) | search p95 (ms) | answered "
        "| index arrays (MB) | corpus RSS (MB) | index RSS before trim (MB) | index RSS (MB) | total RSS (MB) "
        "| total after malloc_trim (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in scale["rows"]:
        trimmed = row["rss_growth_trimmed_mb"]
        lines.append(
            f"| {row['passages']:,} | {row['sentences']:,} | {row['retriever_build_s']:.2f} "
            f"| {row['search']['p50']:.2f} | {row['search']['p95']:.2f} | {row['answered']}/{row['questions']} "
            f"| {row['arrays_mb']:.1f} | {row['rss_corpus_mb']:.0f} | {row['rss_index_untrimmed_mb']:.0f} "
            f"| {row['rss_index_mb']:.0f} "
            f"| {row['rss_growth_mb']:.0f} | {f'{trimmed:.0f}' if trimmed is not None else 'n/a'} |")
    largest = next((r for r in scale["rows"] if r["passages"] == 100_000), None)
    p95 = largest["search"]["p95"] if largest else None
    rss = largest["rss_index_mb"] if largest else None
    lines += [
        "",
        "| Goal at 100k passages | Value | Goal | Met |",
        "|---|---:|---:|:---:|",
        f"| search p95 (ms) | {f'{p95:.2f}' if p95 is not None else 'n/a'} | ≤ 20 | {verdict(p95, 20)} |",
        f"| index memory: index RSS (MB) | {f'{rss:.0f}' if rss is not None else 'n/a'} | ≤ 600 "
        f"| {verdict(rss, 600)} |",
    ]
    if scale.get("profile"):
        lines += ["", f"### Profile of the search at {max(plan['sizes']):,} passages (top by own time)",
                  "", "```", scale["profile"], "```"]
    return lines
