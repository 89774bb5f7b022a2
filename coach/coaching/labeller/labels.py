"""The labels a mentor line can carry (defined for annotators in corpus/evals/mentor_lines/README.md)."""

LABELS = ("open_question", "closed_question", "reflection", "acknowledge", "advice", "offer",
          "dismiss", "next_step", "shares_experience", "neutral")

# How a label reads in a debrief, a drill or a live hint.
LABEL_NAMES = {
    "open_question": "open question",
    "closed_question": "closed question",
    "reflection": "reflection",
    "acknowledge": "acknowledgement",
    "advice": "advice",
    "offer": "offer to advise",
    "dismiss": "dismissal",
    "next_step": "next step",
    "shares_experience": "shared experience",
    "neutral": "other",
}
EXCLUSIVE = "neutral"  # a neutral line carries no other label
