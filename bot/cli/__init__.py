"""`python -m bot …`: the command line of DESIGN.md (`commands.py`: parsing, the answering
commands, the choice of transport) and the operators' commands (`operators.py`: remind, stats,
unanswered, backup, advisors).

May import every other part of `bot` (lazily, so `ask` starts without Telegram's library).
"""
