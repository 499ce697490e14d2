"""The longest message that still answers right: a question after a fan's preamble, growing.

    .venv/bin/python benchmarks/long_messages.py

Asks the core (``Retriever.ask``, what every front end calls) "what does Kay say about
luck?" alone, then after a preamble of 1, 2, 4, ... repeated fan sentences up to 6,000
characters (the most a slash-command option carries; a DM carries 2,000, or 4,000 with
Nitro), in three shapes: the question last, the question first with chatter after it, and
a request with no question mark after the preamble. "Right" means the same top three
passages as the question (or request) asked alone. Prints one row per length and shape, with the notice the fan
sees.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.retrieval.search import Retriever
from bot.settings import Settings

QUESTION = "what does Kay say about luck?"
SENTENCE = ("I have been watching Industry since the first episode and think the trading floor scenes are "
            "the best thing on television, especially with Harper and Yasmin at each other's throats. ")
REQUEST = "Tell me what Kay says about luck"
LIMIT = 6000


def main() -> None:
    settings = Settings(_env_file=None)
    retriever = Retriever.load(settings.corpus_dir, settings.index_dir, settings.model)
    shapes = {  # shape: (the message around a preamble, what it asks when asked alone)
        "question last": (lambda pre: pre + QUESTION.capitalize(), QUESTION),
        "question first": (lambda pre: QUESTION.capitalize() + " " + pre.strip(), QUESTION),
        "no question mark": (lambda pre: pre + REQUEST, REQUEST),
    }
    alone = {shape: [hit.passage.id for hit in retriever.ask(asked, 3).hits] for shape, (_, asked) in shapes.items()}
    longest = dict.fromkeys(shapes, 0)
    print("| shape | characters | tokens | right | notice |\n|---|---:|---:|:---:|---|")
    repeats = 1
    while len(SENTENCE) * repeats < LIMIT:
        for shape, (make, _) in shapes.items():
            message = make(SENTENCE * repeats)[:LIMIT]
            answer = retriever.ask(message, 3)
            right = [hit.passage.id for hit in answer.hits] == alone[shape]
            if right:
                longest[shape] = max(longest[shape], len(message))
            print(f"| {shape} | {len(message)} | {retriever.questions.count_tokens(message)} | "
                  f"{'yes' if right else 'NO'} | {answer.notice or ''} |")
        repeats *= 2
    for shape, length in longest.items():
        print(f"longest message answered right, {shape}: {length} characters")


if __name__ == "__main__":
    main()
