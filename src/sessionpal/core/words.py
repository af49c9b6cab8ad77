"""A client's words, counted: which words of theirs carry meaning, in the language they speak.

The patterns view lists the words a client uses most, and tells a re-worded action from a new one by
the words the two have in common. Both need the words that carry meaning without the ones every
sentence has ("the", "que", "und"): a short stop word list per language the notes are written in.
sessionpal has no language setting (a coach writes in whatever language the client speaks), so the
client's language is guessed from their own words: the list whose words they use most is theirs.

Words are found as the search finds them (core/spaceless.py): in scripts with spaces, runs of letters
and digits, case folded; in scripts without spaces (Chinese, Japanese, Korean, Thai...), where a single
character says little, each pair of neighbouring characters counts as a word (the bigrams search engines
use for these scripts), leaving out pairs made only of particles and pronouns.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from .spaceless import has_spaceless, units


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Small lists on purpose: the commonest function words of each language, enough that what is left of a
# coaching note is its content. English, Spanish, French, German, Portuguese and Italian: the languages of
# the notes the app's tests and demo hold; another language still works, only its function words count.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _listed(
        """a about after again all also am an and any are as at be because been before being but by can could did do does
        doing don't down for from get got had has have having he her here hers him his how i i'm i've if in into is it it's
        its just like me more most my myself no not now of off on once only or other our out over own really same she should
        so some such than that that's the their them then there these they this those through to too under until up very was
        we were what when where which while who why will with would you your yours yourself going want much thing things"""
    ),
    "es": _listed(
        """a al algo algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en entre
        era es esa ese eso esta estaba estar este esto estoy fue ha hay la las le les lo los me mi mis mucho muy más nada ni
        no nos o otra otro para pero poco por porque que quien se sea ser si sin sobre son su sus también te tengo tiene
        todo tu un una uno unos y ya yo él qué sé así eso"""
    ),
    "fr": _listed(
        """a au aux avec c'est ce cela ces cet cette dans de des du elle en est et être il ils j'ai je la le les leur lui ma
        mais me mes moi mon même ne nous on ou où par pas pour qu que qui sa se ses son sont sur ta te tes toi ton tu un une
        vous y à été ça très bien fait faire plus"""
    ),
    "de": _listed(
        """aber alle als also am an auch auf aus bei bin bis bist da dann das dass dem den der des die doch du durch ein eine
        einem einen einer es für hat hatte ich ihm ihn ihr im in ist ja kann mein mich mir mit nach nicht noch nur ob oder
        sehr sein sich sie sind so um und uns von vor war was wenn wie wir wird zu zum zur über"""
    ),
    "pt": _listed(
        """a ao aos as com como da das de do dos e ela ele eles em entre era essa esse eu foi isso isto já lhe mais mas me
        meu minha muito na nas no nos não o os ou para pela pelo por que se sem ser seu sua são também te tem tenho um uma
        você é está estou"""
    ),
    "it": _listed(
        """a al alla anche che chi ci come con da del della di e è gli ha ho i il in io la le lei lo lui ma mi mio molto ne
        nel non o per più quando questo quello se si sono su tu tutto un una uno"""
    ),
}

# In scripts without spaces: a pair of neighbouring characters made only of these says nothing of its own
# (particles, pronouns, "is", "not", the commonest verbs' endings).
STOP_CHARS = frozenset(
    "的了是我你他她它们在有不也就都和很这那个吗呢吧啊会要说着过得地之与及或被把给让从到对上下中里为以所而但如果没"
    + "のはがをにでとてたもしなだですますかいうこれそれあ"
    + "이가은는을를에의도다고하"
)

MIN_LETTERS = 2  # in scripts with spaces: "a", "I", "y" are never a theme

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)  # letters, with an apostrophe inside ("don't", "j'ai")
_TAG = re.compile(r"(?<![\w#])#([^\W_][\w-]*)")


def tags_in(text: str) -> tuple[str, ...]:
    """The #tags a note holds, case folded, in order, each once (#family, #leave-the-bank)."""
    found: dict[str, None] = {}
    for tag in _TAG.findall(text):
        found.setdefault(tag.casefold().rstrip("-"), None)
    return tuple(found)


def without_tags(text: str) -> str:
    """The note with its #tags taken out (a space where each was)."""
    return _TAG.sub(" ", text)


@functools.cache
def _spaceless_run() -> re.Pattern[str]:
    from .spaceless import SPACELESS_CHARS

    return re.compile(SPACELESS_CHARS + "+")


def raw_words(text: str) -> list[str]:
    """Every word of a note, case folded, in order: tags left out (they are counted as tags), digits too."""
    text = without_tags(text).casefold().replace("’", "'")
    words: list[str] = []
    if has_spaceless(text):
        for run in _spaceless_run().findall(text):
            found = units(run)
            if len(found) == 1:
                words.append(found[0])
            words += [a + b for a, b in zip(found, found[1:], strict=False)]
        text = _spaceless_run().sub(" ", text)
    words += _WORD.findall(text)
    return words


@functools.cache
def _languages_of_words() -> dict[str, tuple[str, ...]]:
    """Each stop word -> the languages whose list holds it."""
    found: dict[str, list[str]] = {}
    for language, stop in STOP_WORDS.items():
        for word in stop:
            found.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in found.items()}


def language_of(texts: Iterable[str]) -> str:
    """The language whose stop words the texts use most ("" when none is used at all)."""
    counts: Counter[str] = Counter()
    languages = _languages_of_words()
    for text in texts:
        for word in raw_words(text):
            counts.update(languages.get(word, ()))
    if not counts:
        return ""
    return max(STOP_WORDS, key=lambda language: (counts[language], language == "en"))


def content_words(text: str, language: str) -> list[str]:
    """The words of a note that carry meaning: stop words of `language` left out (English's too, which
    coaches' own notes are often written in), spaceless pairs of particles left out, short words left out."""
    stop = STOP_WORDS.get(language, frozenset()) | STOP_WORDS["en"]
    kept = []
    for word in raw_words(text):
        if has_spaceless(word):
            if not all(char in STOP_CHARS for char in word):
                kept.append(word)
        elif len(word) >= MIN_LETTERS and word not in stop:
            kept.append(word)
    return kept
