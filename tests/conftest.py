"""Fixtures shared by the test files, the ALTO 4.4 schema (`alto_schema`, validating offline)
among them.

Plain helpers the test files share (the sample raw text, running the command line, reading
its JSON, a command without root's file-permission override) are in `tests/helpers.py`;
small drawn pages in `tests/drawing.py`; the benchmark's synthetic newspaper pages in
`bench.pagegen`.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from pipeline import lexicon
from tests.drawing import text_page


@pytest.fixture(scope="session")
def lex() -> lexicon.Lexicon:
    """The English frequency lexicon (`lexicon.load` caches it per process anyway)."""
    return lexicon.load("eng")


@pytest.fixture
def page_image(tmp_path: Path) -> Path:
    """A stage-1 folder (`1-preprocess/`) holding a small text page, `image.png` at 300 dpi."""
    d = tmp_path / "1-preprocess"
    d.mkdir()
    text_page().save(d / "image.png", dpi=(300, 300))
    return d


@pytest.fixture
def fake_tesseract(tmp_path: Path) -> Callable[[str], str]:
    """Makes a stand-in Tesseract: a shell script running `body`; returns its path (for
    `TESSERACT_ENV`)."""

    def make(body: str) -> str:
        f = tmp_path / "fake-tesseract"
        f.write_text("#!/bin/sh\n" + body + "\n")
        f.chmod(f.stat().st_mode | stat.S_IEXEC)
        return str(f)

    return make


SCHEMA = Path(__file__).parent / "schemas" / "alto-4-4.xsd"
XLINK = """<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    targetNamespace="http://www.w3.org/1999/xlink" attributeFormDefault="qualified">
 <xsd:attributeGroup name="simpleLink">
  <xsd:attribute name="type" type="xsd:string"/>
  <xsd:attribute name="href" type="xsd:anyURI"/>
  <xsd:attribute name="role" type="xsd:anyURI"/>
  <xsd:attribute name="arcrole" type="xsd:anyURI"/>
  <xsd:attribute name="title" type="xsd:string"/>
  <xsd:attribute name="show" type="xsd:string"/>
  <xsd:attribute name="actuate" type="xsd:string"/>
 </xsd:attributeGroup>
</xsd:schema>
"""


@pytest.fixture(scope="module")
def alto_schema(tmp_path_factory) -> etree.XMLSchema:
    """ALTO 4.4 with its XLink import pointed at a local stand-in, so it validates offline."""
    d = tmp_path_factory.mktemp("schema")
    (d / "xlink.xsd").write_text(XLINK)
    xsd = SCHEMA.read_text(encoding="utf-8")
    remote = 'schemaLocation="http://www.loc.gov/standards/xlink/xlink.xsd"'
    assert remote in xsd
    (d / "alto.xsd").write_text(xsd.replace(remote, 'schemaLocation="xlink.xsd"'))
    return etree.XMLSchema(etree.parse(str(d / "alto.xsd")))
