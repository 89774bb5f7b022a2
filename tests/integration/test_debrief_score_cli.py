"""`coach debrief score` as a trainer runs it: both file formats, --json, skills with and without a
scenario, and a malformed file that is named while the others are still scored. No chat model."""

import json
from pathlib import Path

from tests.reliability.cli import run_coach

PLAIN = """Mentee: I keep getting pulled into other teams' incidents.
Mentor: That sounds draining. What happened this week?
Mentee: Two call-outs, both not ours.
Mentor: So you're covering for people and your own work is slipping.
Mentee: Yes, exactly.
Mentor: Would it help if I shared how I said no to that last year?
Mentee: Please.
Mentor: Shall we look at how it went when we meet next Thursday?
"""
ORDERS = [{"speaker": "mentee", "text": "I keep getting pulled into other teams' incidents."},
          {"speaker": "mentor", "text": "Just refuse. Tell them it's not your job."},
          {"speaker": "mentee", "text": "I suppose."},
          {"speaker": "mentor", "text": "And stop answering the phone after six, you're overthinking it."}]


def test_scores_both_formats_as_json_and_names_a_malformed_file(tmp_path):
    (tmp_path / "listener.txt").write_text(PLAIN)
    (tmp_path / "orders.json").write_text(json.dumps(ORDERS))
    (tmp_path / "broken.json").write_text("[{\"speaker\": ")
    done = run_coach("debrief", "score", str(tmp_path / "listener.txt"), str(tmp_path / "broken.json"),
                     str(tmp_path / "orders.json"), "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "broken.json: is not valid JSON" in done.stderr
    results = {Path(r["file"]).name: r for r in map(json.loads, done.stdout.splitlines())}
    assert "error" in results["broken.json"]
    listener, orders = results["listener.txt"], results["orders.json"]
    assert [line["n"] for line in listener["lines"]] == [1, 2, 3, 4] and listener["lines"][0]["text"].startswith("That sounds")
    assert "offer" in listener["lines"][2]["labels"] and "next_step" in listener["lines"][3]["labels"]
    assert all(0 < p <= 1 for line in listener["lines"] for p in line["labels"].values())
    skills = {"listened-before-advising", "asked-open-questions", "acknowledged-concern", "treated-as-peer", "agreed-next-steps"}
    assert {s["skill"] for s in listener["scores"]} == skills and listener["total"] == sum(s["score"] for s in listener["scores"])
    assert listener["total"] > orders["total"]
    assert all(hit["evidence"] for s in orders["scores"] for hit in s["hits"] if hit["points"] < 0)


def test_skills_or_a_scenario_choose_what_is_scored_and_the_text_output_is_readable(tmp_path):
    path = tmp_path / "listener.txt"
    path.write_text(PLAIN)
    chosen = run_coach("debrief", "score", str(path), "--skills", "asked-open-questions,agreed-next-steps", "--json")
    assert {s["skill"] for s in json.loads(chosen.stdout)["scores"]} == {"asked-open-questions", "agreed-next-steps"}
    card = run_coach("debrief", "score", str(path), "--scenario", "favourite-worry", "--json")
    assert "handled-favouritism-fairly" in {s["skill"] for s in json.loads(card.stdout)["scores"]}
    text = run_coach("debrief", "score", str(path))
    assert text.returncode == 0 and "offer to advise" in text.stdout and "Asked open questions:" in text.stdout
    wrong = run_coach("debrief", "score", str(path), "--skills", "charm")
    assert wrong.returncode != 0 and "Unknown skill charm" in wrong.stderr and "Traceback" not in wrong.stderr


def test_full_marks_with_write_up_has_strengths_and_no_rewrite(tmp_path):
    (tmp_path / "listener.txt").write_text(PLAIN)
    done = run_coach("debrief", "score", str(tmp_path / "listener.txt"), "--skills", "acknowledged-concern,agreed-next-steps",
                     "--json", "--write-up")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["total"] == result["max_total"] and result["strengths"]
    assert result["rewrite"] is None and result["rewrite_note"].startswith("Full marks")
