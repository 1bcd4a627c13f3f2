#!/usr/bin/env python3
"""A PDF whose first pages are cheap to draw and whose later pages are expensive.

usage: make_heavy_pdf.py OUT [--cheap N] [--heavy N] [--draws N] [--size PX] [--label TEXT]

Cheap pages hold a line of text. Each heavy page draws one large image XObject (a
SIZE x SIZE RGB gradient, Flate-compressed so the file stays small) DRAWS times over the
whole page, so Poppler decodes and scales the image DRAWS times: a few seconds per page at
1000 px. Written by hand (no packages): objects, then a cross-reference table with exact
byte offsets.
"""
import argparse
import zlib


def image_stream(size):
    # A diagonal gradient: compresses to almost nothing, yet every pixel must be decoded.
    row = bytearray()
    rows = []
    for y in range(0, 256):
        row = bytearray()
        for x in range(size):
            row += bytes(((x + y) & 0xFF, (x * 3) & 0xFF, y & 0xFF))
        rows.append(bytes(row))
    data = b"".join(rows[(y // 8) % 256] for y in range(size))
    return zlib.compress(data, 6)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--cheap", type=int, default=5)
    p.add_argument("--heavy", type=int, default=4)
    p.add_argument("--draws", type=int, default=20)
    p.add_argument("--size", type=int, default=3000)
    p.add_argument("--label", default="Cheap")
    a = p.parse_args()

    objects = {}  # number -> bytes (without "N 0 obj" / "endobj")
    pages = a.cheap + a.heavy
    first_page = 5  # 1 catalog, 2 page tree, 3 font, 4 image; then page, content pairs
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(pages))
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    img = image_stream(a.size)
    objects[4] = (
        f"<< /Type /XObject /Subtype /Image /Width {a.size} /Height {a.size} "
        f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {len(img)} >>\n"
        "stream\n"
    ).encode() + img + b"\nendstream"
    for i in range(pages):
        n = i + 1
        heavy = n > a.cheap
        text = f"{'Heavy' if heavy else a.label} page {n}"
        ops = []
        if heavy:
            for k in range(a.draws):
                inset = k % 7
                ops.append(f"q {595 - 2 * inset} 0 0 {842 - 2 * inset} {inset} {inset} cm /Im1 Do Q")
        ops.append(f"BT /F1 28 Tf 72 760 Td ({text}) Tj ET")
        content = "\n".join(ops).encode()
        page_obj = first_page + 2 * i
        objects[page_obj] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> "
            f"/Contents {page_obj + 1} 0 R >>"
        ).encode()
        objects[page_obj + 1] = (
            f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
        )

    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objects[num] + b"\nendobj\n"
    xref = len(out)
    count = max(objects) + 1
    out += f"xref\n0 {count}\n0000000000 65535 f \n".encode()
    for num in range(1, count):
        out += f"{offsets[num]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {count} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    with open(a.out, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
