"""``python -m syndetect``: the same command line as ``syndetect``."""

from .cli import main

if __name__ == "__main__":
    main()
