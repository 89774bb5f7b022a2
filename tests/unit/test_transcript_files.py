"""Transcripts a trainer brings to `coach debrief score`: both formats, and one sentence per problem."""

import json

import pytest

from coach.coaching.debrief.transcript_files import MAX_BYTES, TranscriptFileError, read_transcript_file


def test_plain_text_turns_with_continuation_lines(tmp_path):
    path = tmp_path / "meeting.txt"
    path.write_text("Mentee: I think we should meet less.\n\nmentor: Thanks for saying so.\n  What's behind it?\n"
                    "MENTEE: People talk.\n")
    lines = read_transcript_file(path)
    assert [(x.speaker, x.text) for x in lines] == [("mentee", "I think we should meet less."),
                                                    ("mentor", "Thanks for saying so. What's behind it?"), ("mentee", "People talk.")]


def test_a_json_list_of_speaker_and_text_with_extra_fields_ignored(tmp_path):
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps([{"speaker": "mentor", "text": "How are you?", "at": "10:02"},
                                {"speaker": "mentee", "text": "Fine \u001b[2Jreally."}]))
    lines = read_transcript_file(path)
    assert [(x.speaker, x.text) for x in lines] == [("mentor", "How are you?"), ("mentee", "Fine really.")]


@pytest.mark.parametrize(("content", "problem"), [
    ("[{\"speaker\": \"mentor\", ", "is not valid JSON"),
    ("[{\"who\": \"mentor\"}]", "must be a list of"),
    ("[{\"speaker\": \"boss\", \"text\": \"Do it.\"}]", "speaker 'boss' is neither"),
    ("Hello there\nMentor: hi", "line 1 does not start with 'Mentor:'"),
    ("Mentee: only the mentee speaks", "has no mentor lines"),
])
def test_each_malformed_file_gets_one_sentence_naming_it(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(TranscriptFileError, match=problem) as caught:
        read_transcript_file(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_missing_binary_and_oversized_files_are_refused_without_reading_them_whole(tmp_path):
    with pytest.raises(TranscriptFileError, match="no such file"):
        read_transcript_file(tmp_path / "nope.txt")
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TranscriptFileError, match="not UTF-8"):
        read_transcript_file(binary)
    huge = tmp_path / "huge.txt"
    huge.write_text("Mentor: hi\n" * (MAX_BYTES // 10))
    with pytest.raises(TranscriptFileError, match="larger than"):
        read_transcript_file(huge)
