"""The debrief: scores from a trained line labeller and transparent signals, verbatim evidence,
cited guidance, facts in words, and a rewrite of the weakest line that the labeller has checked."""
