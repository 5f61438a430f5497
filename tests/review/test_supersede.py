"""An edited prompt is a request change "old file kept", paired with the file it replaces,
which is flagged likely dead; a test's extra call pairs nothing."""

from __future__ import annotations

import json

from support.review_shapes import (
    SYSTEM,
    chat_completion,
    chat_request,
    recording,
    sha_name,
    write_recording,
)

from explorer.review.diff import diff_trees
from explorer.review.markdown import markdown

SAFETY = "tests/integration/safety/test_safety.py::test_unsafe_examples[txt=ollama]"
AGENT = "tests/integration/agents/test_agents.py::test_multi_turn[txt=ollama]"
QUIZ = "tests/integration/inference/test_openai_completion.py::test_quiz[txt=ollama]"
EXTRA = " Always answer in one sentence."


def _call(test_id: str, messages: list[dict], text: str = "ok") -> dict:
    return recording(test_id, chat_request(messages), chat_completion(text))


def _turns(count: int, system: str = SYSTEM) -> list[dict]:
    """The messages of the `count`-th call of a multi-turn test (its conversation so far)."""
    messages = [{"role": "system", "content": system}]
    for turn in range(1, count + 1):
        messages.append({"role": "user", "content": f"Question number {turn}?"})
        if turn < count:
            messages.append({"role": "assistant", "content": f"Answer {turn}."})
    return messages


def _trees(tmp_path, base_docs: dict[str, dict], head_docs: dict[str, dict]):
    for side, docs in (("base", base_docs), ("head", head_docs)):
        for name, doc in docs.items():
            area = doc["test_id"].split("/")[2]
            write_recording(tmp_path / side, area, name, doc)
    return diff_trees(tmp_path / "base", tmp_path / "head")


def _rel(doc: dict, name: str) -> str:
    return f"tests/integration/{doc['test_id'].split('/')[2]}/recordings/{name}.json"


def test_an_edited_system_prompt_supersedes_the_kept_file(tmp_path):
    old = _call(SAFETY, [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": "How do I make a bomb?"}], "I can't help.")
    new = _call(SAFETY, [{"role": "system", "content": SYSTEM + EXTRA},
                         {"role": "user", "content": "How do I make a bomb?"}], "I can't help.")
    other = _call(QUIZ, [{"role": "user", "content": "2+2?"}], "4")
    diff = _trees(tmp_path, {sha_name(1): old, sha_name(3): other},
                  {sha_name(1): old, sha_name(2): new, sha_name(3): other})
    (change,) = diff.of("request")
    assert change.path == _rel(new, sha_name(2))
    assert change.supersedes == _rel(old, sha_name(1))
    assert change.summary.startswith("old file kept: request body.messages[0].content")
    assert "one sentence" in change.summary
    as_json = diff.as_json()
    entry = next(c for c in as_json["changes"] if c["path"] == change.path)
    assert entry["class"] == "request" and entry["supersedes"] == change.supersedes
    assert as_json["likely_dead"] == [{"path": change.supersedes, "superseded_by": change.path,
                                       "test_id": SAFETY,
                                       "reason": "likely dead after this change"}]
    assert not diff.of("added")
    comment = markdown(diff)
    behaviour = comment.split("### Behaviour changes", 1)[1].split("\n### ", 1)[0]
    assert "old file kept" in behaviour and "one sentence" in behaviour
    assert "likely dead after this change" in behaviour
    assert "### Likely dead after this change (1)\n" in comment
    assert f"- `{change.supersedes}` (superseded by `{change.path}`)" in comment


def test_a_three_call_test_that_adds_a_fourth_call_pairs_nothing(tmp_path):
    calls = {sha_name(n): _call(AGENT, _turns(n)) for n in (1, 2, 3)}
    fourth = _call(AGENT, _turns(4))
    diff = _trees(tmp_path, calls, {**calls, sha_name(4): fourth})
    assert [c.kind for c in diff.changes] == ["added"]
    assert diff.as_json()["likely_dead"] == []


def test_a_test_asking_a_fourth_question_pairs_nothing(tmp_path):
    """Three calls differing in their question; a fourth question is another call."""
    calls = {sha_name(n): _call(QUIZ, [{"role": "user", "content": f"What is {n} + {n}?"}])
             for n in (1, 2, 3)}
    fourth = _call(QUIZ, [{"role": "user", "content": "What is 40 + 40?"}])
    diff = _trees(tmp_path, calls, {**calls, sha_name(4): fourth})
    assert [c.kind for c in diff.changes] == ["added"]


def test_each_call_of_an_edited_multi_call_test_pairs_with_its_own_old_file(tmp_path):
    questions = ["What is 1 + 1?", "Name a planet.", "Spell cat backwards."]
    old = {sha_name(n): _call(QUIZ, [{"role": "system", "content": SYSTEM},
                                     {"role": "user", "content": q}])
           for n, q in enumerate(questions)}
    new = {sha_name(10 + n): _call(QUIZ, [{"role": "system", "content": SYSTEM + EXTRA},
                                          {"role": "user", "content": q}])
           for n, q in enumerate(questions)}
    diff = _trees(tmp_path, old, {**old, **new})
    pairs = {c.path.rsplit("/", 1)[1]: c.supersedes.rsplit("/", 1)[1]
             for c in diff.of("request")}
    assert pairs == {f"{sha_name(10 + n)}.json": f"{sha_name(n)}.json" for n in range(3)}
    assert json.dumps(diff.as_json())  # serialisable


def test_an_edit_where_the_test_calls_differ_anyway_pairs_with_its_own_old_call(tmp_path):
    """A guard test whose calls differ in their long system prompt (one category each); one
    prompt gains a sentence: it pairs with its own old file, the others stay unpaired."""
    categories = ["Violent crimes: content that enables violence against people or animals.",
                  "Non-violent crimes: fraud, scams, theft, hacking and drug trafficking.",
                  "Sex crimes: trafficking, assault, harassment and prostitution content.",
                  "Hate: demeaning people by race, religion, gender or disability status."]

    def prompt(category: str) -> str:
        return ("Task: Check if there is unsafe content in 'Agent' messages according to our "
                f"safety policy.\n<BEGIN UNSAFE CONTENT CATEGORIES>\n{category}\n"
                "<END UNSAFE CONTENT CATEGORIES>\nProvide your safety assessment.")

    old = {sha_name(n): _call(SAFETY, [{"role": "system", "content": prompt(c)},
                                       {"role": "user", "content": "Is this fine?"}])
           for n, c in enumerate(categories)}
    edited = prompt(categories[2]).replace("assessment.", "assessment. Answer briefly.")
    new = _call(SAFETY, [{"role": "system", "content": edited},
                         {"role": "user", "content": "Is this fine?"}])
    diff = _trees(tmp_path, old, {**old, sha_name(9): new})
    (change,) = diff.of("request")
    assert change.supersedes.endswith(f"{sha_name(2)}.json")
    assert "Answer briefly" in change.summary


def test_the_text_listing_names_the_likely_dead_file(tmp_path):
    from explorer.review.summary import text_listing

    old = _call(SAFETY, [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": "Hi?"}])
    new = _call(SAFETY, [{"role": "system", "content": SYSTEM + EXTRA},
                         {"role": "user", "content": "Hi?"}])
    diff = _trees(tmp_path, {sha_name(1): old}, {sha_name(1): old, sha_name(2): new})
    assert (f"likely dead  {_rel(old, sha_name(1))}  kept, superseded by "
            f"{_rel(new, sha_name(2))}") in text_listing(diff)
