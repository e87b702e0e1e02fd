"""Terms of a paper: compound names split, stop words out, authors and venue as their own kind."""

from __future__ import annotations

from lclm.model import Paper
from lclm.watch.features import Vectorizer, dot, terms, words


def test_compound_names_are_kept_and_split() -> None:
    assert words("LongRoPE: Extending the KV-Caches") == ["longrope", "long", "rope", "extending", "kv", "cache"]
    assert words("Rivière's SnapKV") == ["riviere", "snapkv", "snap", "kv"]


def test_authors_and_venue_are_weaker_terms_of_their_own() -> None:
    bag = terms(Paper(key="", title="Ring Attention", year=2024, authors=["Hao Liu", "others"], venue="ICLR 2024", abstract="Blockwise."))
    assert bag["ring"] == 1.0 and bag["ring_attention"] == 0.5
    assert bag["a:liu"] < bag["ring"] and bag["v:iclr"] < bag["a:liu"]
    assert "blockwise" in bag and "blockwise" not in terms(Paper(key="", title="Ring Attention", year=2024, abstract="Blockwise."), abstract=False)


def test_vectors_are_unit_length_and_similar_titles_are_close() -> None:
    papers = [Paper(key="", title=t, year=0) for t in ("KV cache compression", "KV cache quantization", "Object detection")]
    vec = Vectorizer.fit([terms(p) for p in papers])
    a, b, c = (vec.vector(terms(p)) for p in papers)
    assert abs(dot(a, a) - 1) < 1e-9
    assert dot(a, b) > 0.3 and dot(a, c) == 0
