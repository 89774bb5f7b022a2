"""The debrief: scores from transparent signals, verbatim evidence, cited guidance, and a narrative
the model writes under a JSON-schema grammar."""
