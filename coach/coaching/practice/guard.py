"""A cheap check on every sentence of a mentee reply before it is shown: speaker labels, narration,
assistant-speak, leaked instructions, advice to the mentor, answers to a quiz, bare compliance with
early advice, and sentences the mentee has said before. The engine checks each sentence as it streams
in; `check` runs the same checks over a whole reply (the bench and the tests use it)."""

import re
from collections.abc import Collection

from pydantic import BaseModel

from coach.coaching.practice.behaviours import BehaviourClassifier
from coach.coaching.practice.probes import Probe
from coach.coaching.practice.sentences import normal_form, split_sentences

MAX_SENTENCES = 3
MIN_REPEAT_WORDS = 2  # "Yes." twice is speech; "Ha, what?" three times (seen) is a stuck model
QUIZ_ANSWER_SIMILARITY = 0.5  # a statement this close to a quiz question answers it
SPEAKER_LABEL = r"^\s*[\"'*]*(mentor|mentee|coach|assistant|user|system|me|you|{name})[\"'*]*\s*:"
# An aside in brackets, closed or cut off: "(Your mentor looks surprised or confused." was seen.
NARRATION = re.compile(r"\*[^*\n]+\*|^\s*\([^)]*(\)\s*)?$|^\s*\[[^\]]*(\]\s*)?$", re.M)
LEAKS = re.compile(r"\b(hidden concern|stage note|these instructions|my instructions|the instructions|"
                   r"system prompt|(my|the|this|your) prompt|role-?play|as an ai|language model|i am an ai|"
                   r"i'm an ai|an ai model|the script|my programming|i was programmed|openai|chatgpt)\b", re.I)
ASSISTANT = re.compile(
    r"\b(i'?m sorry,? but (as an?|i (can ?not|can't|won't be able|am not able)|i('m| am) unable)\b|"
    r"i apologi[sz]e,? but|i (can ?not|can't|am unable to|am not able to|won't be able to) "
    r"(assist|help|provide|comply|fulfil+|answer|share|discuss|do that|engage|continue)|"
    r"(how|what) (can|may) i (help|assist|do for you)|(happy|glad) to (help|assist)|"
    r"let me know if (you|there)|is there anything (else )?(i can|you'd like|you need)|feel free to|"
    r"i'?m (just |only |always )?(here|designed|programmed) to (help|assist)|assist you|as your assistant|"
    r"(sure|certainly|of course|absolutely)[,!.]? i can (help|do that|write)|i can help (you )?with that|"
    r"i (don't|do not) have (personal|feelings|emotions|opinions))\b", re.I)
COMPLIANCE = re.compile(
    r"^((ok(ay)?|sure|yes|yeah|alright|all right|fine|right|thanks|thank you|got it|good idea|great|"
    r"that makes sense)[,.!]?\s*)*((i'?ll|i will|i'm going to|i am going to|will) (definitely |certainly )?"
    r"(do|try|give) (that|it|this)( a go| a try)?( then| now| today| first)?|yes,? it (does|will)|"
    r"sounds good|will do)[.!]?$", re.I)
# Agreeing to advice given before the mentee was heard: "You're right.", "Yes, that makes sense."
AGREEMENT = re.compile(r"^(you'?re (right|so right)|that makes (sense|a lot of sense)|yes|yeah|yep|sure|ok(ay)?|"
                       r"good (idea|point)|great idea|fair enough|will do|i appreciate (it|that)|thanks?( you)?)\b"
                       r"[^.!?]{0,24}[.!]?$", re.I)
ECHO_SIMILARITY = 0.75  # a sentence this close to the mentor's advice is the advice accepted back
PROMISE_SIMILARITY = 0.5  # "I'll book a meeting…" after "Book a meeting…" needs less to be a promise
PROMISE = re.compile(r"^(i'?ll|i will|i'm going to|i am going to|let's|let me|i can)\b", re.I)
# A pushback begun for the model ("Hm, I hear you, but") and then the advice taken after all: the
# words after the "but", with "I think we need to" and the like read past.
TOKEN_BUT = re.compile(r"^.{0,40}?,\s*but\s+(?:(?:i think|maybe|perhaps),?\s+)?(?:(?:we|i) (?:need|should|could|have) to\s+)?(.+)$",
                       re.I)
SECOND_PERSON = re.compile(r"\b(you|your)\b", re.I)
# Advice with no "you" in it: an instruction ("Try talking to them.") or a general rule ("It's important
# to stay calm."). Anything else without "you" is the mentee telling their story ("He applied twice and
# was told he lacks visibility."), which a labeller of mentor lines can take for advice.
ADVICE_WITHOUT_YOU = re.compile(
    r"^\W*((maybe|perhaps|just|so|then|well|honestly|and|but|also),?\s+)*(try|talk|ask|tell|speak|book|set|write|"
    r"send|email|call|go|take|make|give|keep|stop|start|focus|consider|remember|don't|do|be|stay|find|get|check|"
    r"look|schedule|reach|put|plan|pick|use|bring|say|avoid|trust|listen|think about)\b", re.I)
# A general rule is advice whoever says it, and the mentee is not there to give it ("It's important to
# stay calm and focused."); "It's important to me" is the mentee's own.
GENERAL_RULE = re.compile(r"^\W*(it'?s|it is) (always |really |very )?(important|best|wise|essential|crucial|vital) to "
                          r"(?!(me|us|him|her|them|my|our|his|their)\b)|"
                          r"^\W*(one|people|everyone) (should|ought to|needs? to)\b", re.I)
# "I'll send you a note on Friday." is the mentee speaking of themselves; advice to "you" says so. A
# hesitant lead-in comes first in many a pushback ("Hm, I hear you, but I'm not sure that's the best
# way."), so it is read past.
SPEAKS_OF_SELF = re.compile(r"^\W*((yes|yeah|sure|okay|ok|well|no|honestly|hm+|um+|maybe|i guess|i mean),?\s+(but\s+)?)*"
                            r"(i|i'm|i'll|i've|i'd|we|we'll|we're)\b", re.I)
ADVICE_TO_YOU = re.compile(r"\byou (should|could|might|need|have to|must|ought|may want|want to try)\b|"
                           r"\bi'?d (suggest|recommend|try|talk|go|just)\b|"
                           r"\bwhy don'?t you\b|\b(have|did) you (tried|thought about|considered)\b|"
                           r"\bif i were you\b", re.I)
FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|mine|we|our|us)\b", re.I)
NUMBER = re.compile(r"\b\d+\b")
# The mentor's words in the mentee's mouth: a small model slips into the helper's seat and answers a
# listener with "I'm sorry you're feeling this way. What do you think caused it?" A sympathetic lead-in
# is not the mentee speaking of themselves, so it is read past before looking for "I", "me", "my".
SYMPATHY_LEAD = re.compile(r"^\s*(i'?m (so |really )?sorry|i can (see|imagine)|(can|could|would) you tell me|tell me)\b", re.I)
# What a counsellor asks about or sympathises with; "You know how it is." names nothing of it.
FEELINGS = re.compile(r"\b(feel|feels|feeling|felt|caused?|causing|led to|going on|on your mind|bother|worr|"
                      r"hard|difficult|tough|frustrat|stress|pressure|upset|overwhelm)", re.I)
# "Yeah, you're right that it's been hard." is the mentee agreeing about their own week.
OWN_SIDE = re.compile(r"^\W*((yeah|yes|no|well|honestly|i mean),?\s+)?(you'?re|you are) right\b|^\W*(yeah|yes|no)\b", re.I)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
FILLERS = {"well", "oh", "so", "um", "hmm", "hm", "yeah", "ok", "okay", "right", "and"}
PERSONS = {"you": "i", "me": "i", "your": "my", "yours": "mine", "you're": "i'm", "you've": "i've", "you'd": "i'd",
           "you'll": "i'll", "yourself": "myself"}


# What the guard catches that is out of character; a repeat and bare agreement are in character, but
# are rejected too so the mentee neither loops nor gives in (the bench counts those apart).
OUT_OF_CHARACTER = frozenset({"speaker label", "narration", "mentioned its instructions", "spoke like an assistant",
                              "answered an off-topic question", "gave the mentor advice", "empty reply",
                              "said the mentor's line back", "counselled the mentor",
                              f"more than {MAX_SENTENCES} sentences"})


class GuardVerdict(BaseModel):
    ok: bool
    problems: list[str]


class GuardContext(BaseModel):
    """What a reply is checked against beyond its own words."""

    mentor_line: str = ""
    probe: Probe = Probe(kind="")
    advised_early: bool = False  # the mentor advised before listening: bare agreement is a pushover
    said: frozenset[str] = frozenset()  # normal forms of the mentee's earlier sentences this session


class MenteeGuard:
    def __init__(self, mentee_name: str, classifier: BehaviourClassifier) -> None:
        self.speaker_label = re.compile(SPEAKER_LABEL.format(name=re.escape(mentee_name)), re.I | re.M)
        self.own_label = re.compile(rf"^\s*[\"'*]*{re.escape(mentee_name)}[\"'*]*\s*:\s*", re.I)
        self.classifier = classifier

    def check(self, reply: str, context: GuardContext | None = None) -> GuardVerdict:
        """Every sentence of a whole reply, each also against the ones before it."""
        context = context or GuardContext()
        parts = split_sentences(reply)
        problems = [] if parts else ["empty reply"]
        if len(parts) > MAX_SENTENCES:
            problems.append(f"more than {MAX_SENTENCES} sentences")
        said = set(context.said)
        for sentence in parts:
            problems += [p for p in self.check_sentence(sentence, context.model_copy(update={"said": said}))
                         if p not in problems]
            said.add(normal_form(sentence))
        return GuardVerdict(ok=not problems, problems=problems)

    def check_sentence(self, sentence: str, context: GuardContext) -> list[str]:
        """What is wrong with one sentence, in the context of the turn; empty if nothing."""
        checks = [(self.speaker_label.search(sentence), "speaker label"), (NARRATION.search(sentence), "narration"),
                  (LEAKS.search(sentence), "mentioned its instructions"),
                  (ASSISTANT.search(sentence), "spoke like an assistant"),
                  (_repeats(sentence, context.said), "repeated an earlier sentence"),
                  # A small model sometimes answers "Shall we meet next week?" with the same words, or
                  # "What would help you most?" with "Well, what would help me most?".
                  (_says_back(sentence, context.mentor_line), "said the mentor's line back"),
                  (context.advised_early and _agrees(sentence), "simply agreed to early advice")]
        problems = [problem for failed, problem in checks if failed]
        if not problems and context.advised_early and self._echoes(sentence, context.mentor_line):
            problems.append("simply agreed to early advice")
        if not problems and self._answers_quiz(sentence, context):
            problems.append("answered an off-topic question")
        if not problems and self._gives_advice(sentence):
            problems.append("gave the mentor advice")
        if not problems and self._counsels(sentence):
            problems.append("counselled the mentor")
        return problems

    def without_own_label(self, sentence: str) -> str:
        """"Priya: Honestly…" is Priya speaking: the label goes, the sentence stays."""
        return self.own_label.sub("", sentence, count=1)

    def _gives_advice(self, sentence: str) -> bool:
        # Only advice aimed at the listener counts: "I should talk to my lead" is a mentee thinking aloud,
        # and "My manager is part of the problem" is about the mentee, whatever a labeller of mentor lines says.
        if GENERAL_RULE.search(sentence):
            return True
        if not SECOND_PERSON.search(sentence):
            if FIRST_PERSON.search(sentence) or not ADVICE_WITHOUT_YOU.search(sentence):
                return False
        elif SPEAKS_OF_SELF.match(sentence) and not ADVICE_TO_YOU.search(sentence):
            return False
        return "advice" in self.classifier.label([sentence])[0].behaviours

    def _counsels(self, sentence: str) -> bool:
        """The mentee playing the mentor: a reflection or acknowledgement of "your" feelings, or a
        question about what "you" feel or what caused it, with nothing of the mentee's own in it.
        "I appreciate you asking.", "I hear you, but…" and "What would you do?" stay in character."""
        if not SECOND_PERSON.search(sentence) or FIRST_PERSON.search(SYMPATHY_LEAD.sub("", sentence, count=1)):
            return False
        if not FEELINGS.search(sentence) or OWN_SIDE.match(sentence):
            return False
        labels = set(self.classifier.label([sentence])[0].behaviours)
        return bool(labels & {"reflection", "acknowledge", "open_question"})

    def complies(self, reply: str, mentor_line: str) -> bool:
        """Every sentence agrees, or says the mentor's line back as a plan: the bench's pushover flag."""
        parts = split_sentences(reply)
        return bool(parts) and all(_agrees(p) or self._echoes(p, mentor_line) for p in parts)

    def _echoes(self, sentence: str, advice: str) -> bool:
        """"Let's set a clear boundary and stick to it." after "Set a clear boundary…" takes it without
        a word, and so does "Hm, I hear you, but I think we need to set a clear boundary…": what
        follows a token "but" is read alone too."""
        taken = [sentence.strip(), *(m.group(1) for m in [TOKEN_BUT.match(sentence)] if m)]
        vectors = self.classifier.embed([advice, *taken])
        return any(float(vectors[0] @ vector) >= (PROMISE_SIMILARITY if PROMISE.match(text) else ECHO_SIMILARITY)
                   for text, vector in zip(taken, vectors[1:]))

    def _answers_quiz(self, sentence: str, context: GuardContext) -> bool:
        if context.probe.kind != "quiz" or sentence.rstrip().endswith("?"):
            return False
        if NUMBER.search(context.mentor_line) and NUMBER.search(sentence):
            return True
        vectors = self.classifier.embed([sentence, context.mentor_line])
        return float(vectors[0] @ vectors[1]) >= QUIZ_ANSWER_SIMILARITY


def _agrees(sentence: str) -> bool:
    text = sentence.strip()
    return bool(COMPLIANCE.match(text) or AGREEMENT.match(text))


def _says_back(sentence: str, mentor_line: str) -> bool:
    form = _echo_form(sentence)
    return len(form.split()) >= MIN_REPEAT_WORDS and form in {_echo_form(s) for s in split_sentences(mentor_line)}


def _echo_form(sentence: str) -> str:
    """The words with a leading filler dropped and persons merged: "Well, what would help me most?"
    and "What would help you most?" are the same line."""
    words = normal_form(sentence).split()
    while words and words[0] in FILLERS:
        words = words[1:]
    return " ".join(PERSONS.get(word, word) for word in words)


def _repeats(sentence: str, said: Collection[str]) -> bool:
    form = normal_form(sentence)
    return len(form.split()) >= MIN_REPEAT_WORDS and form in said


def sentences(text: str) -> list[str]:
    """Sentences split at end marks only, as the debrief's signals have always read them."""
    return [part for part in SENTENCE.split(text.strip()) if part]


def is_compliance(reply: str) -> bool:
    """A reply that only agrees to do what it was told ("I'll do that.", "Yes, it does.")."""
    parts = split_sentences(reply)
    return bool(parts) and all(COMPLIANCE.match(part) for part in parts)
