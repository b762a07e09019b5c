"""Curated data, analysis, figures and an Arabic briefing on the US and coalition withdrawal from Iraq.

Heavy libraries (pandas, matplotlib, frictionless) load on first use, so `import analysis` stays cheap.
"""
from importlib import import_module

__version__ = "0.1.0"
__all__ = ["load", "validate", "DataValidationError", "DATA_DIR", "__version__"]

_LAZY = {
    "load": ("analysis.data", "load"),
    "DATA_DIR": ("analysis.data", "DATA_DIR"),
    "DataValidationError": ("analysis.validate", "DataValidationError"),
    "validate": ("analysis.validate", "validate"),
}


def __getattr__(name):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}") from None
    return getattr(import_module(module), attr)
