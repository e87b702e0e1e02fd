"""Terms of a paper: compound names split, words stemmed, stop words out, authors and venue as their own kind."""

from __future__ import annotations

from lclm.model import Paper
from lclm.watch.features import Lexicon, Vectorizer, dot, terms, words


def test_compound_names_are_kept_and_split() -> None:
    assert words("LongRoPE: Extending the KV-Caches") == ["longrop", "long", "rope", "extend", "kv", "cach"]
    assert words("Rivière's SnapKV") == ["rivier", "snapkv", "snap", "kv"]


def test_forms_of_a_word_meet_in_its_stem() -> None:
    assert words("Length Extrapolation") == words("length extrapolating") == ["length", "extrapol"]
    assert words("Efficient caching") == words("efficiency of caches") == ["effici", "cach"]


def test_authors_and_venue_are_weaker_terms_of_their_own() -> None:
    bag = terms(Paper(key="", title="Ring Attention", year=2024, authors=["Hao Liu", "others"], venue="ICLR 2024", abstract="Blockwise."))
    assert bag["ring"] == 1.0 and bag["ring_attent"] == 0.5
    # By full name: a shared surname (Liu, Wang, Zhang) is no shared author.
    assert "a:liu" not in bag and bag["a:hao liu"] < bag["ring"] and bag["v:iclr"] < bag["a:hao liu"]
    assert "blockwis" in bag and "blockwis" not in terms(Paper(key="", title="Ring Attention", year=2024, abstract="Blockwise."), abstract=False)


def test_vectors_are_unit_length_and_similar_titles_are_close() -> None:
    papers = [Paper(key="", title=t, year=0) for t in ("KV cache compression", "KV cache quantization", "Object detection")]
    vec = Vectorizer.fit([terms(p) for p in papers])
    a, b, c = (vec.vector(terms(p)) for p in papers)
    assert abs(dot(a, a) - 1) < 1e-9
    assert dot(a, b) > 0.3 and dot(a, c) == 0


def test_a_lower_case_compound_counts_as_the_known_words_it_is_made_of() -> None:
    titles = ["Long context bench", "A long context benchmark", "Context windows", "Bench press"]
    lexicon = Lexicon.of(Paper(key="", title=t, year=0) for t in titles)
    assert lexicon.parts("contextllm") == ["context"]  # known prefix (long: too short to be a part)
    assert lexicon.parts("longcontext") == ["context"]  # else the known suffix
    assert lexicon.parts("context") == [] and lexicon.parts("benchy") == []  # known, or parts too short
    bag = terms(Paper(key="", title="Contextllm: Windows", year=0), lexicon=lexicon)
    assert bag["contextllm"] == bag["context"] == 1.0 and "context" not in terms(Paper(key="", title="Contextllm", year=0))
    assert lexicon.without(Paper(key="", title="Context windows", year=0)).parts("contextllm") == []  # two titles left
