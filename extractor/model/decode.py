"""The NER's greedy decoder, stepped here over all of a filing's pieces at once, with span probabilities.

spaCy's transition-based NER reads a text token by token: at each token its network scores
every action (begin, inside, last, unit, out, by label) and the best valid one is taken. Stepping
that loop here, with one matrix of scores per step for every piece still being read, takes the
same actions (the same entities) and keeps what the network thought of each token: the softmax
probability of the action it rated highest. A span's probability is the least of its tokens':
the weakest decision that made it. (Measured on 60 training-split filings: entities whose
probability is >= 0.99 are 96.9 % exactly right, those below 0.5 about 45 %; AUC 0.91. A beam
of width 2-8 over the same model was weakly informative, AUC 0.56-0.66, and cost 1.6-4x the
parse.) Pipelines without such a component are read by ``nlp.pipe`` with no probabilities.
"""

from __future__ import annotations

from typing import Any, Sequence


def _stepped_ner(nlp) -> Any | None:
    """The pipeline's greedy transition NER when it is the last component, else None."""
    if not nlp.pipe_names or nlp.pipe_names[-1] != "ner":
        return None
    ner = nlp.get_pipe("ner")
    if not hasattr(ner, "transition_states") or ner.cfg.get("beam_width", 1) != 1:
        return None
    return ner


def read(nlp, texts: Sequence[str]) -> list[tuple[Any, list[float] | None]]:
    """(doc with its entities, each entity's probability in ``doc.ents`` order or None) per text."""
    ner = _stepped_ner(nlp)
    if ner is None:
        return [(doc, None) for doc in nlp.pipe(texts)]
    docs = list(nlp.pipe(texts, disable=["ner"]))
    token_probs = _decode(ner, docs)
    return [(doc, [float(min(probs[e.start : e.end], default=1.0)) for e in doc.ents]) for doc, probs in zip(docs, token_probs)]


def _decode(ner, docs: list) -> list[list[float]]:
    """Run the greedy decoder over ``docs`` (entities set on them); per doc, per token, the
    probability of the action the network rated highest when it read that token."""
    import numpy as np

    probs = [[1.0] * len(doc) for doc in docs]
    if not any(len(doc) for doc in docs):
        return probs
    states = ner.moves.init_batch(docs)
    of_state = {id(state): probs[i] for i, state in enumerate(states)}
    step = ner.model.predict(docs)
    active = [state for state in states if not state.is_final()]
    while active:
        scores = step.predict(active)
        z = np.asarray(scores, dtype="float64")
        top = 1.0 / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1)
        for state, p in zip(active, top.tolist()):
            token = state.B(0)
            if token >= 0:
                row = of_state[id(state)]
                row[token] = min(row[token], p)
        active = ner.transition_states(active, scores)
    step.clear_memory()
    ner.set_annotations(docs, states)
    return probs
