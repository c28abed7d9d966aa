/**
 * The tls part of the OFFLINE STAND-IN provider: real keys (node:crypto) and real, verifiable X.509
 * certificates and requests (der.ts). Generated material is stored in state and never regenerated
 * on diff or update; every input of these resources forces a replacement, as in the real provider.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from "crypto";
import type { CheckFailure } from "@pulumi/pulumi/provider";
import { ALLOWED_USES, certificate, certificateRequest, encodeName, keyIdentifier, parseCertificate, parseRequest, pem, type Subject, subjectAltName, unpem } from "./der";
import { notImplemented, type PackageModel, type ResourceContext } from "./model";
import { type Props, secret } from "./values";

const CURVES: Record<string, string> = { P224: "P-224", P256: "prime256v1", P384: "secp384r1", P521: "secp521r1" };
const SSH_CURVES: Record<string, string> = { prime256v1: "nistp256", secp384r1: "nistp384", secp521r1: "nistp521" };

const COMPUTED: Record<string, string[]> = {
    "tls:index/privateKey:PrivateKey": ["id", "privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh", "publicKeyPem", "publicKeyOpenssh", "publicKeyFingerprintMd5", "publicKeyFingerprintSha256"],
    "tls:index/selfSignedCert:SelfSignedCert": ["id", "certPem", "validityStartTime", "validityEndTime", "readyForRenewal", "keyAlgorithm"],
    "tls:index/locallySignedCert:LocallySignedCert": ["id", "certPem", "validityStartTime", "validityEndTime", "readyForRenewal", "caKeyAlgorithm"],
    "tls:index/certRequest:CertRequest": ["id", "certRequestPem", "keyAlgorithm"],
};

const DEFAULTS: Record<string, Props> = {
    "tls:index/privateKey:PrivateKey": { rsaBits: 2048, ecdsaCurve: "P224" },
    "tls:index/selfSignedCert:SelfSignedCert": { earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false, setAuthorityKeyId: false, maxPathLength: -1 },
    "tls:index/locallySignedCert:LocallySignedCert": { earlyRenewalHours: 0, isCaCertificate: false, setSubjectKeyId: false, maxPathLength: -1 },
};

const sha1Hex = (s: string | Buffer) => createHash("sha1").update(s).digest("hex");

export function keyAlgorithmOf(key: KeyObject): string {
    return key.asymmetricKeyType === "rsa" ? "RSA" : key.asymmetricKeyType === "ec" ? "ECDSA" : "ED25519";
}

// --- OpenSSH encodings (RFC 4253 wire format, openssh-key-v1) ------------------------------------

const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
};
const sshString = (b: Buffer | string) => {
    const buf = typeof b === "string" ? Buffer.from(b) : b;
    return Buffer.concat([u32(buf.length), buf]);
};
const mpint = (b64url: string) => {
    let b = Buffer.from(b64url, "base64url");
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    b = b.subarray(i);
    if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return sshString(b);
};

/** Public key blob and private section body, or undefined where SSH has no format (P-224). */
function sshParts(key: KeyObject): { type: string; publicBlob: Buffer; privateBody: Buffer } | undefined {
    const curve = SSH_CURVES[key.asymmetricKeyDetails?.namedCurve ?? ""];
    if (key.asymmetricKeyType === "ec" && !curve) return undefined;
    const jwk = key.export({ format: "jwk" }) as Record<string, string>;
    if (key.asymmetricKeyType === "rsa") {
        const publicBlob = Buffer.concat([sshString("ssh-rsa"), mpint(jwk.e), mpint(jwk.n)]);
        const privateBody = Buffer.concat([sshString("ssh-rsa"), mpint(jwk.n), mpint(jwk.e), mpint(jwk.d), mpint(jwk.qi), mpint(jwk.p), mpint(jwk.q)]);
        return { type: "ssh-rsa", publicBlob, privateBody };
    }
    if (key.asymmetricKeyType === "ed25519") {
        const pub = Buffer.from(jwk.x, "base64url");
        const seed = Buffer.from(jwk.d, "base64url");
        const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
        const privateBody = Buffer.concat([sshString("ssh-ed25519"), sshString(pub), sshString(Buffer.concat([seed, pub]))]);
        return { type: "ssh-ed25519", publicBlob, privateBody };
    }
    const type = `ecdsa-sha2-${curve}`;
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
    const publicBlob = Buffer.concat([sshString(type), sshString(curve), sshString(point)]);
    const privateBody = Buffer.concat([sshString(type), sshString(curve), sshString(point), mpint(jwk.d)]);
    return { type, publicBlob, privateBody };
}

function opensshPrivateKey(parts: { publicBlob: Buffer; privateBody: Buffer }): string {
    const check = randomBytes(4);
    let section = Buffer.concat([check, check, parts.privateBody, sshString("")]);
    const pad: number[] = [];
    for (let i = 1; (section.length + pad.length) % 8 !== 0; i++) pad.push(i);
    section = Buffer.concat([section, Buffer.from(pad)]);
    const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), u32(1), sshString(parts.publicBlob), sshString(section)]);
    const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
    return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

function privateKeyOutputs(key: KeyObject): Props {
    const pub = createPublicKey(key);
    const publicKeyPem = pub.export({ type: "spki", format: "pem" }) as string;
    const nativeType = key.asymmetricKeyType === "rsa" ? "pkcs1" : key.asymmetricKeyType === "ec" ? "sec1" : "pkcs8";
    const ssh = sshParts(key);
    return {
        id: sha1Hex(publicKeyPem),
        privateKeyPem: secret(key.export({ type: nativeType, format: "pem" } as never) as unknown as string),
        privateKeyPemPkcs8: secret(key.export({ type: "pkcs8", format: "pem" }) as string),
        privateKeyOpenssh: secret(ssh ? opensshPrivateKey(ssh) : ""),
        publicKeyPem,
        publicKeyOpenssh: ssh ? `${ssh.type} ${ssh.publicBlob.toString("base64")}\n` : "",
        publicKeyFingerprintMd5: ssh ? (createHash("md5").update(ssh.publicBlob).digest("hex").match(/../g) ?? []).join(":") : "",
        publicKeyFingerprintSha256: ssh ? `SHA256:${createHash("sha256").update(ssh.publicBlob).digest("base64").replace(/=+$/, "")}` : "",
    };
}

function generateKey(p: Props): KeyObject {
    switch (p.algorithm) {
        case "RSA":
            return generateKeyPairSync("rsa", { modulusLength: p.rsaBits ?? 2048 }).privateKey;
        case "ECDSA":
            return generateKeyPairSync("ec", { namedCurve: CURVES[p.ecdsaCurve ?? "P224"] }).privateKey;
        case "ED25519":
            return generateKeyPairSync("ed25519").privateKey;
        default:
            throw new Error(`unsupported algorithm ${p.algorithm}`);
    }
}

// --- certificates ------------------------------------------------------------------------------

/** A positive 128-bit serial number, random as Go's tls provider makes it. */
function serialNumber(): bigint {
    const b = randomBytes(16);
    b[0] &= 0x7f;
    return BigInt(`0x${b.toString("hex")}`) || 1n;
}

function validity(p: Props): { notBefore: Date; notAfter: Date; outs: Props } {
    const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000);
    const notAfter = new Date(notBefore.getTime() + Number(p.validityPeriodHours ?? 0) * 3600_000);
    const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
    return { notBefore, notAfter, outs: { validityStartTime: rfc3339(notBefore), validityEndTime: rfc3339(notAfter), readyForRenewal: false } };
}

function selfSignedCert(p: Props): Props {
    const key = createPrivateKey(p.privateKeyPem ?? p.privateKeyPemWo);
    const spki = createPublicKey(key).export({ type: "spki", format: "der" });
    const serial = serialNumber();
    const name = encodeName(p.subject as Subject);
    const v = validity(p);
    const der = certificate({
        serial,
        issuer: name,
        subject: name,
        notBefore: v.notBefore,
        notAfter: v.notAfter,
        spki,
        isCa: !!p.isCaCertificate,
        maxPathLength: p.maxPathLength,
        allowedUses: p.allowedUses ?? [],
        // Go adds a subject key id to every CA certificate; for a self-signed one the authority key id is the same.
        subjectKeyId: p.setSubjectKeyId || p.isCaCertificate ? keyIdentifier(spki) : undefined,
        authorityKeyId: p.setAuthorityKeyId ? keyIdentifier(spki) : undefined,
        subjectAltName: subjectAltName(p),
        signer: key,
    });
    return { id: serial.toString(), certPem: pem("CERTIFICATE", der), keyAlgorithm: keyAlgorithmOf(key), ...v.outs };
}

function locallySignedCert(p: Props): Props {
    const request = parseRequest(unpem(String(p.certRequestPem)));
    const caKey = createPrivateKey(p.caPrivateKeyPem ?? p.caPrivateKeyPemWo);
    const ca = parseCertificate(unpem(String(p.caCertPem)));
    if (!ca.spki.equals(createPublicKey(caKey).export({ type: "spki", format: "der" }))) {
        throw new Error("caPrivateKeyPem does not match the public key of caCertPem");
    }
    const serial = serialNumber();
    const v = validity(p);
    const der = certificate({
        serial,
        issuer: ca.subject,
        subject: request.subject,
        notBefore: v.notBefore,
        notAfter: v.notAfter,
        spki: request.spki,
        isCa: !!p.isCaCertificate,
        maxPathLength: p.maxPathLength,
        allowedUses: p.allowedUses ?? [],
        subjectKeyId: p.setSubjectKeyId || p.isCaCertificate ? keyIdentifier(request.spki) : undefined,
        authorityKeyId: ca.subjectKeyId,
        subjectAltName: request.subjectAltName,
        signer: caKey,
    });
    return { id: serial.toString(), certPem: pem("CERTIFICATE", der), caKeyAlgorithm: keyAlgorithmOf(caKey), ...v.outs };
}

function certRequest(p: Props): Props {
    const key = createPrivateKey(p.privateKeyPem ?? p.privateKeyPemWo);
    const der = certificateRequest(encodeName(p.subject as Subject), p, key);
    const certRequestPem = pem("CERTIFICATE REQUEST", der);
    return { id: sha1Hex(certRequestPem), certRequestPem, keyAlgorithm: keyAlgorithmOf(key) };
}

const CREATORS: Record<string, (p: Props) => Props> = {
    "tls:index/privateKey:PrivateKey": (p) => privateKeyOutputs(generateKey(p)),
    "tls:index/selfSignedCert:SelfSignedCert": selfSignedCert,
    "tls:index/locallySignedCert:LocallySignedCert": locallySignedCert,
    "tls:index/certRequest:CertRequest": certRequest,
};

function validate(ctx: ResourceContext): CheckFailure[] {
    const p = ctx.inputs;
    const failures: CheckFailure[] = [];
    const known = (v: unknown) => typeof v !== "string" || !v.startsWith("04da6b54-");
    if (ctx.type === "tls:index/privateKey:PrivateKey") {
        if (known(p.algorithm) && !["RSA", "ECDSA", "ED25519"].includes(p.algorithm)) failures.push({ property: "algorithm", reason: `expected one of RSA, ECDSA, ED25519, got ${p.algorithm}` });
        if (known(p.ecdsaCurve) && p.ecdsaCurve !== undefined && !(p.ecdsaCurve in CURVES)) failures.push({ property: "ecdsaCurve", reason: `expected one of P224, P256, P384, P521, got ${p.ecdsaCurve}` });
        if (typeof p.rsaBits === "number" && p.rsaBits < 512) failures.push({ property: "rsaBits", reason: `rsaBits ${p.rsaBits} is too small` });
    }
    for (const use of Array.isArray(p.allowedUses) ? p.allowedUses : []) {
        if (known(use) && !ALLOWED_USES.has(use)) failures.push({ property: "allowedUses", reason: `unknown allowed use "${use}"` });
    }
    if (typeof p.validityPeriodHours === "number" && p.validityPeriodHours < 0) failures.push({ property: "validityPeriodHours", reason: "must be at least 0" });
    return failures;
}

export const tlsModel: PackageModel = {
    defaults: (type) => ({ ...(DEFAULTS[type] ?? {}) }),
    checkAdditions: () => ({}),
    validate,
    computedKeys: (ctx) => COMPUTED[ctx.type] ?? ["id"],
    // Every argument of the tls resources forces a new key / certificate.
    forcesReplacement: () => true,
    create(ctx) {
        const make = CREATORS[ctx.type];
        if (!make) throw new Error(`the OFFLINE STAND-IN for the tls provider does not implement the resource type "${ctx.type}"`);
        const { id, ...outs } = make(ctx.inputs);
        return { id: String(id), outs: { id, ...outs } };
    },
    // Nothing is regenerated: the key or certificate from the old state stays.
    update: (ctx, _id, state) => Object.fromEntries((COMPUTED[ctx.type] ?? ["id"]).filter((k) => state[k] !== undefined).map((k) => [k, state[k]])),
    invoke(token) {
        throw notImplemented("tls", token);
    },
};
