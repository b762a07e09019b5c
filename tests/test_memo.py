"""analysis.memo: answers are kept only inside a build, per tables object, and handed out as copies."""
import pandas as pd

from analysis import memo
from analysis.sources import support


def test_outside_a_build_every_call_sees_the_tables_as_they_are_now(tables):
    t = dict(tables)
    before = len(support(t))
    t["citations"] = t["citations"].iloc[0:0]
    assert len(support(t)) < before  # an edit between calls is seen


def test_inside_a_build_a_repeated_call_is_answered_once_and_as_a_copy(tables, monkeypatch):
    calls = []

    @memo.per_build
    def count(t, lang="ar"):
        calls.append(lang)
        return pd.DataFrame({"n": [len(t)]})

    with memo.build():
        first = count(tables, lang="en")
        first["n"] = -1  # a caller's change stays its own
        again = count(tables, lang="en")
        count(tables, lang="ar")  # other arguments: asked again
        count(dict(tables), lang="en")  # another tables object: asked again
    assert calls == ["en", "ar", "en"]
    assert again["n"].tolist() == [len(tables)]
    count(tables, lang="en")  # the build is over: nothing kept
    assert calls == ["en", "ar", "en", "en"]
