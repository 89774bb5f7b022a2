"""The mentor-line labeller: what each line does (asks openly, reflects, advises…), learned from the
labelled lines in corpus/evals/mentor_lines/ rather than hand-set exemplars and thresholds."""
