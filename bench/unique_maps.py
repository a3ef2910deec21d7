"""Give each copied text PDF of the bench archive ToUnicode maps of its own bytes (a comment
inside each map, its cross-reference table rebuilt), so that no file reuses a map another file
already parsed: a real archive's LibreOffice documents carry subset fonts of their own, where
the bench's copies of one document share theirs. bench/content.sh runs the first audit on both.

Usage: find … -name '*.pdf' | python3 bench/unique_maps.py SOURCE.pdf
"""
import re, sys, zlib

def unique_maps(src: bytes, tag: int) -> bytes:
    """The PDF with a comment of its own in each ToUnicode map (so no two files' maps share
    their bytes) and its cross-reference table rebuilt."""
    maps = {int(n) for n in re.findall(rb'/ToUnicode (\d+) 0 R', src)}
    objs = []
    for m in re.finditer(rb'(\d+) 0 obj(.*?)endobj', src, re.S):
        num, body = int(m.group(1)), m.group(2)
        if num in maps:
            head, _, rest = body.partition(b'stream')
            data = rest.lstrip(b'\r\n')
            length = int(re.search(rb'/Length (\d+)', head).group(1))
            cmap = zlib.decompress(data[:length])
            new = zlib.compress(b'%map ' + str(tag).encode() + b'\n' + cmap, 6)
            head = re.sub(rb'/Length \d+', b'/Length ' + str(len(new)).encode(), head)
            body = head + b'stream\n' + new + b'\nendstream\n'
        objs.append((num, body))
    trailer = re.search(rb'trailer\s*(<<.*?>>)\s*startxref', src, re.S).group(1)
    out = bytearray(src[:src.index(b'\n') + 1] + b'%\xe2\xe3\xcf\xd3\n')
    offsets = {}
    for num, body in objs:
        offsets[num] = len(out)
        out += str(num).encode() + b' 0 obj' + body + b'endobj\n'
    size = max(offsets) + 1
    xref = len(out)
    out += b'xref\n0 ' + str(size).encode() + b'\n0000000000 65535 f \n'
    for n in range(1, size):
        out += (b'%010d 00000 n \n' % offsets[n]) if n in offsets else b'0000000000 65535 f \n'
    out += b'trailer\n' + trailer + b'\nstartxref\n' + str(xref).encode() + b'\n%%EOF\n'
    return bytes(out)

if __name__ == '__main__':
    src = open(sys.argv[1], 'rb').read()
    for i, path in enumerate(sys.stdin.read().splitlines()):
        out = unique_maps(src, i)
        # Made unique in size too, as bench/content.sh does for the shared-map copies.
        k = out.rindex(b'startxref')
        open(path, 'wb').write(out[:k] + b'%' + b'x' * i + b'\n' + out[k:])
