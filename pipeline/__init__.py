"""ocr-pipeline: scanned pages to clean, correctly ordered text, stage by stage."""

__version__ = "0.1.0"
