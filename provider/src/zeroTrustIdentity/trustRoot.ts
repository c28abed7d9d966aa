import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ComponentScope } from "../shared/scope";
import { KeyAlgorithm, TrustRoot, TrustRootMode } from "./args";
import { buildEmptyCrl } from "./crl";
import { UpstreamAccess } from "./policies";
import { PublicationBucket } from "./publication";
import { UpstreamAuthorityConfig } from "./render";
import { CRL_OBJECT_KEY, TrustRootSettings } from "./settings";

export interface TrustRootResources {
    /** PEM of the root certificate (public): generated, read from the existing secret, or the private CA's certificate and chain. */
    certificatePem?: pulumi.Output<string>;
    certificateSecretArn?: pulumi.Output<string>;
    keySecretArn?: pulumi.Output<string>;
    /** What the SPIRE server's IAM policy must allow, and how its upstream authority is configured. */
    upstreamAccess: pulumi.Output<UpstreamAccess>;
    upstreamAuthority(region: pulumi.Output<string>): pulumi.Output<UpstreamAuthorityConfig>;
    crlUrl?: pulumi.Output<string>;
}

/** Allowed uses of the generated root: it signs certificates (SPIRE's intermediates) and CRLs. */
export const ROOT_CA_USES = ["cert_signing", "crl_signing", "digital_signature"];

/**
 * Inputs of the root's key and certificate that would make the tls provider replace them (a new
 * root CA). They never change on later runs: nothing here depends on time or on the environment,
 * and these inputs are listed in `ignoreChanges`, so editing `validityYears`, `commonName` or
 * `keyAlgorithm` after the first deployment does not rotate the root (skreg). What the provider
 * itself decides cannot be ignored: when the certificate expires (`readyForRenewal`, after
 * `validityYears`) it plans a replacement, which is the planned renewal of the root.
 */
export const ROOT_KEY_IGNORED = ["algorithm", "rsaBits", "ecdsaCurve"];
export const ROOT_CERT_IGNORED = ["subject", "validityPeriodHours", "allowedUses", "isCaCertificate", "earlyRenewalHours", "setSubjectKeyId", "setAuthorityKeyId"];

export function createTrustRoot(
    scope: ComponentScope,
    settings: TrustRootSettings,
    given: TrustRoot | undefined,
    publication: () => PublicationBucket,
): TrustRootResources {
    if (settings.mode === TrustRootMode.AwsPrivateCa) {
        const arn = pulumi.output(given!.privateCaArn!);
        const ca = aws.acmpca.getCertificateAuthorityOutput({ arn }, { parent: scope.component });
        return {
            certificatePem: pulumi
                .all([ca.certificate, ca.certificateChain])
                .apply(([certificate, chain]) => [certificate, chain].filter((p) => typeof p === "string" && p.length > 0).join("\n")),
            upstreamAccess: arn.apply((a) => ({ type: "aws_pca" as const, certificateAuthorityArn: a })),
            upstreamAuthority: (region) => pulumi.all([region, arn]).apply(([r, a]) => ({ type: "aws_pca" as const, region: r, certificateAuthorityArn: a })),
        };
    }

    if (settings.mode === TrustRootMode.Existing) {
        const certificateSecretArn = pulumi.output(given!.certificateSecretArn!);
        const keySecretArn = pulumi.output(given!.privateKeySecretArn!);
        // The certificate is public; the key secret is only referenced (SPIRE reads it at runtime).
        const certificate = aws.secretsmanager.getSecretVersionOutput({ secretId: certificateSecretArn }, { parent: scope.component });
        return {
            certificatePem: pulumi.unsecret(certificate.secretString),
            certificateSecretArn,
            keySecretArn,
            upstreamAccess: pulumi.all([certificateSecretArn, keySecretArn]).apply(([c, k]) => ({ type: "awssecret" as const, certificateSecretArn: c, keySecretArn: k })),
            upstreamAuthority: (region) =>
                pulumi.all([region, certificateSecretArn, keySecretArn]).apply(([r, c, k]) => ({ type: "awssecret" as const, region: r, certFileArn: c, keyFileArn: k })),
        };
    }

    const key = new tls.PrivateKey(
        scope.child("root-ca-key"),
        settings.keyAlgorithm === KeyAlgorithm.EcdsaP384 ? { algorithm: "ECDSA", ecdsaCurve: "P384" } : { algorithm: "RSA", rsaBits: 4096 },
        scope.opts({ ignoreChanges: ROOT_KEY_IGNORED }),
    );
    const certificate = new tls.SelfSignedCert(
        scope.child("root-ca"),
        {
            privateKeyPem: pulumi.secret(key.privateKeyPem),
            isCaCertificate: true,
            allowedUses: ROOT_CA_USES,
            validityPeriodHours: settings.validityYears * 8766,
            earlyRenewalHours: 0,
            setSubjectKeyId: true,
            subject: { commonName: settings.commonName, ...(settings.organization ? { organization: settings.organization } : {}) },
        },
        scope.opts({ ignoreChanges: ROOT_CERT_IGNORED }),
    );

    const kmsKey = new aws.kms.Key(
        scope.child("root-ca-kms"),
        {
            description: `Encrypts the root CA of ${scope.name} (${scope.stage}) in Secrets Manager`,
            enableKeyRotation: true,
            deletionWindowInDays: scope.production ? 30 : 7,
            tags: scope.tags,
        },
        scope.dataOpts(),
    );
    new aws.kms.Alias(scope.child("root-ca-kms-alias"), { name: `alias/${scope.physical({ maxLength: 250, allowed: "/_-" }, "root-ca")}`, targetKeyId: kmsKey.keyId }, scope.opts({ parent: kmsKey }));

    const recoveryWindowInDays = scope.production ? 30 : 0;
    const certificateSecret = new aws.secretsmanager.Secret(
        scope.child("root-ca-certificate"),
        {
            name: scope.physical("secretsManagerSecret", "root-ca-certificate"),
            description: `PEM certificate of the root CA of ${scope.name} (${scope.stage})`,
            kmsKeyId: kmsKey.arn,
            recoveryWindowInDays,
            tags: scope.tags,
        },
        scope.dataOpts(),
    );
    new aws.secretsmanager.SecretVersion(
        scope.child("root-ca-certificate-version"),
        { secretId: certificateSecret.id, secretString: certificate.certPem },
        scope.opts({ parent: certificateSecret }),
    );
    const keySecret = new aws.secretsmanager.Secret(
        scope.child("root-ca-private-key"),
        {
            name: scope.physical("secretsManagerSecret", "root-ca-private-key"),
            description: `PEM private key of the root CA of ${scope.name} (${scope.stage})`,
            kmsKeyId: kmsKey.arn,
            recoveryWindowInDays,
            tags: scope.tags,
        },
        scope.dataOpts(),
    );
    new aws.secretsmanager.SecretVersion(
        scope.child("root-ca-private-key-version"),
        { secretId: keySecret.id, secretString: pulumi.secret(key.privateKeyPem) },
        scope.opts({ parent: keySecret, additionalSecretOutputs: ["secretString"] }),
    );

    let crlUrl: pulumi.Output<string> | undefined;
    if (settings.crl) {
        const bucket = publication();
        // The CRL is signed inside an apply on the (secret) key; the CRL itself is public, so the
        // result is unsecreted. It only publishes the initial, empty CRL: `content` is ignored on
        // later runs so a CRL written by a revocation process is never overwritten (and ECDSA
        // signatures, which differ on every signing, cause no diff).
        const crl = pulumi.unsecret(
            pulumi.all([certificate.certPem, key.privateKeyPem]).apply(([caCertificatePem, caPrivateKeyPem]) => buildEmptyCrl({ caCertificatePem, caPrivateKeyPem })),
        );
        new aws.s3.BucketObjectv2(
            scope.child("crl"),
            { bucket: bucket.bucket.id, key: CRL_OBJECT_KEY, content: crl, contentType: "application/x-pem-file", tags: scope.tags },
            scope.opts({ parent: bucket.bucket, dependsOn: bucket.ready, ignoreChanges: ["content"] }),
        );
        crlUrl = bucket.objectUrl(CRL_OBJECT_KEY);
    }

    return {
        certificatePem: certificate.certPem,
        certificateSecretArn: certificateSecret.arn,
        keySecretArn: keySecret.arn,
        upstreamAccess: pulumi
            .all([certificateSecret.arn, keySecret.arn, kmsKey.arn])
            .apply(([c, k, kms]) => ({ type: "awssecret" as const, certificateSecretArn: c, keySecretArn: k, kmsKeyArn: kms, createdSecrets: true })),
        upstreamAuthority: (region) =>
            pulumi.all([region, certificateSecret.arn, keySecret.arn]).apply(([r, c, k]) => ({ type: "awssecret" as const, region: r, certFileArn: c, keyFileArn: k })),
        crlUrl,
    };
}
