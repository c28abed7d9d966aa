/**
 * An X.509 v2 certificate revocation list (RFC 5280 section 5) built and signed with node:crypto,
 * without dependencies: a minimal DER reader takes the issuer name, validity and key identifier
 * from the CA certificate, and a minimal DER writer builds the CRL around them.
 */
import { createHash, createPrivateKey, createPublicKey, KeyObject, sign } from "crypto";

// ---------------------------------------------------------------------------------------------
// DER
// ---------------------------------------------------------------------------------------------

/** One DER element: its tag, where its value starts and ends, and its full encoding. */
export interface DerElement {
    tag: number;
    /** The complete encoding (tag, length and value). */
    raw: Buffer;
    /** The value bytes. */
    value: Buffer;
}

export function readDer(buffer: Buffer, offset = 0): DerElement {
    if (offset + 2 > buffer.length) throw new Error("DER: truncated element");
    const tag = buffer[offset];
    let length = buffer[offset + 1];
    let header = 2;
    if (length & 0x80) {
        const count = length & 0x7f;
        if (count === 0 || count > 4) throw new Error("DER: unsupported length encoding");
        length = 0;
        for (let i = 0; i < count; i++) length = length * 256 + buffer[offset + 2 + i];
        header += count;
    }
    const end = offset + header + length;
    if (end > buffer.length) throw new Error("DER: element longer than its container");
    return { tag, raw: buffer.subarray(offset, end), value: buffer.subarray(offset + header, end) };
}

/** The elements inside a constructed element (SEQUENCE, SET, explicit tag). */
export function derChildren(element: DerElement): DerElement[] {
    const children: DerElement[] = [];
    let offset = 0;
    while (offset < element.value.length) {
        const child = readDer(element.value, offset);
        children.push(child);
        offset += child.raw.length;
    }
    return children;
}

function encodeLength(length: number): Buffer {
    if (length < 0x80) return Buffer.from([length]);
    const bytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, value: Buffer): Buffer {
    return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const octetString = (value: Buffer) => tlv(0x04, value);
const bitString = (value: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), value]));
const nullValue = () => Buffer.from([0x05, 0x00]);

function integer(value: number): Buffer {
    const bytes: number[] = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
    if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
    return tlv(0x02, Buffer.from(bytes));
}

function objectIdentifier(oid: string): Buffer {
    const parts = oid.split(".").map(Number);
    const bytes: number[] = [parts[0] * 40 + parts[1]];
    for (const part of parts.slice(2)) {
        const chunk: number[] = [part & 0x7f];
        for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
        bytes.push(...chunk);
    }
    return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 section 5.1.2.4). */
export function derTime(date: Date): Buffer {
    const pad = (n: number) => String(n).padStart(2, "0");
    const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
    const year = date.getUTCFullYear();
    if (year < 2050) return tlv(0x17, Buffer.from(`${pad(year % 100)}${rest}`, "ascii"));
    return tlv(0x18, Buffer.from(`${year}${rest}`, "ascii"));
}

// ---------------------------------------------------------------------------------------------
// PEM
// ---------------------------------------------------------------------------------------------

export function pemToDer(pem: string, label: string): Buffer {
    const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
    if (!match) throw new Error(`no PEM block "${label}" found`);
    return Buffer.from(match[1].replace(/\s+/g, ""), "base64");
}

export function derToPem(der: Buffer, label: string): string {
    const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

// ---------------------------------------------------------------------------------------------
// Certificate fields
// ---------------------------------------------------------------------------------------------

const OID = {
    subjectKeyIdentifier: "2.5.29.14",
    authorityKeyIdentifier: "2.5.29.35",
    crlNumber: "2.5.29.20",
    sha256WithRsa: "1.2.840.113549.1.1.11",
    ecdsaWithSha256: "1.2.840.10045.4.3.2",
    ecdsaWithSha384: "1.2.840.10045.4.3.3",
} as const;

/** The parts of a CA certificate a CRL issued by it needs. */
export interface CertificateFields {
    /** DER of the subject Name (the CRL's issuer). */
    subject: Buffer;
    /** DER of notBefore and notAfter, UTCTime or GeneralizedTime as encoded in the certificate. */
    notBefore: Buffer;
    notAfter: Buffer;
    /** DER of the SubjectPublicKeyInfo. */
    subjectPublicKeyInfo: Buffer;
    /** The subject key identifier extension's value, or the SHA-1 of the public key (RFC 5280 4.2.1.2 method 1). */
    keyIdentifier: Buffer;
}

function decodeOid(value: Buffer): string {
    const parts = [Math.floor(value[0] / 40), value[0] % 40];
    let n = 0;
    for (const byte of value.subarray(1)) {
        n = n * 128 + (byte & 0x7f);
        if (!(byte & 0x80)) {
            parts.push(n);
            n = 0;
        }
    }
    return parts.join(".");
}

export function certificateFields(certificatePem: string): CertificateFields {
    const certificate = readDer(pemToDer(certificatePem, "CERTIFICATE"));
    const tbs = derChildren(certificate)[0];
    const fields = derChildren(tbs);
    let i = fields[0].tag === 0xa0 ? 1 : 0; // explicit version
    i += 2; // serialNumber, signature
    i += 1; // issuer
    const validity = derChildren(fields[i++]);
    const subject = fields[i++];
    const spki = fields[i++];
    let keyIdentifier: Buffer | undefined;
    for (const field of fields.slice(i)) {
        if (field.tag !== 0xa3) continue;
        for (const extension of derChildren(derChildren(field)[0])) {
            const parts = derChildren(extension);
            if (decodeOid(parts[0].value) !== OID.subjectKeyIdentifier) continue;
            keyIdentifier = Buffer.from(readDer(parts[parts.length - 1].value).value);
        }
    }
    if (!keyIdentifier) {
        const publicKeyBits = derChildren(spki)[1].value.subarray(1);
        keyIdentifier = createHash("sha1").update(publicKeyBits).digest();
    }
    return { subject: Buffer.from(subject.raw), notBefore: Buffer.from(validity[0].raw), notAfter: Buffer.from(validity[1].raw), subjectPublicKeyInfo: Buffer.from(spki.raw), keyIdentifier };
}

// ---------------------------------------------------------------------------------------------
// The CRL
// ---------------------------------------------------------------------------------------------

export interface CrlOptions {
    /** PEM of the issuing CA certificate. */
    caCertificatePem: string;
    /** PEM of the CA's private key (PKCS#1, SEC1 or PKCS#8). */
    caPrivateKeyPem: string;
    /** Default: the certificate's notBefore, so the same CA always gives the same CRL. */
    thisUpdate?: Date;
    /** Default: the certificate's notAfter. */
    nextUpdate?: Date;
    /** Default: 1. */
    crlNumber?: number;
}

function signatureScheme(key: KeyObject): { oid: string; hash: string; parameters: Buffer[] } {
    if (key.asymmetricKeyType === "rsa") return { oid: OID.sha256WithRsa, hash: "sha256", parameters: [nullValue()] };
    if (key.asymmetricKeyType === "ec") {
        const curve = key.asymmetricKeyDetails?.namedCurve;
        if (curve === "secp384r1") return { oid: OID.ecdsaWithSha384, hash: "sha384", parameters: [] };
        if (curve === "prime256v1") return { oid: OID.ecdsaWithSha256, hash: "sha256", parameters: [] };
        throw new Error(`unsupported EC curve ${curve}; use P-256 or P-384`);
    }
    throw new Error(`unsupported key type ${key.asymmetricKeyType}; use RSA or ECDSA`);
}

/**
 * An empty X.509 v2 CRL issued by the CA: issuer name from the certificate, thisUpdate/nextUpdate,
 * no revoked certificates, the authority key identifier and CRL number extensions, signed with the
 * CA key (SHA-256 with RSA, ECDSA with SHA-256 or SHA-384 by curve). Returns PEM (`X509 CRL`).
 * Throws when the key does not belong to the certificate.
 */
export function buildEmptyCrl(options: CrlOptions): string {
    const fields = certificateFields(options.caCertificatePem);
    const key = createPrivateKey(options.caPrivateKeyPem);
    const publicKey = createPublicKey(key).export({ type: "spki", format: "der" });
    if (!Buffer.from(publicKey).equals(fields.subjectPublicKeyInfo)) {
        throw new Error("the private key does not belong to the CA certificate");
    }
    const scheme = signatureScheme(key);
    const algorithm = sequence(objectIdentifier(scheme.oid), ...scheme.parameters);
    const extensions = tlv(
        0xa0,
        sequence(
            sequence(objectIdentifier(OID.authorityKeyIdentifier), octetString(sequence(tlv(0x80, fields.keyIdentifier)))),
            sequence(objectIdentifier(OID.crlNumber), octetString(integer(options.crlNumber ?? 1))),
        ),
    );
    const tbs = sequence(
        integer(1), // v2
        algorithm,
        fields.subject,
        options.thisUpdate ? derTime(options.thisUpdate) : fields.notBefore,
        options.nextUpdate ? derTime(options.nextUpdate) : fields.notAfter,
        extensions,
    );
    const signature = sign(scheme.hash, tbs, key);
    return derToPem(sequence(tbs, algorithm, bitString(signature)), "X509 CRL");
}
