#!/usr/bin/env python3
"""make_formats.py FORMAT IN.txt OUT — writes the UTF-8 text IN.txt (one paragraph a line)
as another format, with the standard library only, for the near-duplicate tests:
  docx  a Word document, one paragraph a line
  rtf   an RTF document (non-ASCII as \\uN? escapes), one paragraph a line
  gbk   a plain text file encoded in GBK (CRLF line ends, as Windows writes them)
  big5  a plain text file encoded in Big5 (give it traditional characters)
"""
import sys
import zipfile
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def docx(lines, out):
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}</w:body></w:document>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", document)


def rtf_escape(line):
    out = []
    for ch in line:
        code = ord(ch)
        if ch in "\\{}":
            out.append("\\" + ch)
        elif code < 128:
            out.append(ch)
        else:
            for unit in ch.encode("utf-16-le").hex(" ", 2).split():  # UTF-16 code units
                value = int.from_bytes(bytes.fromhex(unit), "little")
                out.append(f"\\u{value - 65536 if value > 32767 else value}?")
    return "".join(out)


def rtf(lines, out):
    head = "{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0 Noto Sans CJK SC;}}\\f0\\fs24\n"
    body = "".join(rtf_escape(line) + "\\par\n" for line in lines)
    with open(out, "w", encoding="ascii") as f:
        f.write(head + body + "}\n")


def main():
    kind, src, out = sys.argv[1:4]
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if kind == "docx":
        docx(lines, out)
    elif kind == "rtf":
        rtf(lines, out)
    elif kind in ("gbk", "big5"):
        with open(out, "wb") as f:
            f.write("\r\n".join(lines).encode(kind, errors="replace"))
    else:
        sys.exit(f"unknown format {kind}")


if __name__ == "__main__":
    main()
