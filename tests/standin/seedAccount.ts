/**
 * Bootstraps a simulated account of the OFFLINE STAND-IN (tests and `npm run example` only) the way
 * the README's one-time account setup does on AWS: the account gets the GitHub Actions OIDC provider
 * (client id sts.amazonaws.com) that every stage's CI roles look up.
 *
 *   node tests/.work/standin/seedAccount.js <accounts file>
 */
import { AccountStore, seedOidcProvider } from "./account";

const file = process.argv[2];
if (!file) {
    console.error("usage: node tests/.work/standin/seedAccount.js <accounts file>");
    process.exit(2);
}
console.log(seedOidcProvider(new AccountStore(file), { url: "https://token.actions.githubusercontent.com", clientIds: ["sts.amazonaws.com"] }));
