import { execFileSync, spawnSync } from "child_process";
import { createHash, createPublicKey, verify } from "crypto";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { buildEmptyCrl, certificateFields, derChildren, pemToDer, readDer } from "../../../provider/src/zeroTrustIdentity/crl";
import { EC_CA, RSA_CA } from "./helpers";

const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

/** The parts of a CRL: TBS (raw), its fields, the signature algorithm OID bytes and the signature. */
function parseCrl(pem: string) {
    const crl = readDer(pemToDer(pem, "X509 CRL"));
    const [tbs, algorithm, signature] = derChildren(crl);
    return { tbs, fields: derChildren(tbs), algorithm, signature: signature.value.subarray(1) };
}

describe("empty CRL", () => {
    for (const [label, ca, hash] of [
        ["RSA 4096", RSA_CA, "sha256"],
        ["ECDSA P-384", EC_CA, "sha384"],
    ] as const) {
        it(`is a v2 CRL signed by the ${label} CA key, issued by the CA subject, with no revoked certificates`, () => {
            const pem = buildEmptyCrl({ caCertificatePem: ca.cert, caPrivateKeyPem: ca.key });
            expect(pem).toMatch(/^-----BEGIN X509 CRL-----\n[A-Za-z0-9+/=\n]+-----END X509 CRL-----\n$/);
            const { tbs, fields, signature } = parseCrl(pem);
            // version v2 (1), algorithm, issuer, thisUpdate, nextUpdate, [0] extensions: no revokedCertificates.
            expect(fields.map((f) => f.tag)).toEqual([0x02, 0x30, 0x30, 0x17, 0x17, 0xa0]);
            expect(fields[0].value).toEqual(Buffer.from([1]));
            const cert = certificateFields(ca.cert);
            expect(fields[2].raw.equals(cert.subject)).toBe(true);
            expect(fields[3].raw.equals(cert.notBefore)).toBe(true);
            expect(fields[4].raw.equals(cert.notAfter)).toBe(true);
            const publicKey = createPublicKey(ca.cert);
            expect(verify(hash, tbs.raw, publicKey, signature)).toBe(true);
            expect(verify(hash, Buffer.concat([tbs.raw, Buffer.from([0])]), publicKey, signature)).toBe(false);
        });
    }

    it("carries the CA's subject key identifier as authority key identifier, and CRL number 1", () => {
        const pem = buildEmptyCrl({ caCertificatePem: RSA_CA.cert, caPrivateKeyPem: RSA_CA.key });
        const extensions = derChildren(derChildren(parseCrl(pem).fields[5])[0]);
        // openssl wrote the fixture's subject key identifier as the SHA-1 of the public key bits (RFC 5280 method 1).
        const spki = readDer(createPublicKey(RSA_CA.cert).export({ type: "spki", format: "der" }));
        const publicKeyBits = derChildren(spki)[1].value.subarray(1);
        expect(certificateFields(RSA_CA.cert).keyIdentifier.equals(createHash("sha1").update(publicKeyBits).digest())).toBe(true);
        const aki = readDer(derChildren(extensions[0])[1].value); // AuthorityKeyIdentifier SEQUENCE
        expect(derChildren(aki)[0].tag).toBe(0x80);
        expect(derChildren(aki)[0].value.equals(certificateFields(RSA_CA.cert).keyIdentifier)).toBe(true);
        const number = readDer(derChildren(extensions[1])[1].value);
        expect(number.value).toEqual(Buffer.from([1]));
    });

    it("is the same bytes on every run for an RSA root (deterministic signature, times from the certificate)", () => {
        const a = buildEmptyCrl({ caCertificatePem: RSA_CA.cert, caPrivateKeyPem: RSA_CA.key });
        const b = buildEmptyCrl({ caCertificatePem: RSA_CA.cert, caPrivateKeyPem: RSA_CA.key });
        expect(a).toBe(b);
    });

    it("encodes explicit times as UTCTime before 2050 and GeneralizedTime from 2050", () => {
        const pem = buildEmptyCrl({
            caCertificatePem: RSA_CA.cert,
            caPrivateKeyPem: RSA_CA.key,
            thisUpdate: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
            nextUpdate: new Date(Date.UTC(2051, 0, 1)),
            crlNumber: 300,
        });
        const { fields } = parseCrl(pem);
        expect(fields[3].tag).toBe(0x17);
        expect(fields[3].value.toString("ascii")).toBe("260102030405Z");
        expect(fields[4].tag).toBe(0x18);
        expect(fields[4].value.toString("ascii")).toBe("20510101000000Z");
        const number = readDer(derChildren(derChildren(derChildren(fields[5])[0])[1])[1].value);
        expect(number.value).toEqual(Buffer.from([0x01, 0x2c]));
    });

    it("refuses a key that does not belong to the certificate", () => {
        expect(() => buildEmptyCrl({ caCertificatePem: RSA_CA.cert, caPrivateKeyPem: EC_CA.key })).toThrow(/does not belong to the CA certificate/);
    });

    it.skipIf(!hasOpenssl)("verifies with openssl crl -CAfile (both key types)", () => {
        const dir = mkdtempSync(join(tmpdir(), "rampart-crl-"));
        for (const [label, ca] of [
            ["rsa", RSA_CA],
            ["ec", EC_CA],
        ] as const) {
            writeFileSync(join(dir, `${label}-ca.pem`), ca.cert);
            writeFileSync(join(dir, `${label}.crl`), buildEmptyCrl({ caCertificatePem: ca.cert, caPrivateKeyPem: ca.key }));
            const run = spawnSync("openssl", ["crl", "-in", join(dir, `${label}.crl`), "-noout", "-text", "-CAfile", join(dir, `${label}-ca.pem`)], { encoding: "utf8" });
            expect(run.status).toBe(0);
            expect(`${run.stdout}${run.stderr}`).toMatch(/verify OK/);
            expect(run.stdout).toMatch(/Version 2 \(0x1\)/);
            expect(run.stdout).toMatch(/Issuer: CN ?= ?unkey\.cloud Root CA, O ?= ?Rampart Test/);
            expect(run.stdout).toMatch(/No Revoked Certificates/);
            expect(run.stdout).toMatch(/X509v3 CRL Number: *\n *1/);
            // Against the wrong CA it does not verify.
            const other = label === "rsa" ? "ec" : "rsa";
            writeFileSync(join(dir, `${other}-ca.pem`), (other === "rsa" ? RSA_CA : EC_CA).cert);
            const wrong = spawnSync("openssl", ["crl", "-in", join(dir, `${label}.crl`), "-noout", "-CAfile", join(dir, `${other}-ca.pem`)], { encoding: "utf8" });
            expect(`${wrong.stdout}${wrong.stderr}`).not.toMatch(/verify OK/);
        }
        expect(execFileSync("openssl", ["version"], { encoding: "utf8" })).toMatch(/OpenSSL/);
    });
});
