"""form4: an ML-assisted extractor for SEC Form 4 filings in noisy flattened text.

>>> import form4
>>> sorted(name for name in form4.__all__ if name.startswith("extract"))
['extract_batch', 'extract_file', 'extract_text']
"""

__version__ = "0.1.0"

from .api import extract_batch, extract_file, extract_text  # noqa: E402
from .errors import Form4Error  # noqa: E402
from .run.pipeline import RULES_ONLY, Extractor, model_extractor  # noqa: E402
from .schema import Record  # noqa: E402

__all__ = ["Extractor", "Form4Error", "RULES_ONLY", "Record", "extract_batch", "extract_file", "extract_text", "model_extractor", "__version__"]
