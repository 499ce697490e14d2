"""The committed embedding index: it matches the corpus, a stale or damaged one is refused
with the command that fixes it, and a build survives the save/load round trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bot.retrieval.corpus import load_corpus
from bot.retrieval.embedder import DEFAULT_MODEL
from bot.retrieval.index import (
    MANIFEST,
    VECTORS,
    StaleIndexError,
    build_index,
    load_index,
    passage_text_to_embed,
    save_index,
    units_for,
)
from bot.retrieval.search import Retriever
from tests.retrieval.retrieval_helpers import (
    CORPUS_DIR,
    INDEX_DIR,
    TINY_ARTICLE,
    change_one_word,
    edit_file,
    stale,
    write_article,
)

OTHER_MODEL = "sentence-transformers/all-mpnet-base-v2"


def edit_manifest(index_dir, **changes):
    path = index_dir / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def truncate_vectors(index_dir):
    path = index_dir / VECTORS
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


# -- the committed index ------------------------------------------------------------

def test_committed_index_matches_the_corpus(corpus):
    index = load_index(INDEX_DIR, corpus, DEFAULT_MODEL)
    units = units_for(corpus)
    assert index.model == DEFAULT_MODEL
    assert index.passage_vectors.shape == (len(corpus.passages), 384)
    assert index.sentence_vectors.shape == (len(units.sentence_texts), 384)
    manifest = json.loads((INDEX_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["passage_ids"] == [p.id for p in corpus.passages]
    norms = np.linalg.norm(index.passage_vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)


def test_committed_vectors_belong_to_their_passages(corpus, embedder):
    """Row n of the index is passage n: re-encoding a few passages gives the same vectors."""
    index = load_index(INDEX_DIR, corpus, DEFAULT_MODEL)
    sample = [0, len(corpus.passages) // 2, len(corpus.passages) - 1]
    fresh = embedder.encode([passage_text_to_embed(corpus.passages[n]) for n in sample])
    stored = index.passage_vectors[sample].astype(np.float32)
    similarity = np.sum(fresh * stored, axis=1)
    assert np.all(similarity > 0.99), similarity
    assert (fresh @ stored.T).argmax(axis=1).tolist() == [0, 1, 2]


def test_untouched_copies_load(corpus_copy, index_copy):
    """The copies the staleness tests break are fine before they are broken."""
    index = load_index(index_copy, load_corpus(corpus_copy), DEFAULT_MODEL)
    assert len(index.passage_vectors) == len(load_corpus(CORPUS_DIR).passages)


# -- stale or damaged: refused, with the fix ------------------------------------------

def new_article(corpus_dir, index_dir):
    write_article(corpus_dir, "zz-new-interview", TINY_ARTICLE)


def garbage_vectors(index_dir, text):
    (index_dir / VECTORS).write_bytes(text)


BREAKAGES = {
    "corpus file edited": (lambda c, i: change_one_word(c), "The corpus has changed"),
    "corpus file added": (new_article, "The corpus has changed"),
    "annotation edited": (lambda c, i: edit_file(c / "titans-of-industry.md", "? who is Casey Bloys?",
                                                 "? who is Casey Bloys at HBO?"), "The corpus has changed"),
    "unanswered example edited": (lambda c, i: edit_file(c / "not-answered.txt", "? tell me a joke",
                                                         "? tell me a story"), "The corpus has changed"),
    "vectors truncated": (lambda c, i: truncate_vectors(i), "truncated or corrupt"),
    "vectors garbage": (lambda c, i: garbage_vectors(i, b"\x00\xffnot vectors\x13" * 400), "truncated or corrupt"),
    "vectors empty": (lambda c, i: garbage_vectors(i, b""), "truncated or corrupt"),
    "vectors deleted": (lambda c, i: (i / VECTORS).unlink(), "no embedding index"),
    "manifest not JSON": (lambda c, i: (i / MANIFEST).write_text("{not json", encoding="utf-8"), "is damaged"),
    "manifest a list": (lambda c, i: (i / MANIFEST).write_text("[1, 2]", encoding="utf-8"), "is damaged"),
    "manifest not UTF-8": (lambda c, i: (i / MANIFEST).write_bytes(b"\xff\xfe{}"), "is damaged"),
    "manifest vectors hash": (lambda c, i: edit_manifest(i, vectors_sha256="0" * 64), "does not match its manifest"),
    "manifest wrong dimension": (lambda c, i: edit_manifest(i, dimension=512), "the corpus needs"),
    "manifest from a future version": (lambda c, i: edit_manifest(i, format=99), "another version"),
    "manifest deleted": (lambda c, i: (i / MANIFEST).unlink(), "no embedding index"),
}


@pytest.mark.parametrize("case", list(BREAKAGES), ids=list(BREAKAGES))
def test_stale_or_damaged_index_is_refused_with_the_fix(corpus_copy, index_copy, case):
    breaks, fragment = BREAKAGES[case]
    breaks(corpus_copy, index_copy)
    assert fragment in stale(index_copy, corpus_copy, DEFAULT_MODEL).problem


def test_index_built_with_another_model_is_refused(corpus_copy, index_copy):
    problem = stale(index_copy, corpus_copy, OTHER_MODEL).problem
    assert DEFAULT_MODEL in problem and OTHER_MODEL in problem and "PIERPOINT_MODEL" in problem


def test_missing_index_folder_is_refused(corpus_copy, tmp_path):
    missing = tmp_path / "no-such-embeddings"
    assert str(missing) in stale(missing, corpus_copy, DEFAULT_MODEL).problem


def test_vectors_file_that_is_a_plain_array_is_refused(corpus_copy, index_copy):
    with open(index_copy / VECTORS, "wb") as handle:
        np.save(handle, np.zeros((3, 384), dtype=np.float16))
    assert "corrupt" in stale(index_copy, corpus_copy, DEFAULT_MODEL).problem


# -- build, save, load ---------------------------------------------------------------

@pytest.fixture
def tiny_corpus_dir(tmp_path):
    folder = tmp_path / "tiny-corpus"
    write_article(folder, "tiny", TINY_ARTICLE)
    return folder


def test_build_save_load_round_trip(tiny_corpus_dir, tmp_path, embedder):
    corpus = load_corpus(tiny_corpus_dir)
    built = build_index(corpus, embedder)
    save_index(built, corpus, tmp_path / "index")
    loaded = load_index(tmp_path / "index", corpus, embedder.name)
    assert loaded.passage_vectors.shape == (2, embedder.dimension)
    assert np.array_equal(loaded.passage_vectors, built.passage_vectors)
    assert np.array_equal(loaded.sentence_vectors, built.sentence_vectors)
    assert np.array_equal(loaded.sentence_spans, built.sentence_spans)
    manifest = json.loads((tmp_path / "index" / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["model"], manifest["passages"], manifest["passage_ids"]) == (
        DEFAULT_MODEL, 2, ["tiny/1", "tiny/2"])

    retriever = Retriever(corpus, loaded, embedder)
    [best, *_] = retriever.ask("where did Down write the pilot?").hits
    assert best.passage.id == "tiny/2"
    assert best.highlighted_sentence == "We wrote the pilot on the sleeper train to Inverness."


def test_rebuilt_index_goes_stale_when_its_corpus_is_edited(tiny_corpus_dir, tmp_path, embedder):
    corpus = load_corpus(tiny_corpus_dir)
    save_index(build_index(corpus, embedder), corpus, tmp_path / "index")
    edit_file(tiny_corpus_dir / "tiny.md", "Inverness", "Aberdeen")
    assert "The corpus has changed" in stale(tmp_path / "index", tiny_corpus_dir, embedder.name).problem


# -- the question encoder the index was built for ---------------------------------------

def test_the_committed_index_is_for_the_default_onnx_encoder(corpus, embedder):
    manifest = json.loads((INDEX_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["encoder"] == embedder.identity()
    load_index(INDEX_DIR, corpus, DEFAULT_MODEL, encoder=embedder.identity)


def test_an_index_built_for_onnx_is_refused_by_the_torch_backend_with_the_fix(corpus):
    with pytest.raises(StaleIndexError) as caught:
        load_index(INDEX_DIR, corpus, DEFAULT_MODEL, encoder=lambda: {"backend": "torch"})
    assert "built for the onnx backend" in caught.value.problem and "PIERPOINT_BACKEND" in caught.value.problem
    assert caught.value.fix == "PIERPOINT_BACKEND=torch python -m bot build"


def test_an_index_built_for_torch_is_refused_by_the_onnx_backend_with_the_fix(corpus, index_copy, embedder):
    edit_manifest(index_copy, encoder={"backend": "torch"})
    with pytest.raises(StaleIndexError) as caught:
        load_index(index_copy, corpus, DEFAULT_MODEL, encoder=embedder.identity)
    assert "built for the torch backend" in caught.value.problem
    assert caught.value.fix == "python -m bot build"


@pytest.mark.parametrize("recorded", [{"backend": "onnx", "onnx_sha256": "0" * 64}, None])
def test_another_onnx_export_or_none_recorded_is_refused(recorded, corpus, index_copy, embedder):
    edit_manifest(index_copy, encoder=recorded)
    with pytest.raises(StaleIndexError) as caught:
        load_index(index_copy, corpus, DEFAULT_MODEL, encoder=embedder.identity)
    assert "python -m bot build" in str(caught.value)


def test_a_loaded_index_is_searched_from_one_float32_copy(corpus, embedder):
    """The passage vectors load as float32, exactly the stored float16 values, and the search multiplies
    that array itself: no second copy of the largest matrix (bot.retrieval.index.SEARCHED_DTYPE)."""
    loaded = load_index(INDEX_DIR, corpus, DEFAULT_MODEL)
    with np.load(INDEX_DIR / VECTORS) as stored:
        passages = stored["passages"]
    assert passages.dtype == np.float16 and loaded.passage_vectors.dtype == np.float32
    assert np.array_equal(loaded.passage_vectors, passages.astype(np.float32))
    retriever = Retriever(corpus, loaded, embedder)
    assert np.shares_memory(retriever._passage_matrix, loaded.passage_vectors)


def test_saving_a_loaded_index_writes_the_stored_vectors_again(corpus, tmp_path):
    """What is written and hashed stays float16 whatever precision the index is held in."""
    loaded = load_index(INDEX_DIR, corpus, DEFAULT_MODEL)
    committed = json.loads((INDEX_DIR / MANIFEST).read_text(encoding="utf-8"))
    save_index(loaded, corpus, tmp_path / "again", encoder=committed["encoder"])
    again = json.loads((tmp_path / "again" / MANIFEST).read_text(encoding="utf-8"))
    assert again["vectors_sha256"] == committed["vectors_sha256"]
    with np.load(tmp_path / "again" / VECTORS) as written:
        assert written["passages"].dtype == np.float16
    assert np.array_equal(load_index(tmp_path / "again", corpus, DEFAULT_MODEL).passage_vectors,
                          loaded.passage_vectors)
