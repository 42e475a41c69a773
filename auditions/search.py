"""Korean-friendly full-text search on stock PostgreSQL.

pg_trgm cannot serve one- and two-syllable Hangul words (배우, 모델, 남자) and there is no
pg_bigm here, so the application keeps its own search document: every word of the title
(weight A), company (B) and description (D) is cut into character bigrams, plus unigrams for
one-syllable queries, each lexeme at its character position. It is stored as a `tsvector`
(no parser or dictionary touches it: the literal is cast as is) under a GIN index.

A query word becomes its single unigram or bigram lexeme, or for 3+ characters the phrase of
its bigrams (`'뮤지' <-> '지컬'`): adjacency makes the index answer exact substring matches, so
there is no separate re-check. Words are AND-ed.

Title matches rank first, so the title's lexemes are also stored a second time under a marker
(`'#배우'`, same positions), and the title query asks for those. A weight label (`'배우':A`)
would select the same rows, but PostgreSQL's statistics count lexemes, not weights: for a word
found in thousands of descriptions and no title it expected thousands of title matches, walked
the posted_at index for them and read the whole table (1- and 2-syllable words at 100k:
0.2-2.4 s; bench/api/README.md). The marked lexemes have their own frequencies and their own
posting lists in the GIN index, so the planner sees how rare a title match is.
"""

from collections import defaultdict

from auditions.text import words

# PostgreSQL's limits: positions above 16383 are clamped; one lexeme keeps 256 positions.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_QUERY_WORDS = 8
MAX_QUERY_WORD_LENGTH = 40
# Never produced by auditions.text.words (letters and digits only).
TITLE_MARK = "#"


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
            mark = TITLE_MARK if weight == "A" else None
            for index, char in enumerate(word):
                at = f"{position + index}{weight}"
                grams = [char] if index + 1 == len(word) else [char, word[index : index + 2]]
                for gram in grams:
                    positions[gram].append(at)
                    if mark:
                        positions[mark + gram].append(at)
            # A gap, so no phrase matches across two words.
            position += len(word) + 1
    return " ".join(
        f"{_quote(lexeme)}:{','.join(at[:MAX_POSITIONS_PER_LEXEME])}"
        for lexeme, at in positions.items()
    )


def query_words(text: str) -> list[str]:
    return [word[:MAX_QUERY_WORD_LENGTH] for word in words(text)][:MAX_QUERY_WORDS]


def tsquery(query: str, *, title: bool = False) -> str:
    """A raw tsquery (cast as is, no parser); empty when the query has no words. `title`: every
    word in the title (the marked lexemes)."""
    mark = TITLE_MARK if title else ""
    terms = []
    for word in query_words(query):
        if len(word) <= 2:
            terms.append(_quote(mark + word))
        else:
            bigrams = [_quote(mark + word[i : i + 2]) for i in range(len(word) - 1)]
            terms.append("(" + " <-> ".join(bigrams) + ")")
    return " & ".join(terms)
