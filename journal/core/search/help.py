"""The query language in a few lines: the Search page's help popup (docs/search.md says more)."""

HELP_MARKDOWN = """\
### Searching your journal

Type words: every word must appear (in any order). Accents and case do not matter:
`amelie` finds “Amélie”, `kar wai` finds “Kar-Wai”. The last word you type also matches
longer words (`tark` finds “Tarkovsky”); end a word with `*` to do that anywhere.

| Write | To find |
|---|---|
| `"exact phrase"` | the words together, in this order |
| `-word` | what does **not** contain the word (also `-"a phrase"`) |
| `noir OR neo-noir` | either word |
| `score:>=8` · `score:7..8.5` · `score:9` | reviews by score (`>`, `<`, `<=` too) |
| `year:1994` · `year:1990..1999` | by the film's year |
| `director:"Spike Jonze"` · `actor:phoenix` | films by a director, with an actor |
| `tag:noir` | reviews with a tag |
| `medium:bluray` | seen at the cinema, on Blu-ray, DVD, streaming, TV, other |
| `viewed:2014` · `viewed:2014-01` · `viewed:2014-01-01..2014-03-31` | by date of viewing |
| `status:draft` · `status:published` | drafts or published reviews |
| `spoilers:yes` · `rewatch:yes` | reviews with spoilers; rewatches (`no` for the others) |

Put `-` before a filter to exclude it: `-tag:noir`. A range can be open: `score:8..`.
Filters combine with words: `rain -city viewed:2014 score:>=8`.
Reviews, films, people and comments are searched; the film filters (year, director, actor)
keep reviews and films, the other filters keep reviews only. `viewed:`, `medium:` and
`rewatch:` also list the films you logged without a review (“Viewings without a review”).
A filter name that is not one (`rating:>8`) is left out, with the one probably meant.
A title match ranks above a match in the text.
"""
