"""A Word template's package: read once, opened for each render, parsed where read.

python-docx opens a .docx by unzipping every part and parsing every XML
part, and writes each XML part anew on save. A built-in template's styles
alone are 350 KB of XML that no render changes, parsed and written again
for each of a strategy's seventeen documents. Here the zip is read once
per template (:func:`read_package`, kept with the compiled template), and
each render's package is made from it (:func:`open_document`) with the XML
parts parsed only when something reads them: a part nobody read is saved
as the bytes it was read as. Everything that reads a part (docxtpl's
header and footer rendering, pictures added to a part, a plugin looking at
the styles) gets it parsed as before.
"""

from __future__ import annotations

import functools
import io
from typing import Any

__all__ = ["open_document", "read_package"]


def read_package(data: bytes) -> Any:
    """The parts of a .docx file, read (unzipped) once; a python-docx ``PackageReader``."""
    from docx.opc.pkgreader import PackageReader  # lazy: python-docx, lxml

    reader: Any = PackageReader  # untyped in python-docx
    return reader.from_file(io.BytesIO(data))


def open_document(reader: Any) -> Any:
    """A python-docx ``Document`` made from ``reader``, as ``docx.Document`` opens a file.

    Each call gives a package of its own; the XML parts but the main
    document are parsed when first read.

    Raises:
        ValueError: The main part is not a Word document (as ``docx.Document``).
    """
    from docx.opc.constants import CONTENT_TYPE as CT  # lazy: python-docx
    from docx.opc.package import Unmarshaller
    from docx.package import Package

    package = Package()
    unmarshaller: Any = Unmarshaller  # untyped in python-docx
    unmarshaller.unmarshal(reader, package, _make_part)
    main = package.main_document_part
    if main.content_type != CT.WML_DOCUMENT_MAIN:
        raise ValueError(f"not a Word file, the content type is {main.content_type!r}")
    return main.document


def _make_part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
    """The part python-docx's ``PartFactory`` would make, unparsed where it is XML."""
    from docx.opc.constants import CONTENT_TYPE as CT  # lazy: python-docx
    from docx.opc.part import PartFactory, XmlPart

    selector = getattr(PartFactory, "part_class_selector", None)
    cls = selector(content_type, reltype) if selector is not None else None
    if cls is None:
        cls = PartFactory._part_cls_for(content_type)
    if content_type != CT.WML_DOCUMENT_MAIN and issubclass(cls, XmlPart):
        cls = _unparsed(cls)
    return cls.load(partname, content_type, blob, package)


@functools.cache
def _unparsed(base: type[Any]) -> type[Any]:
    """``base`` (an ``XmlPart`` class) whose XML is parsed when first read."""
    from docx.opc.oxml import serialize_part_xml  # lazy: python-docx
    from docx.opc.part import Part
    from docx.oxml.parser import parse_xml

    class Unparsed(base):  # type: ignore[misc]  # python-docx has partial hints
        _source: bytes
        _parsed: Any

        @classmethod
        def load(cls, partname: Any, content_type: str, blob: bytes, package: Any) -> Any:
            part = cls.__new__(cls)
            Part.__init__(part, partname, content_type, package=package)
            part._source = blob
            part._parsed = None
            return part

        @property
        def _element(self) -> Any:
            if self._parsed is None:
                self._parsed = parse_xml(self._source)
            return self._parsed

        @_element.setter
        def _element(self, element: Any) -> None:
            self._parsed = element

        @property
        def blob(self) -> bytes:
            if self._parsed is None:
                return bytes(self._source)
            return bytes(serialize_part_xml(self._parsed))

    Unparsed.__name__ = Unparsed.__qualname__ = f"Unparsed{base.__name__}"
    return Unparsed
