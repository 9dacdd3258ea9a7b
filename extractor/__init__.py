"""form4: an ML-assisted extractor for SEC Form 4 filings in noisy flattened text."""

__version__ = "0.1.0"
