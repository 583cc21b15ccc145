"""Stage 3 of the pipeline: readers that find in a message what a ranking cannot.

Each reader takes the `Prepared` text (and what the ranker said) and returns a finding or None:
`deadline` (a date given, or the user's saved CCPs; `relative` reads "il y a deux ans"), `ccp`
(CCP numbers, one that does not exist, counts, which CCP holds a competence), `veto` (the
message is about another titre, diploma or everyday subject), `resit` (a failure's date beside
the re-sit rule). They import nothing of Telegram, storage or the clock.
"""

# A topic "speaks of" what at least this many of its phrasings name (another subject for the
# veto, a CCP the titre does not have for the CCP reader): one writer's aside is not enough.
NAMED_BY = 2
