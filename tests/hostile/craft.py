#!/usr/bin/env python3
"""craft.py - read, patch and rewrite dexf containers byte by byte.

Test helper for tests/cli/*.sh and tests/interop/*.sh.  It never uses
zipfile to write: containers are serialised with struct in the exact
profile shape of doc/FORMAT.md section 2.3 (mimetype first and stored,
ZIP64 local extra on every other entry, central directory, ZIP64 EOCD,
locator, EOCD), so that a hostile container differs from a good one only
in the defect under test.

Usage (every offset printed is an absolute file offset, in decimal):

  craft.py entries C                  name, header offset, data offset,
                                      compressed and uncompressed size
  craft.py dataoff C ENTRY            data offset of ENTRY
  craft.py cdhdr C ENTRY              offset of ENTRY's central header
  craft.py cdoff C                    offset of the central directory
  craft.py chunk C ID K               offset and stored length of chunk K
                                      of item ID (e.g. i1)
  craft.py leaf C ID K                offset of index entry K's leaf hash
  craft.py get C ENTRY                the content of ENTRY on stdout
  craft.py put C ENTRY FILE           replace ENTRY's content by FILE's
                                      (added at the end if missing; CRC
                                      and sizes recomputed, stored)
  craft.py drop C ENTRY               remove ENTRY
  craft.py flip FILE OFFSET [XOR]     xor one byte (default 0x01)
  craft.py truncate FILE LENGTH       cut FILE to LENGTH bytes
  craft.py resign IN OUT KEY CERT [MD]  re-sign record 0 of IN as is,
                                      with digest MD (default sha256)
  craft.py hostile KIND IN OUT [ARG]  write a hostile variant of IN
                                      (kinds: see HOSTILE below)

Signing uses the openssl command (CMS, detached, DER, SHA-256 digest,
signed attributes), the PKI is tests/pki (env PKI, else found relative
to this file).
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.environ.get("PKI") or os.path.join(HERE, "..", "pki")

MANIFEST = b"META-INF/dexf/manifest.xml"
SEAL = b"META-INF/dexf/records/000000.xml"
SIG = b"META-INF/dexf/records/000000.p7s"
MIMETYPE = b"application/vnd.dexf+zip"
M32 = 0xFFFFFFFF


class Entry:
    """One ZIP entry: name and raw (possibly compressed) entry data."""

    def __init__(self, name, data, method=0, crc=None, usize=None,
                 dostime=0, dosdate=0x21, mode=0o100644):
        self.name = name if isinstance(name, bytes) else name.encode()
        self.data = data
        self.method = method
        self.crc = zlib.crc32(data) if crc is None else crc
        self.usize = len(data) if usize is None else usize
        self.dostime = dostime
        self.dosdate = dosdate
        self.mode = mode

    def content(self):
        if self.method == 8:
            return zlib.decompress(self.data, -15)
        return self.data

    def set_content(self, content, method=None):
        if method is not None:
            self.method = method
        if self.method == 8:
            co = zlib.compressobj(6, zlib.DEFLATED, -15)
            self.data = co.compress(content) + co.flush()
        else:
            self.data = content
        self.crc = zlib.crc32(content)
        self.usize = len(content)


# --------------------------------------------------------------- reading

def parse(blob):
    """Parse a dexf-profile container; return (entries, layout)."""
    eocd = len(blob) - 22
    if blob[eocd:eocd + 4] != b"PK\x05\x06":
        raise ValueError("no EOCD at end of file")
    loc = eocd - 20
    (z64off,) = struct.unpack_from("<Q", blob, loc + 8)
    (sig, _sz, _vm, _vn, _d1, _d2, _n1, count, cdsize,
     cdoff) = struct.unpack_from("<IQHHIIQQQQ", blob, z64off)
    if sig != 0x06064B50:
        raise ValueError("no ZIP64 EOCD")
    entries, cdhdrs = [], []
    p = cdoff
    for _ in range(count):
        (sig, _vm, _vn, _fl, method, dt, dd, crc, cs, us, nl, xl, cl,
         _dn, _ia, ea, lho) = struct.unpack_from("<IHHHHHHIIIHHHHHII",
                                                 blob, p)
        if sig != 0x02014B50:
            raise ValueError("bad central header at %d" % p)
        name = blob[p + 46:p + 46 + nl]
        extra = blob[p + 46 + nl:p + 46 + nl + xl]
        vals = []
        q = 0
        while q + 4 <= len(extra):
            hid, hl = struct.unpack_from("<HH", extra, q)
            if hid == 1:
                vals = list(struct.unpack_from("<%dQ" % (hl // 8), extra,
                                               q + 4))
            q += 4 + hl
        if us == M32:
            us = vals.pop(0)
        if cs == M32:
            cs = vals.pop(0)
        if lho == M32:
            lho = vals.pop(0)
        lnl, lxl = struct.unpack_from("<HH", blob, lho + 26)
        doff = lho + 30 + lnl + lxl
        e = Entry(name, blob[doff:doff + cs], method, crc, us, dt, dd,
                  ea >> 16)
        e.lho, e.doff, e.cdhdr = lho, doff, p
        entries.append(e)
        cdhdrs.append(p)
        p += 46 + nl + xl + cl
    return entries, {"cdoff": cdoff, "cdsize": cdsize, "z64": z64off,
                     "loc": loc, "eocd": eocd, "count": count}


def load(path):
    with open(path, "rb") as f:
        return parse(f.read())


def find(entries, name):
    name = name if isinstance(name, bytes) else name.encode()
    for e in entries:
        if e.name == name:
            return e
    raise KeyError(name.decode(errors="replace"))


# --------------------------------------------------------------- writing

def serialize(entries):
    """Write entries in the dexf profile; return (bytes, layout)."""
    out = bytearray()
    lhos = []
    for e in entries:
        lhos.append(len(out))
        if e.name == b"mimetype":
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 10, 0, 0,
                               e.dostime, e.dosdate, e.crc, len(e.data),
                               e.usize, len(e.name), 0)
            out += e.name
        else:
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0x0800,
                               e.method, e.dostime, e.dosdate, e.crc, M32,
                               M32, len(e.name), 20)
            out += e.name
            out += struct.pack("<HHQQ", 1, 16, e.usize, len(e.data))
        out += e.data
    cdoff = len(out)
    cdhdrs = []
    for e, lho in zip(entries, lhos):
        cdhdrs.append(len(out))
        mime = e.name == b"mimetype"
        extra = b""
        us, cs, lo = e.usize, len(e.data), lho
        vals = []
        if us >= M32:
            vals.append(us)
            us = M32
        if cs >= M32:
            vals.append(cs)
            cs = M32
        if lo >= M32:
            vals.append(lo)
            lo = M32
        if vals:
            extra = struct.pack("<HH", 1, 8 * len(vals)) + \
                struct.pack("<%dQ" % len(vals), *vals)
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x032D,
                           10 if mime else 45, 0 if mime else 0x0800,
                           e.method, e.dostime, e.dosdate, e.crc, cs, us,
                           len(e.name), len(extra), 0, 0, 0, e.mode << 16,
                           lo)
        out += e.name + extra
    cdsize = len(out) - cdoff
    z64 = len(out)
    n = len(entries)
    out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 0x032D, 45, 0, 0, n,
                       n, cdsize, cdoff)
    loc = len(out)
    out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
    eocd = len(out)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF),
                       min(n, 0xFFFF), min(cdsize, M32), min(cdoff, M32), 0)
    return out, {"lhos": lhos, "cdhdrs": cdhdrs, "cdoff": cdoff,
                 "cdsize": cdsize, "z64": z64, "loc": loc, "eocd": eocd}


def save(path, blob):
    with open(path, "wb") as f:
        f.write(blob)


# --------------------------------------------------------------- signing

def cms_sign(record, key, cert, chain=None, md="sha256"):
    with tempfile.TemporaryDirectory() as d:
        rec = os.path.join(d, "r.xml")
        sig = os.path.join(d, "r.p7s")
        with open(rec, "wb") as f:
            f.write(record)
        cmd = ["openssl", "cms", "-sign", "-binary", "-md", md,
               "-nosmimecap", "-signer", cert, "-inkey", key,
               "-outform", "DER", "-in", rec, "-out", sig]
        if chain:
            cmd[3:3] = ["-certfile", chain]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(sig, "rb") as f:
            return f.read()


def pki(name):
    return os.path.join(PKI, name)


def bind_manifest(entries, manifest, key="ecdsa256", record_edit=None):
    """Replace the manifest, update record 0 to bind it and re-sign."""
    import hashlib
    m = find(entries, MANIFEST)
    m.set_content(manifest)
    seal = find(entries, SEAL)
    rec = seal.content()
    rec = re.sub(rb'size="\d+"', b'size="%d"' % len(manifest), rec,
                 count=1)
    rec = re.sub(rb'sha256="[0-9a-f]{64}"',
                 b'sha256="' + hashlib.sha256(manifest).hexdigest().encode()
                 + b'"', rec, count=1)
    if record_edit:
        rec = record_edit(rec)
    seal.set_content(rec)
    resign(entries, key)


def resign(entries, key="ecdsa256", chain=None):
    seal = find(entries, SEAL)
    try:
        sig = find(entries, SIG)
    except KeyError:
        return
    sig.set_content(cms_sign(seal.content(), pki(key + ".key"),
                             pki(key + ".pem"), chain))


# --------------------------------------------------------------- hostile

def add_entry(name):
    def f(entries):
        # a valid-looking stored entry, placed before the manifest
        e = Entry(name, b"hostile\n")
        entries.insert(1, e)
    return f


def hostile(kind, blob, arg=None):
    entries, _ = parse(blob)
    mf = find(entries, MANIFEST).content()

    if kind in NAME_KINDS:
        add_entry(NAME_KINDS[kind])(entries)
        return serialize(entries)[0]
    if kind == "extra-entry":
        add_entry(arg or "evidence/planted.txt")(entries)
        return serialize(entries)[0]
    if kind == "dup-name":
        ev = [e for e in entries if e.name.startswith(b"evidence/")][0]
        dup = Entry(ev.name, ev.data, ev.method, ev.crc, ev.usize)
        entries.insert(entries.index(ev) + 1, dup)
        return serialize(entries)[0]
    if kind == "eocd-huge-count":
        out, lay = serialize(entries)
        struct.pack_into("<QQ", out, lay["z64"] + 24, 1 << 40, 1 << 40)
        struct.pack_into("<HH", out, lay["eocd"] + 8, 0xFFFF, 0xFFFF)
        return out
    if kind == "cd-size-huge":
        out, lay = serialize(entries)
        big = len(out) * 4
        struct.pack_into("<Q", out, lay["z64"] + 40, big)
        struct.pack_into("<I", out, lay["eocd"] + 12, big)
        return out
    if kind == "zip64-absurd":
        # evidence entry claims 2^62 bytes, in the local header and in
        # the central directory, both through ZIP64 extras
        ev = [e for e in entries if e.name.startswith(b"evidence/")][0]
        out, lay = serialize(entries)
        i = entries.index(ev)
        lho = lay["lhos"][i]
        struct.pack_into("<QQ", out, lho + 30 + len(ev.name) + 4,
                         1 << 62, 1 << 62)
        # rebuild the central directory with the absurd sizes
        cd = bytearray()
        p = lay["cdoff"]
        for j, e in enumerate(entries):
            nl, xl = struct.unpack_from("<HH", out, p + 28)
            hdr = bytearray(out[p:p + 46 + nl + xl])
            if j == i:
                struct.pack_into("<II", hdr, 20, M32, M32)
                struct.pack_into("<H", hdr, 30, 20)
                hdr = hdr[:46 + nl] + struct.pack("<HHQQ", 1, 16, 1 << 62,
                                                  1 << 62)
            cd += hdr
            p += 46 + nl + xl
        tail = bytearray(out[lay["z64"]:])
        z64 = lay["cdoff"] + len(cd)
        struct.pack_into("<Q", tail, 40, len(cd))
        struct.pack_into("<Q", tail, 56 + 8, z64)
        struct.pack_into("<I", tail, 56 + 20 + 12, len(cd))
        return bytes(out[:lay["cdoff"]]) + bytes(cd) + bytes(tail)
    if kind == "local-name-mismatch":
        # the local header's name differs from the central directory's
        ev = [e for e in entries if e.name.startswith(b"evidence/")][0]
        out, lay = serialize(entries)
        lho = lay["lhos"][entries.index(ev)]
        out[lho + 30 + len(ev.name) - 1] ^= 0x01
        return out
    if kind == "local-method-mismatch":
        ev = [e for e in entries if e.name.startswith(b"evidence/")][0]
        out, lay = serialize(entries)
        lho = lay["lhos"][entries.index(ev)]
        struct.pack_into("<H", out, lho + 8, 0 if ev.method == 8 else 8)
        return out
    if kind == "index-huge-count":
        import hashlib
        idx_e = find(entries, "META-INF/dexf/index/i1.idx")
        idx = bytearray(idx_e.content())
        struct.pack_into("<Q", idx, 32, 1 << 40)
        idx_e.set_content(bytes(idx))
        h = hashlib.sha256(bytes(idx)).hexdigest().encode()
        mf2 = re.sub(rb'(index="META-INF/dexf/index/i1\.idx"\s+'
                     rb'indexSha256=")[0-9a-f]{64}', rb"\g<1>" + h, mf)
        if mf2 == mf:
            raise SystemExit("craft: indexSha256 of i1 not found")
        bind_manifest(entries, mf2)
        return serialize(entries)[0]
    if kind == "billion-laughs":
        lol = (b'<!DOCTYPE manifest [\n <!ENTITY a "lollollollollollol">\n'
               + b"".join(b' <!ENTITY %s "%s">\n' % (
                   bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                   for i in range(9))
               + b"]>\n")
        decl_end = mf.index(b"?>") + 2
        bad = mf[:decl_end] + b"\n" + lol + mf[decl_end + 1:]
        bad = bad.replace(b"</containerId>", b"</containerId>"
                          b"<!-- &j; -->", 1)
        bad = re.sub(rb"<name>[^<]*</name>", b"<name>&j;</name>", bad,
                     count=1)
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind.startswith("manifest-late-"):
        # the last item breaks the schema in a way the parser alone may
        # not notice (a full verify of a large manifest parses it apart
        # from the schema check: its report must be the plain one)
        last = mf.rindex(b"<item ")
        head, tail = mf[:last], mf[last:]
        if kind == "manifest-late-unknown-element":
            tail = tail.replace(b"</item>", b"<bogus/></item>", 1)
        elif kind == "manifest-late-no-kind":
            tail = re.sub(rb' kind="\w+"', b"", tail, count=1)
        elif kind == "manifest-late-no-algorithm":
            tail = re.sub(rb' algorithm="[^"]*"', b"", tail, count=1)
        elif kind == "manifest-late-no-entry":
            tail = re.sub(rb' entry="[^"]*"', b"", tail, count=1)
        # the patterns of value types, which an overlapped verify checks
        # in C rather than with the schema
        elif kind == "manifest-late-upper-merkle":
            tail = re.sub(rb' merkleRoot="([0-9a-f]*)"',
                          lambda mo: b' merkleRoot="' + mo.group(1).upper()
                          + b'"', tail, count=1)
        elif kind == "manifest-late-bad-mode":
            tail = re.sub(rb' mode="[0-7]*"', b' mode="0648"', tail, count=1)
        elif kind == "manifest-late-upper-algorithm":
            tail = tail.replace(b'algorithm="sha256"', b'algorithm="SHA256"',
                                1)
        elif kind == "manifest-late-xsi-mode":
            # extension content names a value type of the manifest:
            # validated laxly, it must still match that type's pattern
            tail = tail.replace(
                b"</item>",
                b'<extensions><x:e xmlns:x="urn:example:x" '
                b'xmlns:m="urn:dexf:manifest:1" '
                b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                b'xsi:type="m:Mode">9</x:e></extensions></item>', 1)
        elif kind == "manifest-late-dup-path":
            # valid for the schema: only the parser's check of unique
            # paths, after the last item, refuses it
            first = re.search(rb"<path>([^<]*)</path>", mf).group(1)
            last = re.search(rb"<path>([^<]*)</path>", tail).group(1)
            tail = tail.replace(b"<path>" + last + b"</path>",
                                b"<path>" + first + b"</path>", 1)
            tail = tail.replace(b'entry="evidence/' + last + b'"',
                                b'entry="evidence/' + first + b'"', 1)
        else:
            raise SystemExit("craft: unknown kind " + kind)
        if head + tail == mf:
            raise SystemExit("craft: %s: nothing to edit" % kind)
        bind_manifest(entries, head + tail)
        return serialize(entries)[0]
    if kind in ("manifest-two-agents", "manifest-two-producers"):
        # a header element the schema allows once, twice (the second
        # agents block larger than the first)
        if kind == "manifest-two-agents":
            extra = (b'<agents><agent role="examiner"><name>A</name></agent>'
                     b'</agents><agents>'
                     + b'<agent role="examiner"><name>B</name></agent>' * 50
                     + b'</agents>')
        else:
            extra = b'<producer name="x" version="1"/>'
        bad = mf.replace(b"<items>", extra + b"<items>", 1)
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "manifest-other-container":
        # the manifest names another container than the seal does
        bad, n = re.subn(rb"(<containerId>urn:uuid:)[0-9a-f]",
                         lambda mo: mo.group(1) + (b"1" if mo.group(0)[-1:]
                                                   != b"1" else b"2"),
                         mf, count=1)
        if n != 1:
            raise SystemExit("craft: no containerId")
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "manifest-no-container-id":
        bad, n = re.subn(rb"<containerId>[^<]*</containerId>\s*", b"", mf,
                         count=1)
        if n != 1:
            raise SystemExit("craft: no containerId")
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "manifest-path-traversal":
        # a directory item's path becomes ../../etc/x (no ZIP entry
        # carries it, so only the manifest is wrong)
        bad, n = re.subn(rb'(<item id="i\d+" kind="directory">\s*<path>)'
                         rb'[^<]*(</path>)', rb"\g<1>../../etc/x\g<2>", mf,
                         count=1)
        if n != 1:
            raise SystemExit("craft: no directory item to edit")
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "manifest-file-path-traversal":
        # a file item's path and storage entry become ../../etc/x while
        # the ZIP entry keeps its (valid) name
        bad, n = re.subn(rb'(<item id="i1" kind="file">\s*<path>)[^<]*'
                         rb'(</path>)', rb"\g<1>../../etc/x\g<2>", mf)
        bad = re.sub(rb'(<storage entry=")[^"]*"',
                     rb'\g<1>evidence/../../etc/x"', bad, count=1)
        if n != 1:
            raise SystemExit("craft: no file item i1 to edit")
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "symlink-escape":
        # needs a container with exactly one item, a file 'd/x' (i1).
        # Result: i1 = symlink d -> ARG (absolute), i2 = file d/x.
        target = (arg or "/tmp/outside").encode()
        m = re.search(rb'<item id="i1" kind="file">\s*<path>d/x</path>', mf)
        if not m:
            raise SystemExit("craft: expected a single file item d/x")
        link = (b'<item id="i1" kind="symlink"><path>d</path><size>%d'
                b'</size><linkTarget>%s</linkTarget></item>\n    '
                % (len(target), target))
        bad = mf.replace(b'<item id="i1" kind="file">',
                         link + b'<item id="i2" kind="file">', 1)
        bad = bad.replace(b"META-INF/dexf/index/i1.idx",
                          b"META-INF/dexf/index/i2.idx")
        find(entries, "META-INF/dexf/index/i1.idx").name = \
            b"META-INF/dexf/index/i2.idx"
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "rogue-signature":
        # same record bytes, signature by the rogue key
        resign(entries, "rogue")
        return serialize(entries)[0]
    if kind == "resigned-altered-record":
        # the record's manifest digest is altered, then properly signed
        # with a key of CA A: the signature is valid, the binding is not
        seal = find(entries, SEAL)
        rec = seal.content()
        rec2 = re.sub(rb'sha256="([0-9a-f])',
                      lambda mm: b'sha256="' + (b"0" if mm.group(1) != b"0"
                                                else b"1"), rec, count=1)
        seal.set_content(rec2)
        resign(entries, arg or "ecdsa256")
        return serialize(entries)[0]
    if kind == "sig-flip":
        # one bit of the signature value changes; the CRC is recomputed,
        # so only the CMS check can notice
        sig = find(entries, SIG)
        raw = bytearray(sig.content())
        raw[-8] ^= 0x01
        sig.set_content(bytes(raw))
        return serialize(entries)[0]
    if kind == "record-flip":
        # one byte of the record changes (CRC recomputed): the signature
        # no longer matches it
        seal = find(entries, SEAL)
        rec = seal.content()
        m = re.search(rb"<time>\d{4}", rec)
        pos = m.end() - 1
        rec2 = rec[:pos] + bytes([rec[pos] ^ 0x01]) + rec[pos + 1:]
        seal.set_content(rec2)
        return serialize(entries)[0]
    if kind == "drop-signature":
        # signature stripped, everything else consistent
        entries[:] = [e for e in entries if e.name != SIG]
        return serialize(entries)[0]
    if kind == "drop-entry":
        entries[:] = [e for e in entries if e.name != arg.encode()]
        return serialize(entries)[0]
    if kind == "reserved-record":
        # a name under records/ that no 1.x version defines
        add_entry("META-INF/dexf/records/000000.ots")(entries)
        return serialize(entries)[0]
    if kind == "manifest-major2":
        bad = mf.replace(b'formatVersion="1.0"', b'formatVersion="2.0"', 1)
        bind_manifest(entries, bad)
        return serialize(entries)[0]
    if kind == "record-doctype":
        # record 0 with an internal DTD and an entity, properly signed
        seal = find(entries, SEAL)
        rec = seal.content()
        decl_end = rec.index(b"?>") + 2
        rec = (rec[:decl_end] + b'\n<!DOCTYPE record [<!ENTITY x "y">]>'
               + rec[decl_end:])
        seal.set_content(rec)
        resign(entries)
        return serialize(entries)[0]
    if kind == "trailing-data":
        return bytes(serialize(entries)[0]) + b"\0" * 16
    if kind == "archive-comment":
        out, lay = serialize(entries)
        struct.pack_into("<H", out, lay["eocd"] + 20, 7)
        return bytes(out) + b"comment"
    if kind == "rewrite":
        # identical content, re-serialized by this script (sanity check)
        return serialize(entries)[0]
    raise SystemExit("craft: unknown hostile kind %r" % kind)


NAME_KINDS = {
    "name-dotdot": b"../x",
    "name-abs": b"/abs",
    "name-mid-dotdot": b"a/../../b",
    "name-evidence-dotdot": b"evidence/../../x",
    "name-backslash": b"evidence\\..\\..\\x",
}


# --------------------------------------------------------------- main

def index_entry(entries, item_id, k):
    idx = find(entries, "META-INF/dexf/index/%s.idx" % item_id)
    raw = idx.content()
    (n,) = struct.unpack_from("<Q", raw, 32)
    if k >= n:
        raise SystemExit("craft: item %s has %d chunks" % (item_id, n))
    off, ln = struct.unpack_from("<QI", raw, 64 + 48 * k)
    return idx, off, ln


def evidence_entry(entries, item_id):
    mf = find(entries, MANIFEST).content().decode()
    m = re.search(r'<storage entry="([^"]*)"[^>]*index="META-INF/dexf/'
                  r'index/%s\.idx"' % re.escape(item_id), mf)
    if not m:
        raise SystemExit("craft: no storage for %s" % item_id)
    name = m.group(1).replace("&amp;", "&").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
    return find(entries, name)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    if cmd == "entries":
        for e in load(args[0])[0]:
            print("%s\t%d\t%d\t%d\t%d\t%d" % (e.name.decode(), e.lho, e.doff,
                                              len(e.data), e.usize,
                                              e.method))
    elif cmd == "dataoff":
        print(find(load(args[0])[0], args[1]).doff)
    elif cmd == "cdhdr":
        print(find(load(args[0])[0], args[1]).cdhdr)
    elif cmd == "cdoff":
        print(load(args[0])[1]["cdoff"])
    elif cmd == "chunk":
        entries = load(args[0])[0]
        _, off, ln = index_entry(entries, args[1], int(args[2]))
        print(evidence_entry(entries, args[1]).doff + off, ln)
    elif cmd == "leaf":
        entries = load(args[0])[0]
        idx, _, _ = index_entry(entries, args[1], int(args[2]))
        print(idx.doff + 64 + 48 * int(args[2]) + 16)
    elif cmd == "get":
        sys.stdout.buffer.write(find(load(args[0])[0], args[1]).content())
    elif cmd in ("put", "drop"):
        entries = load(args[0])[0]
        name = args[1].encode()
        if cmd == "drop":
            entries = [e for e in entries if e.name != name]
        else:
            with open(args[2], "rb") as f:
                content = f.read()
            try:
                find(entries, name).set_content(content, 0)
            except KeyError:
                entries.append(Entry(name, content))
        save(args[0], serialize(entries)[0])
    elif cmd == "flip":
        off = int(args[1], 0)
        x = int(args[2], 0) if len(args) > 2 else 1
        with open(args[0], "r+b") as f:
            f.seek(off)
            b = f.read(1)
            if len(b) != 1:
                raise SystemExit("craft: offset %d past end" % off)
            f.seek(off)
            f.write(bytes([b[0] ^ x]))
    elif cmd == "truncate":
        with open(args[0], "r+b") as f:
            f.truncate(int(args[1]))
    elif cmd == "resign":
        with open(args[0], "rb") as f:
            entries, _ = parse(f.read())
        seal = find(entries, SEAL)
        find(entries, SIG).set_content(cms_sign(
            seal.content(), args[2], args[3],
            md=args[4] if len(args) > 4 else "sha256"))
        save(args[1], serialize(entries)[0])
    elif cmd == "hostile":
        with open(args[1], "rb") as f:
            blob = f.read()
        save(args[2], hostile(args[0], blob, args[3] if len(args) > 3
                              else None))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
