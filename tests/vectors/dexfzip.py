"""dexfzip.py - re-write a dexf container in the exact ZIP64 profile of
doc/FORMAT.md, with some entries replaced, added or removed.  Used only to
build test vectors whose single defect is the one under test."""
import struct
import zipfile
import zlib


def read_entries(path):
    """[(name, method, crc, usize, raw_data, mode)] in file order."""
    out = []
    with open(path, 'rb') as f, zipfile.ZipFile(path) as z:
        infos = sorted(z.infolist(), key=lambda i: i.header_offset)
        for i in infos:
            f.seek(i.header_offset)
            h = f.read(30)
            nlen, xlen = struct.unpack('<HH', h[26:30])
            f.seek(i.header_offset + 30 + nlen + xlen)
            raw = f.read(i.compress_size)
            out.append([i.filename, i.compress_type, i.CRC, i.file_size,
                        raw, (i.external_attr >> 16) & 0o7777 or 0o644])
    return out


def entry(name, data, method=0, mode=0o644):
    """A new entry from plaintext."""
    if method == 8:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = c.compress(data) + c.flush()
    else:
        raw = data
    return [name, method, zlib.crc32(data) & 0xffffffff, len(data), raw, mode]


def plain(e):
    if e[1] == 8:
        return zlib.decompress(e[4], -15)
    return e[4]


def write(path, entries, dostime=0, dosdate=(1 << 5) | 1 | (46 << 9)):
    buf = bytearray()
    cd = bytearray()
    for name, method, crc, usize, raw, mode in entries:
        off = len(buf)
        n = name.encode()
        if name == 'mimetype':
            buf += struct.pack('<IHHHHHIIIHH', 0x04034b50, 10, 0, 0, dostime,
                               dosdate, crc, len(raw), usize, len(n), 0) + n + raw
            need, flags = 10, 0
        else:
            x = struct.pack('<HHQQ', 1, 16, usize, len(raw))
            buf += struct.pack('<IHHHHHIIIHH', 0x04034b50, 45, 0x0800, method,
                               dostime, dosdate, crc, 0xffffffff, 0xffffffff,
                               len(n), len(x)) + n + x + raw
            need, flags = 45, 0x0800
        cd += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 0x032d, need,
                          flags, method, dostime, dosdate, crc, len(raw),
                          usize, len(n), 0, 0, 0, 0,
                          (0o100000 | mode) << 16, off) + n
    cd_off = len(buf)
    buf += cd
    e64 = len(buf)
    cnt = len(entries)
    buf += struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 0x032d, 45, 0, 0, cnt,
                       cnt, len(cd), cd_off)
    buf += struct.pack('<IIQI', 0x07064b50, 0, e64, 1)
    buf += struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, cnt, cnt, len(cd),
                       cd_off, 0)
    with open(path, 'wb') as f:
        f.write(buf)


def padded_chunk(p):
    """A deflate chunk (FORMAT.md 4.5) that ends in 00 00 ff ff with p (1
    or 2) padding bits after its last block, which is not the flush's
    stored block: one dynamic block whose literal 0 has a 1-bit code and
    whose end-of-block code is all ones.  zlib alone accepts it, a
    whole-entry inflate does not.  Returns (chunk, number of zero bytes
    it decodes to)."""
    bits = []

    def put(v, n):
        bits.extend((v >> i) & 1 for i in range(n))

    def code(c, n):
        bits.extend((c >> i) & 1 for i in reversed(range(n)))

    def canon(lens):
        count = [0] * 16
        for n in lens:
            count[n] += 1
        count[0] = 0
        nxt, c = [0] * 16, 0
        for n in range(1, 16):
            c = (c + count[n - 1]) << 1
            nxt[n] = c
        out = []
        for n in lens:
            out.append(nxt[n] if n else 0)
            if n:
                nxt[n] += 1
        return out

    order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    cl = [4] * 13 + [5] * 6            # complete: 13 x 1/16 + 6 x 1/32
    clcode = canon(cl)
    last = 16 - p
    lens = [0] * 258                   # 257 literal/length, 1 distance
    for i in range(last - 1):
        lens[i] = i + 1
    lens[last - 1] = last
    lens[256] = last                   # the highest code: all ones
    lcode = canon(lens[:257])
    put(4, 3)                          # BFINAL 0, BTYPE 2
    put(0, 5)                          # HLIT: 257 codes
    put(0, 5)                          # HDIST: 1 code
    put(15, 4)                         # HCLEN: all 19
    for s in order:
        put(cl[s], 3)
    for n in lens:
        code(clcode[n], cl[n])
    # zero literals (1 bit each) up to a byte boundary, at least 16
    n = 16 + (8 - (len(bits) + 16) % 8) % 8
    for _ in range(n):
        code(lcode[0], lens[0])
    code(lcode[256], lens[256])
    put((1 << p) - 1, p)
    assert len(bits) % 8 == 0
    chunk = bytes(sum(bits[i + j] << j for j in range(8))
                  for i in range(0, len(bits), 8))
    assert chunk[-4:] == b'\x00\x00\xff\xff'
    return chunk, n
