"""Korean-friendly full-text search on stock PostgreSQL.

pg_trgm cannot serve one- and two-syllable Hangul words (배우, 모델, 남자) and there is no
pg_bigm here, so the application keeps its own search document: every word of the title
(weight A), company (B) and description (D) is cut into character bigrams, plus unigrams for
one-syllable queries, each lexeme at its character position. It is stored as a `tsvector`
(no parser or dictionary touches it: the literal is cast as is) under a GIN index.

A query word becomes its single unigram or bigram lexeme, or for 3+ characters the phrase of
its bigrams (`'뮤지' <-> '지컬'`): adjacency makes the index answer exact substring matches, so
there is no separate re-check. Words are AND-ed. The same query with `:A` on every lexeme tells
title matches, which rank first.
"""

from collections import defaultdict

from auditions.text import words

# PostgreSQL's limits: positions above 16383 are clamped; one lexeme keeps 256 positions.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_QUERY_WORDS = 8
MAX_QUERY_WORD_LENGTH = 40


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def document(*, title: str, company: str, description: str) -> str:
    """The tsvector literal of an audition (see the module docstring)."""
    positions: dict[str, list[str]] = defaultdict(list)
    position = 1
    for text, weight in ((title, "A"), (company, "B"), (description, "")):
        for word in words(text):
            if position + len(word) > MAX_POSITION:
                break
            for index, char in enumerate(word):
                at = f"{position + index}{weight}"
                positions[char].append(at)
                if index + 1 < len(word):
                    positions[word[index : index + 2]].append(at)
            # A gap, so no phrase matches across two words.
            position += len(word) + 1
    return " ".join(
        f"{_quote(lexeme)}:{','.join(at[:MAX_POSITIONS_PER_LEXEME])}"
        for lexeme, at in positions.items()
    )


def query_words(text: str) -> list[str]:
    return [word[:MAX_QUERY_WORD_LENGTH] for word in words(text)][:MAX_QUERY_WORDS]


def tsquery(query: str, *, weight: str = "") -> str:
    """A raw tsquery for `to_tsquery('simple', ...)`; empty when the query has no words."""
    suffix = f":{weight}" if weight else ""
    terms = []
    for word in query_words(query):
        if len(word) <= 2:
            terms.append(_quote(word) + suffix)
        else:
            bigrams = [_quote(word[i : i + 2]) + suffix for i in range(len(word) - 1)]
            terms.append("(" + " <-> ".join(bigrams) + ")")
    return " & ".join(terms)
