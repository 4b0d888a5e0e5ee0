"""TF-IDF vectors used for similarity: terms, weights and edge cases, checked by hand."""
import math
import subprocess
import sys

import numpy as np
import pytest

from newsbrief.link import vectors


def test_tokens_drop_stop_words_single_characters_and_non_ascii_letters():
    assert vectors.tokens("The H100 chips of the lab") == ["h100", "chips", "lab"]
    assert vectors.tokens("a I x") == []
    assert "no" in vectors.stop_words() and "on" in vectors.stop_words()   # not YAML booleans


def test_weights_follow_sublinear_tf_and_smoothed_idf():
    X = vectors.tfidf(["chips chips export", "export rules"]).toarray()
    # columns in sorted order: chips, export, rules
    idf_chips = math.log(3 / 2) + 1          # in 1 of 2 texts
    idf_export = math.log(3 / 3) + 1         # in both
    row = np.array([(1 + math.log(2)) * idf_chips, idf_export, 0.0])
    assert X[0] == pytest.approx(row / np.linalg.norm(row), rel=1e-6)
    assert np.linalg.norm(X, axis=1) == pytest.approx([1, 1], rel=1e-6)


def test_identical_texts_have_cosine_one_and_unrelated_zero():
    X = vectors.tfidf(["Nvidia shares fell sharply", "Nvidia shares fell sharply", "rain in Paris"])
    S = (X @ X.T).toarray()
    assert S[0, 1] == pytest.approx(1, rel=1e-6)
    assert S[0, 2] == 0


def test_texts_without_terms_give_zero_rows_and_all_empty_raises():
    X = vectors.tfidf(["", "the of and", "export controls"])
    assert X.shape[0] == 3 and X[0].nnz == 0 and X[1].nnz == 0 and X[2].nnz == 2
    with pytest.raises(ValueError, match="empty vocabulary"):
        vectors.tfidf(["", "the of"])
    with pytest.raises(ValueError):
        vectors.tfidf([])


def test_words_with_non_ascii_letters_yield_no_partial_tokens():
    # \b is Unicode-aware, the token characters are ASCII: no "caf" from "Café"
    assert vectors.tokens("Café Zürich AI Beijing") == ["ai", "beijing"]


def test_tokens_need_no_scipy():
    code = ("import sys; from newsbrief.link import vectors; vectors.tokens('Acme chips'); "
            "print('scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
