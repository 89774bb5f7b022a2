"""Train the injection classifier (L2-regularised logistic regression, fitted with Newton's method in
numpy) on corpus/evals/injection/train.jsonl and write coach/retrieval/injection_model.npz.

`python -m coach.retrieval.injection_training` reproduces the shipped weights from the pulled
all-MiniLM-L6-v2 model; the held-out test.jsonl is never read here."""

import numpy as np

from coach.retrieval.injection_classifier import MODEL_PATH, InjectionClassifier, SentenceEmbedder, features
from coach.retrieval.injection_dataset import DATA_DIR, Example, load_examples
from coach.retrieval.injection_normalise import normalise

L2 = 0.1  # strength of the pull towards zero weights; 384 dimensions against ~900 sentences
NEWTON_STEPS = 25
FOLDS = 5
# The threshold is the score that only 1% of clean training sentences reach when scored by a model
# that did not see them. The phrase patterns catch much of what it lets through, and a note's
# sentences are mostly plain guidance, far below the line (see measure_quarantine).
CLEAN_QUANTILE = 0.99


def fit(vectors: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights and bias; both classes weigh the same in total, whatever their counts."""
    features = np.hstack([vectors, np.ones((len(vectors), 1))])
    balance = np.where(labels == 1, 0.5 / labels.mean(), 0.5 / (1 - labels.mean()))
    penalty = L2 * np.eye(features.shape[1])
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    theta = np.zeros(features.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-features @ theta))
        gradient = features.T @ (balance * (p - labels)) + penalty @ theta
        hessian = (features * (balance * p * (1 - p))[:, None]).T @ features + penalty
        theta -= np.linalg.solve(hessian, gradient)
    return theta[:-1], float(theta[-1])


def out_of_fold_scores(vectors: np.ndarray, labels: np.ndarray, seed: int = 9) -> np.ndarray:
    """Each training sentence scored by a model that did not see it, to place the threshold honestly."""
    folds = np.random.default_rng(seed).permutation(len(labels)) % FOLDS
    scores = np.empty(len(labels))
    for fold in range(FOLDS):
        weights, bias = fit(vectors[folds != fold], labels[folds != fold])
        scores[folds == fold] = vectors[folds == fold] @ weights + bias
    return scores


def choose_threshold(log_odds: np.ndarray, labels: np.ndarray) -> float:
    """The probability at CLEAN_QUANTILE of the out-of-fold clean scores."""
    return float(1.0 / (1.0 + np.exp(-np.quantile(log_odds[labels == 0], CLEAN_QUANTILE))))


def embed_examples(examples: list[Example], embedder: SentenceEmbedder) -> tuple[np.ndarray, np.ndarray]:
    vectors = features([normalise(e.text) for e in examples], embedder).astype(np.float64)
    return vectors, np.array([1.0 if e.injection else 0.0 for e in examples])


def train(embedder: SentenceEmbedder, examples: list[Example]) -> InjectionClassifier:
    vectors, labels = embed_examples(examples, embedder)
    threshold = choose_threshold(out_of_fold_scores(vectors, labels), labels)
    weights, bias = fit(vectors, labels)
    return InjectionClassifier(weights, bias, threshold)


def main() -> None:
    from coach import paths
    from coach.assets.catalog import find_entry
    from coach.retrieval.embeddings import MiniLMEmbedding

    embedder = MiniLMEmbedding(find_entry("all-minilm-l6-v2-int8").folder(paths.default_models_dir()))
    examples = load_examples(DATA_DIR / "train.jsonl")
    classifier = train(embedder, examples)
    classifier.save(MODEL_PATH)
    print(f"Trained on {len(examples)} sentences; threshold {classifier.threshold:.3f}; wrote {MODEL_PATH}.")


if __name__ == "__main__":
    main()
