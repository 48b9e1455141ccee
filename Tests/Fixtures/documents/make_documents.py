#!/usr/bin/env python3
"""Writes the document fixtures beside this script: one file per format, each holding a phrase found
nowhere else, and the hostile ones (encrypted, truncated and random-byte PDFs, a zip bomb, an
entity-bomb DOCX). Standard library only; deterministic (run it again: the same bytes)."""
import os
import random
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)


def rng_bytes(count, seed=5):
    rng = random.Random(seed)
    return [rng.randrange(256) for _ in range(count)]


def pdf(pages, encrypt=False):
    """A PDF with one Helvetica text page per entry of `pages` (a list of lines each)."""
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        stream = b"BT /F1 12 Tf 72 720 Td 14 TL\n"
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream += b"(" + escaped.encode("latin-1") + b") Tj T*\n"
        stream += b"ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
                        % (pages_id, content, font)))
    assert add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    encrypt_id = None
    if encrypt:
        # Standard security handler, revision 2, with an /U that no password (the empty one included) matches.
        rng = random.Random(7)
        o = bytes(rng.randrange(256) for _ in range(32)).hex().encode()
        u = bytes(rng.randrange(256) for _ in range(32)).hex().encode()
        encrypt_id = add(b"<< /Filter /Standard /V 1 /R 2 /O <" + o + b"> /U <" + u + b"> /P -44 >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if encrypt_id:
        trailer += b" /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]" % encrypt_id
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def zip_file(entries, mimetype=None):
    from io import BytesIO
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            info = zipfile.ZipInfo("mimetype", date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<w:styles {W}>
<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>
</w:styles>"""


ODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:body><office:text>"""
ODT_TAIL = "</office:text></office:body></office:document-content>"
CONTAINER = """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""


def paragraph(text, style=None):
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def docx(body_xml, prolog=""):
    document = f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document {W}><w:body>{body_xml}</w:body></w:document>'
    return zip_file([
        ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("word/document.xml", document),
        ("word/styles.xml", STYLES),
    ])


def main():
    lorem = "The committee reviewed the quarterly figures and agreed to revisit the budget in spring."
    write("report.pdf", pdf([
        ["Annual report", lorem],
        ["Findings", "The heliotrope lighthouse ledger shows seventeen ships.", lorem],
        ["Appendix", lorem],
    ]))
    write("report-v2.pdf", pdf([["Annual report", lorem], ["Findings", "The cobalt harbour almanac lists nine ferries.", lorem]]))
    write("encrypted.pdf", pdf([["Secret tangerine parliament minutes."]], encrypt=True))
    whole = pdf([["Truncated marmalade observatory."]] * 3)
    write("truncated.pdf", whole[: len(whole) // 3])
    rng = random.Random(11)
    write("random.pdf", bytes(rng.randrange(256) for _ in range(20000)))

    write("memo.docx", docx(
        paragraph("Quarterly memo", "Titel")
        + paragraph("Budget planning", "berschrift1")
        + paragraph("Intro text about the office move.")
        + paragraph("Procurement", "berschrift2")
        + paragraph("The saffron procurement spreadsheet needs a second signature.")
        + "<w:tbl><w:tr><w:tc>" + paragraph("Table cell about umbrella stands.") + "</w:tc></w:tr></w:tbl>"
        + '<w:p><w:r><w:delText>deleted verdigris sentence</w:delText></w:r></w:p>'))
    laughs = "<!DOCTYPE w:document [<!ENTITY a \"lol\">" + "".join(
        f"<!ENTITY {chr(98 + i)} \"" + f"&{chr(97 + i)};" * 10 + "\">" for i in range(9)) + "]>"
    write("entity-bomb.docx", docx(paragraph("&j;"), prolog=laughs))
    # What Word writes for a password-protected file: an OLE compound file (its header, then sectors).
    write("encrypted.docx", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(rng_bytes(4088)))
    # A zip bomb: a DOCX whose document.xml inflates from about 64 kB to 64 MB of zeros (a ratio near 1000:1).
    bomb = zip_file([("[Content_Types].xml", "<Types/>"), ("word/document.xml", b"\0" * (64 << 20))])
    write("zip-bomb.docx", bomb)
    # The same bomb with sizes in its headers that lie (1 kB): only counting inflated bytes catches it.
    lying = bytearray(bomb)
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := lying.find(signature, start)) >= 0:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            name_length = int.from_bytes(lying[start + (26 if name_offset == 30 else 28):][:2], "little")
            if lying[start + name_offset:start + name_offset + name_length] == b"word/document.xml":
                lying[start + size_offset:start + size_offset + 4] = (1000).to_bytes(4, "little")
            start += 4
    write("zip-bomb-lying.docx", bytes(lying))

    odt_content = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:body><office:text>
<text:h text:outline-level="1">Garden plans</text:h>
<text:p>Intro about the season.</text:p>
<text:h text:outline-level="2">Greenhouse</text:h>
<text:p>The<text:s/>marzipan<text:s text:c="2"/>greenhouse thermostat fails at dawn.</text:p>
<text:list><text:list-item><text:p>A list item about compost.</text:p></text:list-item></text:list>
</office:text></office:body></office:document-content>"""
    write("garden.odt", zip_file([("content.xml", odt_content), ("META-INF/manifest.xml",
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')],
        mimetype="application/vnd.oasis.opendocument.text"))

    container = """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""
    opf = """<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">
<manifest><item id="c1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/chapter2.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>"""

    def chapter(title, text):
        return f"""<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">
<head><title>The Book</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"""
    write("novel.epub", zip_file([
        ("META-INF/container.xml", container), ("OEBPS/content.opf", opf),
        ("OEBPS/text/chapter 1.xhtml", chapter("The Departure", "They packed the trunks before sunrise.")),
        ("OEBPS/text/chapter2.xhtml", chapter("The Crossing", "A periwinkle zeppelin drifted over the fjord.")),
    ], mimetype="application/epub+zip"))

    write("page.html", b"""<!DOCTYPE html><html><head><title>Saved page</title><style>.x { color: red }</style>
<script>var hidden = "obsidian scarecrow telemetry";</script></head>
<body><nav>Home | About | navigationonlyword</nav><h1>Travel log</h1><p>Day one.</p>
<h2>Harbour</h2><p>We watched the <b>vermilion</b> tugboat regatta from the pier.</p>
<template><p>templateonlyword</p></template><pre>code   kept   as is</pre></body></html>""")

    import json
    notebook = {
        "nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "python"}},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Analysis\n", "Loading the data.\n"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["import pandas as pd\n", "frame = pd.read_csv('data.csv')\n"],
             "outputs": [{"output_type": "stream", "name": "stdout", "text": ["outputonlyword appears in an output\n"]}]},
            {"cell_type": "markdown", "metadata": {}, "source": "## Results\nThe chartreuse histogram of dune heights."},
            {"cell_type": "code", "metadata": {}, "execution_count": 2, "source": "frame.plot()", "outputs": []},
        ],
    }
    write("analysis.ipynb", json.dumps(notebook, indent=1).encode())


def bench(folder):
    """Larger documents for `qwery bench --documents FOLDER`: a 500-page PDF, and DOCX, ODT, EPUB, HTML and
    notebook files of about 100 pages' worth of text each, twenty of each small kind."""
    global HERE
    os.makedirs(folder, exist_ok=True)
    HERE = folder
    words = ("harbour budget lantern orchard ferry ledger summit quarterly compost meadow thermostat almanac "
             "regatta parliament zeppelin marmalade observatory umbrella procurement spreadsheet").split()
    rng = random.Random(3)

    def sentence():
        return " ".join(rng.choice(words) for _ in range(12)).capitalize() + "."
    write("book.pdf", pdf([[sentence()[:90] for _ in range(40)] for _ in range(500)]))
    for index in range(20):
        body = "".join(paragraph(f"Section {h}", "berschrift1") + "".join(paragraph(sentence() * 3) for _ in range(20)) for h in range(25))
        write(f"report-{index}.docx", docx(body))
        odt_body = "".join(f'<text:h text:outline-level="1">Section {h}</text:h>' + "".join(f"<text:p>{sentence() * 3}</text:p>" for _ in range(20))
                           for h in range(25))
        write(f"report-{index}.odt", zip_file([("content.xml", ODT_HEAD + odt_body + ODT_TAIL)], mimetype="application/vnd.oasis.opendocument.text"))
        chapters = [(f"OEBPS/c{c}.xhtml", f"<html><head><title>Book</title></head><body><h1>Chapter {c}</h1>"
                     + "".join(f"<p>{sentence() * 3}</p>" for _ in range(100)) + "</body></html>") for c in range(5)]
        manifest = "".join(f'<item id="c{c}" href="c{c}.xhtml" media-type="application/xhtml+xml"/>' for c in range(5))
        spine = "".join(f'<itemref idref="c{c}"/>' for c in range(5))
        write(f"book-{index}.epub", zip_file([("META-INF/container.xml", CONTAINER),
                                              ("OEBPS/content.opf", f'<package xmlns="http://www.idpf.org/2007/opf"><manifest>{manifest}</manifest><spine>{spine}</spine></package>')]
                                             + chapters, mimetype="application/epub+zip"))
        html = "<html><head><title>Page</title></head><body>" + "".join(
            f"<h2>Part {h}</h2>" + "".join(f"<p>{sentence() * 3}</p>" for _ in range(20)) for h in range(25)) + "</body></html>"
        write(f"page-{index}.html", html.encode())
        import json
        cells = [{"cell_type": "markdown", "metadata": {}, "source": sentence() * 3} for _ in range(200)]
        write(f"notebook-{index}.ipynb", json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}).encode())


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--bench":
        bench(sys.argv[2])
    else:
        main()
