/** IPv4 CIDR arithmetic and the subnet plan of a platform VPC. */

export interface Ipv4Block {
    base: number;
    prefix: number;
}

export function parseCidr(cidr: string): Ipv4Block | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((base & mask) >>> 0 !== base) return undefined;
    return { base, prefix };
}

export function formatCidr(block: Ipv4Block): string {
    const b = block.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${block.prefix}`;
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);

export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
    if (inner.prefix < outer.prefix) return false;
    const mask = outer.prefix === 0 ? 0 : (0xffffffff << (32 - outer.prefix)) >>> 0;
    return (inner.base & mask) >>> 0 === outer.base;
}

export function isPrivateBlock(block: Ipv4Block): boolean {
    return PRIVATE_RANGES.some((r) => contains(r, block));
}

export interface SubnetPlan {
    publicSubnets: string[];
    privateSubnets: string[];
}

/**
 * Splits the VPC block into one public and one private subnet per zone. For a /16 this is skreg's
 * layout: public `x.y.1.0/24`, `x.y.2.0/24`...; private `x.y.10.0/24`, `x.y.20.0/24`... For other
 * sizes the block is cut into 16 equal parts: public subnets take parts 1..n, private subnets
 * parts 8..8+n-1 (at most 6 zones either way). Returns undefined when the block is too small
 * (smaller than /24 for the split, since AWS subnets are /28 at the smallest).
 */
export function planSubnets(cidr: string, zoneCount: number): SubnetPlan | undefined {
    const block = parseCidr(cidr);
    if (!block || zoneCount < 1 || zoneCount > 6) return undefined;
    if (block.prefix === 16) {
        const at = (third: number) => formatCidr({ base: (block.base + (third << 8)) >>> 0, prefix: 24 });
        return {
            publicSubnets: Array.from({ length: zoneCount }, (_, i) => at(i + 1)),
            privateSubnets: Array.from({ length: zoneCount }, (_, i) => at((i + 1) * 10)),
        };
    }
    const partPrefix = block.prefix + 4;
    if (partPrefix > 28) return undefined;
    const partSize = 2 ** (32 - partPrefix);
    const part = (i: number) => formatCidr({ base: (block.base + i * partSize) >>> 0, prefix: partPrefix });
    return {
        publicSubnets: Array.from({ length: zoneCount }, (_, i) => part(i + 1)),
        privateSubnets: Array.from({ length: zoneCount }, (_, i) => part(i + 8)),
    };
}
