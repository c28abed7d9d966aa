/**
 * A minimal DER encoder/reader and X.509 v3 certificate / PKCS#10 request builder for the OFFLINE
 * STAND-IN tls provider. Node has no certificate builder and no such library is installed, so this
 * writes the ASN.1 by hand (RFC 5280, RFC 2986) and signs with node:crypto. Only what the stand-in
 * needs: RSA, ECDSA (P-224/256/384/521) and Ed25519 keys; names, validity, key usage, extended key
 * usage, basic constraints, key identifiers and subject alternative names (DNS, IP, URI).
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from "crypto";

// --- encoder -------------------------------------------------------------------------------------

function lengthBytes(n: number): Buffer {
    if (n < 0x80) return Buffer.from([n]);
    const bytes: number[] = [];
    for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Buffer): Buffer {
    return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
export const nul = () => Buffer.from([0x05, 0x00]);
export const bool = (b: boolean) => tlv(0x01, Buffer.from([b ? 0xff : 0x00]));
export const octets = (b: Buffer) => tlv(0x04, b);
export const bitString = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
export const printable = (s: string) => tlv(0x13, Buffer.from(s, "ascii"));
/** Explicit context tag [n] (constructed). */
export const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);
/** Implicit context tag [n] on a primitive value. */
export const implicit = (n: number, content: Buffer) => tlv(0x80 | n, content);

/** A non-negative INTEGER. */
export function integer(v: bigint | number | Buffer): Buffer {
    let b: Buffer;
    if (Buffer.isBuffer(v)) b = v;
    else {
        let hex = BigInt(v).toString(16);
        if (hex.length % 2) hex = `0${hex}`;
        b = Buffer.from(hex, "hex");
    }
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.subarray(i);
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return tlv(0x02, b);
}

export function oid(dotted: string): Buffer {
    const parts = dotted.split(".").map(Number);
    const bytes = [parts[0] * 40 + parts[1]];
    for (const p of parts.slice(2)) {
        const chunk = [p & 0x7f];
        for (let x = Math.floor(p / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift((x & 0x7f) | 0x80);
        bytes.push(...chunk);
    }
    return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime before 2050, GeneralizedTime after (RFC 5280 4.1.2.5). */
export function time(d: Date): Buffer {
    const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const compact = iso.slice(0, 19).replace(/[-:T]/g, "") + "Z";
    return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(compact.slice(2), "ascii")) : tlv(0x18, Buffer.from(compact, "ascii"));
}

// --- reader ------------------------------------------------------------------------------------

export interface Node {
    tag: number;
    /** The whole TLV. */
    raw: Buffer;
    content: Buffer;
}

export function read(buf: Buffer, offset = 0): Node {
    const tag = buf[offset];
    let len = buf[offset + 1];
    let header = 2;
    if (len & 0x80) {
        const n = len & 0x7f;
        len = 0;
        for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i];
        header += n;
    }
    return { tag, raw: buf.subarray(offset, offset + header + len), content: buf.subarray(offset + header, offset + header + len) };
}

export function children(node: Node): Node[] {
    const out: Node[] = [];
    for (let off = 0; off < node.content.length; ) {
        const child = read(node.content, off);
        out.push(child);
        off += child.raw.length;
    }
    return out;
}

function oidText(node: Node): string {
    const b = node.content;
    const parts = [Math.floor(b[0] / 40), b[0] % 40];
    let v = 0;
    for (const byte of b.subarray(1)) {
        v = v * 128 + (byte & 0x7f);
        if (!(byte & 0x80)) {
            parts.push(v);
            v = 0;
        }
    }
    return parts.join(".");
}

// --- names, algorithms, extensions --------------------------------------------------------------

export interface Subject {
    commonName?: string;
    organization?: string;
    organizationalUnit?: string;
    locality?: string;
    province?: string;
    country?: string;
    postalCode?: string;
    serialNumber?: string;
    streetAddresses?: string[];
    emailAddress?: string;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const dirString = (s: string) => (PRINTABLE.test(s) ? printable(s) : utf8(s));

/** A distinguished name in the order Go's crypto/x509 writes it (as the real tls provider does). */
export function encodeName(s: Subject = {}): Buffer {
    const rdns: Buffer[] = [];
    const add = (o: string, values: Array<string | undefined> | string | undefined) => {
        for (const v of Array.isArray(values) ? values : [values]) if (v) rdns.push(set(seq(oid(o), dirString(v))));
    };
    add("2.5.4.6", s.country);
    add("2.5.4.8", s.province);
    add("2.5.4.7", s.locality);
    add("2.5.4.9", s.streetAddresses);
    add("2.5.4.17", s.postalCode);
    add("2.5.4.10", s.organization);
    add("2.5.4.11", s.organizationalUnit);
    add("2.5.4.3", s.commonName);
    add("2.5.4.5", s.serialNumber);
    // Go's ExtraNames come last; the tls provider puts the e-mail address there.
    if (s.emailAddress) rdns.push(set(seq(oid("1.2.840.113549.1.9.1"), tlv(0x16, Buffer.from(s.emailAddress, "ascii")))));
    return seq(...rdns);
}

/** Signature algorithm for a private key: Go's choice (SHA-256 for RSA and P-224/P-256, SHA-384/512 for P-384/P-521). */
export function signatureAlgorithm(key: KeyObject): { der: Buffer; hash: string | null } {
    const type = key.asymmetricKeyType;
    if (type === "rsa") return { der: seq(oid("1.2.840.113549.1.1.11"), nul()), hash: "sha256" };
    if (type === "ed25519") return { der: seq(oid("1.3.101.112")), hash: null };
    if (type === "ec") {
        const curve = key.asymmetricKeyDetails?.namedCurve;
        if (curve === "secp384r1") return { der: seq(oid("1.2.840.10045.4.3.3")), hash: "sha384" };
        if (curve === "secp521r1") return { der: seq(oid("1.2.840.10045.4.3.4")), hash: "sha512" };
        return { der: seq(oid("1.2.840.10045.4.3.2")), hash: "sha256" };
    }
    throw new Error(`unsupported key type ${type}`);
}

/** The tls provider's names for key usages and extended key usages. */
const KEY_USAGE_BITS: Record<string, number> = {
    digital_signature: 0,
    content_commitment: 1,
    key_encipherment: 2,
    data_encipherment: 3,
    key_agreement: 4,
    cert_signing: 5,
    crl_signing: 6,
    encipher_only: 7,
    decipher_only: 8,
};
const EXT_KEY_USAGES: Record<string, string> = {
    any_extended: "2.5.29.37.0",
    server_auth: "1.3.6.1.5.5.7.3.1",
    client_auth: "1.3.6.1.5.5.7.3.2",
    code_signing: "1.3.6.1.5.5.7.3.3",
    email_protection: "1.3.6.1.5.5.7.3.4",
    ipsec_end_system: "1.3.6.1.5.5.7.3.5",
    ipsec_tunnel: "1.3.6.1.5.5.7.3.6",
    ipsec_user: "1.3.6.1.5.5.7.3.7",
    timestamping: "1.3.6.1.5.5.7.3.8",
    ocsp_signing: "1.3.6.1.5.5.7.3.9",
    microsoft_server_gated_crypto: "1.3.6.1.4.1.311.10.3.3",
    netscape_server_gated_crypto: "2.16.840.1.113730.4.1",
    microsoft_commercial_code_signing: "1.3.6.1.4.1.311.2.1.22",
    microsoft_kernel_code_signing: "1.3.6.1.4.1.311.61.1.1",
};
export const ALLOWED_USES = new Set([...Object.keys(KEY_USAGE_BITS), ...Object.keys(EXT_KEY_USAGES)]);

function extension(id: string, critical: boolean, value: Buffer): Buffer {
    return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
}

function keyUsage(uses: string[]): Buffer | undefined {
    const bits = uses.map((u) => KEY_USAGE_BITS[u]).filter((b): b is number => b !== undefined);
    if (bits.length === 0) return undefined;
    const highest = Math.max(...bits);
    const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
    for (const b of bits) bytes[Math.floor(b / 8)] |= 0x80 >> b % 8;
    return extension("2.5.29.15", true, bitString(bytes, bytes.length * 8 - (highest + 1)));
}

function extKeyUsage(uses: string[]): Buffer | undefined {
    const oids = uses.map((u) => EXT_KEY_USAGES[u]).filter((o): o is string => o !== undefined);
    return oids.length ? extension("2.5.29.37", false, seq(...oids.map(oid))) : undefined;
}

function ipBytes(ip: string): Buffer {
    if (ip.includes(":")) {
        const [head, tail = ""] = ip.split("::");
        const h = head ? head.split(":") : [];
        const t = ip.includes("::") && tail ? tail.split(":") : [];
        const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
        return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
    }
    return Buffer.from(ip.split(".").map(Number));
}

export interface AltNames {
    dnsNames?: string[];
    ipAddresses?: string[];
    uris?: string[];
}

export function subjectAltName(n: AltNames): Buffer | undefined {
    const names = [
        ...(n.dnsNames ?? []).map((d) => implicit(2, Buffer.from(d, "ascii"))),
        ...(n.ipAddresses ?? []).map((ip) => implicit(7, ipBytes(ip))),
        ...(n.uris ?? []).map((u) => implicit(6, Buffer.from(u, "ascii"))),
    ];
    return names.length ? extension("2.5.29.17", false, seq(...names)) : undefined;
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1), as Go computes key ids. */
export function keyIdentifier(spkiDer: Buffer): Buffer {
    const [, keyBits] = children(read(spkiDer));
    return createHash("sha1").update(keyBits.content.subarray(1)).digest();
}

// --- certificates and requests ------------------------------------------------------------------

export function pem(label: string, der: Buffer): string {
    const b64 = der.toString("base64").match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${label}-----\n${b64.join("\n")}\n-----END ${label}-----\n`;
}

export function unpem(text: string): Buffer {
    return Buffer.from(text.replace(/-----(BEGIN|END) [^-]+-----/g, "").replace(/\s+/g, ""), "base64");
}

export interface CertificateSpec {
    serial: bigint;
    /** Issuer name (DER); the subject for a self-signed certificate. */
    issuer: Buffer;
    subject: Buffer;
    notBefore: Date;
    notAfter: Date;
    /** SubjectPublicKeyInfo of the certified key (DER). */
    spki: Buffer;
    isCa: boolean;
    /** basicConstraints pathLenConstraint for a CA; negative or undefined: none. */
    maxPathLength?: number;
    allowedUses: string[];
    subjectKeyId?: Buffer;
    authorityKeyId?: Buffer;
    /** A ready subjectAltName extension (DER), if any. */
    subjectAltName?: Buffer;
    signer: KeyObject;
}

export function certificate(spec: CertificateSpec): Buffer {
    const alg = signatureAlgorithm(spec.signer);
    const exts = [
        keyUsage(spec.allowedUses),
        extKeyUsage(spec.allowedUses),
        extension("2.5.29.19", true, spec.isCa ? seq(bool(true), ...((spec.maxPathLength ?? -1) >= 0 ? [integer(spec.maxPathLength ?? 0)] : [])) : seq()),
        spec.subjectKeyId ? extension("2.5.29.14", false, octets(spec.subjectKeyId)) : undefined,
        spec.authorityKeyId ? extension("2.5.29.35", false, seq(implicit(0, spec.authorityKeyId))) : undefined,
        spec.subjectAltName,
    ].filter((e): e is Buffer => e !== undefined);
    const tbs = seq(
        explicit(0, integer(2)),
        integer(spec.serial),
        alg.der,
        spec.issuer,
        seq(time(spec.notBefore), time(spec.notAfter)),
        spec.subject,
        spec.spki,
        explicit(3, seq(...exts)),
    );
    return seq(tbs, alg.der, bitString(sign(alg.hash, tbs, spec.signer)));
}

export function certificateRequest(subject: Buffer, altNames: AltNames, key: KeyObject): Buffer {
    const alg = signatureAlgorithm(key);
    const spki = createPublicKey(key).export({ type: "spki", format: "der" });
    const san = subjectAltName(altNames);
    const attributes = san ? seq(oid("1.2.840.113549.1.9.14"), set(seq(san))) : Buffer.alloc(0);
    const info = seq(integer(0), subject, spki, tlv(0xa0, attributes));
    return seq(info, alg.der, bitString(sign(alg.hash, info, key)));
}

/** Subject, public key and subjectAltName extension of a PKCS#10 request; throws if its signature is bad. */
export function parseRequest(der: Buffer): { subject: Buffer; spki: Buffer; subjectAltName?: Buffer } {
    const [info, algNode, sigNode] = children(read(der));
    const [, subject, spki, attrs] = children(info);
    const publicKey = createPublicKey({ key: spki.raw, format: "der", type: "spki" });
    const algOid = oidText(children(algNode)[0]);
    const hash = { "1.2.840.113549.1.1.11": "sha256", "1.2.840.10045.4.3.2": "sha256", "1.2.840.10045.4.3.3": "sha384", "1.2.840.10045.4.3.4": "sha512" }[algOid] ?? null;
    if (!verify(hash, info.raw, publicKey, sigNode.content.subarray(1))) throw new Error("certificate request signature is invalid");
    let san: Buffer | undefined;
    for (const attr of attrs ? children(attrs) : []) {
        const [type, values] = children(attr);
        if (oidText(type) !== "1.2.840.113549.1.9.14") continue;
        // values: SET { Extensions ::= SEQUENCE OF Extension }
        for (const extensions of children(values)) {
            for (const e of children(extensions)) if (oidText(children(e)[0]) === "2.5.29.17") san = e.raw;
        }
    }
    return { subject: subject.raw, spki: spki.raw, subjectAltName: san };
}

/** Subject, public key and subject key identifier of a certificate. */
export function parseCertificate(der: Buffer): { subject: Buffer; spki: Buffer; subjectKeyId?: Buffer } {
    const [tbs] = children(read(der));
    const fields = children(tbs);
    const rest = fields[0].tag === 0xa0 ? fields.slice(1) : fields;
    const [, , , , subject, spki, ...tail] = rest;
    let ski: Buffer | undefined;
    const extWrapper = tail.find((n) => n.tag === 0xa3);
    for (const ext of extWrapper ? children(children(extWrapper)[0]) : []) {
        const parts = children(ext);
        if (oidText(parts[0]) === "2.5.29.14") ski = read(parts[parts.length - 1].content).content;
    }
    return { subject: subject.raw, spki: spki.raw, subjectKeyId: ski };
}
