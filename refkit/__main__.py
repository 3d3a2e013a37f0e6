"""``python -m refkit``."""

from refkit.cli import main

main()
