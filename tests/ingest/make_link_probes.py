#!/usr/bin/env python3
"""Office documents that link images instead of embedding them (converter probes).

usage: make_link_probes.py OUT_DIR RELATIVE_PATH ABSOLUTE_PATH HTTP_URL

Writes into OUT_DIR: links.html (an <img> for each of the three targets), links.docx (an
external image relationship to each), links.rtf (INCLUDEPICTURE fields), links.odt (linked
draw:image frames). A converter that loads linked content embeds those images into its PDF
(or fetches the URL); a safe one leaves the links empty. Each document also holds a line of
text, so its conversion has something to show.
"""
import os
import sys
import zipfile

out, rel, absolute, url = sys.argv[1:5]
file_url = "file://" + absolute
targets = [rel, file_url, url]
os.makedirs(out, exist_ok=True)

with open(os.path.join(out, "links.html"), "w", encoding="utf-8") as f:
    f.write("<!DOCTYPE html><html><head><meta charset='utf-8'><title>链接图片</title></head><body>\n")
    f.write("<p>链接图片测试 linked images probe</p>\n")
    for t in targets:
        f.write(f'<p><img src="{t}" width="200" height="200"></p>\n')
    f.write("</body></html>\n")

# DOCX: three pictures whose blips are r:link (external), not r:embed.
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def drawing(i):
    return f"""<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1905000" cy="1905000"/>
<wp:docPr id="{i}" name="Picture {i}"/>
<a:graphic><a:graphicData uri="{PIC}"><pic:pic>
<pic:nvPicPr><pic:cNvPr id="{i}" name="p{i}.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:link="rIdImg{i}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1905000" cy="1905000"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>
</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"""


document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}" xmlns:a="{A}" xmlns:pic="{PIC}" xmlns:wp="{WP}">'
            '<w:body><w:p><w:r><w:t>链接图片测试 linked images probe</w:t></w:r></w:p>'
            + "".join(drawing(i) for i in range(1, len(targets) + 1)) +
            "</w:body></w:document>")
rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rIdImg{i}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            f'Target="{t}" TargetMode="External"/>' for i, t in enumerate(targets, 1)) +
        "</Relationships>")
with zipfile.ZipFile(os.path.join(out, "links.docx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
               "</Types>")
    z.writestr("_rels/.rels",
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
               "</Relationships>")
    z.writestr("word/document.xml", document)
    z.writestr("word/_rels/document.xml.rels", rels)

# RTF: INCLUDEPICTURE fields (\d: linked, not stored in the document).
with open(os.path.join(out, "links.rtf"), "w", encoding="ascii") as f:
    f.write("{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Helvetica;}}\n")
    f.write("\\f0 Linked images probe\\par\n")
    for t in targets:
        f.write('{\\field{\\*\\fldinst { INCLUDEPICTURE "' + t.replace("\\", "\\\\") +
                '" \\\\d }}{\\fldrslt { }}}\\par\n')
    f.write("}\n")

# ODT: draw:image frames pointing outside the package.
content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
           "<office:body><office:text><text:p>链接图片测试 linked images probe</text:p>"
           + "".join(
               f'<text:p><draw:frame draw:name="img{i}" text:anchor-type="as-char" svg:width="5cm" svg:height="5cm">'
               f'<draw:image xlink:href="{t}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
               "</draw:frame></text:p>" for i, t in enumerate(targets, 1)) +
           "</office:text></office:body></office:document-content>")
with zipfile.ZipFile(os.path.join(out, "links.odt"), "w") as z:
    z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
    z.writestr("META-INF/manifest.xml",
               '<?xml version="1.0" encoding="UTF-8"?>\n'
               '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
               '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
               '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
               "</manifest:manifest>")
    z.writestr("content.xml", content)
