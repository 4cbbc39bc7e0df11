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
