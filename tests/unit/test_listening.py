from coach.coaching.practice.behaviours import LineLabel, question_rule
from coach.coaching.practice.listening import ListeningState


def _line(*behaviours: str) -> LineLabel:
    return LineLabel(text="x", behaviours=list(behaviours), scores={})


def _play(*lines: LineLabel) -> ListeningState:
    state = ListeningState()
    for line in lines:
        state = state.after(line)
    return state


def test_listening_opens_the_way_to_the_hidden_concern():
    state = _play(_line("open_question"), _line("acknowledge"))
    assert state.stage == "guarded"
    state = state.after(_line("open_question"))
    assert state.stage == "ready" and state.open_questions == 2 and state.acknowledgements == 1
    assert state.mark_revealed().stage == "revealed"


def test_a_dismissal_closes_the_mentee_until_repaired():
    state = _play(_line("open_question"), _line("acknowledge"), _line("open_question"), _line("dismiss"))
    assert state.stage == "closed"
    assert state.after(_line("acknowledge")).stage == "ready"  # acknowledging right after repairs it
    assert state.after(_line()).stage == "closed"  # still within two lines of the dismissal
    assert state.after(_line()).after(_line()).stage == "ready"


def test_two_dismissals_close_for_good_and_early_advice_is_recorded():
    state = _play(_line("advice"), _line("dismiss"), _line("open_question"), _line("dismiss"))
    assert state.advice_before_first_question and state.advice_lines == 1
    assert state.after(_line("acknowledge")).after(_line("open_question")).stage == "closed"


def test_transitions_do_not_mutate_the_previous_state():
    before = ListeningState()
    before.after(_line("open_question"))
    assert before.open_questions == 0


def test_question_wording_rules():
    assert question_rule("How are things going for you?") == "open_question"
    assert question_rule("Tell me more about that.") == "open_question"
    assert question_rule("Any questions? No? Great, see you next week.") == "closed_question"
    assert question_rule("Did you talk to them?") == "closed_question"
    assert question_rule("You should talk to your manager.") == ""
