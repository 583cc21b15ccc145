"""Entry point: `python -m bot …`."""

import sys

from bot.cli.commands import main

sys.exit(main())
