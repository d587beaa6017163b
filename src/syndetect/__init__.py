"""syndetect: find syndicated and rewritten news, and say who copied whom."""
import logging
logging.getLogger(__name__).addHandler(logging.NullHandler())
__version__ = "0.1.0"
