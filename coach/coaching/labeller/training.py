"""Train the line labeller from the train split of corpus/evals/mentor_lines and write
labeller_model.npz. Seeded and reproducible; the test split is never read here.

One logistic regression per label (scikit-learn, balanced class weights) over the MiniLM vector
and the hashed wording. Each label's regularisation C and decision threshold are chosen by 5-fold
cross-validation on the train split: C by out-of-fold F1, the threshold where out-of-fold F1 peaks.
Run: `python -m coach.coaching.labeller.training`."""

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from coach.coaching.labeller.dataset import LabelledLine, data_fingerprint, load_lines, split
from coach.coaching.labeller.labels import LABELS
from coach.coaching.labeller.model import Embed, LabellerModel, line_features

VERSION = "1"
SEED = 7
FOLDS = 5
C_GRID = (4.0, 16.0, 64.0)
THRESHOLD_GRID = np.round(np.arange(0.2, 0.81, 0.025), 3)


def multi_hot(lines: list[LabelledLine]) -> np.ndarray:
    return np.array([[label in line.labels for label in LABELS] for line in lines], dtype=np.uint8)


def _classifier(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=SEED)


def out_of_fold(features: sparse.csr_matrix, target: np.ndarray, c: float) -> np.ndarray:
    scores = np.zeros(len(target))
    for fit_rows, held_rows in KFold(FOLDS, shuffle=True, random_state=SEED).split(features):
        scores[held_rows] = _classifier(c).fit(features[fit_rows], target[fit_rows]).predict_proba(features[held_rows])[:, 1]
    return scores


def f1_at(scores: np.ndarray, target: np.ndarray, threshold: float) -> float:
    said = scores >= threshold
    true_pos = float((said & (target == 1)).sum())
    return 2 * true_pos / (said.sum() + target.sum()) if said.sum() + target.sum() else 0.0


def best_setting(features: sparse.csr_matrix, target: np.ndarray) -> tuple[float, float, float, np.ndarray]:
    """(C, threshold, out-of-fold F1, out-of-fold scores) for one label."""
    best = None
    for c in C_GRID:
        scores = out_of_fold(features, target, c)
        threshold = max(THRESHOLD_GRID, key=lambda t: f1_at(scores, target, t))
        candidate = (c, float(threshold), f1_at(scores, target, threshold), scores)
        if best is None or candidate[2] > best[2]:
            best = candidate
    return best


def train(embed: Embed, lines: list[LabelledLine], fingerprint: str, report=print) -> LabellerModel:
    texts = [line.text for line in lines]
    dense, vectors = line_features(texts, embed)
    features = sparse.csr_matrix(dense.astype(np.float64))
    targets = multi_hot(lines)
    weights, bias, thresholds = [], [], []
    for column, label in enumerate(LABELS):
        c, threshold, f1, _ = best_setting(features, targets[:, column])
        report(f"{label:18} C={c:<5} threshold={threshold:.3f} out-of-fold F1={f1:.3f} ({targets[:, column].sum()} lines)")
        fitted = _classifier(c).fit(features, targets[:, column])
        weights.append(fitted.coef_[0])
        bias.append(fitted.intercept_[0])
        thresholds.append(threshold)
    return LabellerModel(version=VERSION, fingerprint=fingerprint, labels=LABELS, weights=np.array(weights),
                         bias=np.array(bias), thresholds=np.array(thresholds), train_texts=texts,
                         train_labels=targets, train_vectors=vectors.astype(np.float16))


def main() -> None:
    from coach import paths
    from coach.assets.catalog import find_entry
    from coach.retrieval.embeddings import MiniLMEmbedding

    embedder = MiniLMEmbedding(find_entry("all-minilm-l6-v2-int8").folder(paths.default_models_dir()))
    lines = split(load_lines(), "train")
    train(embedder.embed, lines, data_fingerprint()).save()
    print(f"Trained on {len(lines)} lines; wrote the weights.")


if __name__ == "__main__":
    main()
