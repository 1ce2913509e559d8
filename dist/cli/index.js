#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(78);

// Entry point of the `lm-env` binary: wires process streams and signals to runCli.
const controller = new AbortController();
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
        signals += 1;
        if (signals > 1)
            process.exit(130);
        process.stderr.write(`\nlm-env: ${sig} received, stopping (the Environment file lists everything created so far)\n`);
        controller.abort(new Error(`interrupted by ${sig}`));
    });
}
const code = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .runCli */ .a)(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    signal: controller.signal,
});
process.exitCode = code;

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 78:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runCli)
});

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/env/inputs.ts
const SPEC_INPUTS = [
    {
        name: 'provider',
        default: 'lab',
        description: 'Where the hosts come from: lab | latitude | equinix | static',
    },
    { name: 'hosts', default: '2', description: 'Number of flintlock hosts (the hub is added on top)' },
    { name: 'subnet', default: '192.168.1.0/25', description: 'Private VLAN subnet (IPv4 CIDR, /16 to /28)' },
    { name: 'vlan', default: '1000', description: 'VLAN id (1-4094)' },
    { name: 'parent-interface', default: 'bond0', description: 'Uplink interface that carries the VLAN' },
    {
        name: 'gateway',
        default: '',
        derived: 'second address of the subnet (.2)',
        description: "Hub's private address: router and DNS for the microVMs",
    },
    {
        name: 'host-addresses',
        default: '',
        derived: 'the addresses after the gateway (.3, .4, …)',
        description: "Comma list of the flintlock hosts' private addresses",
    },
    {
        name: 'dhcp-range',
        default: '',
        derived: 'from a fifth of the subnet to the last usable address (.26-.126 on a /25)',
        description: 'DHCP pool for microVMs, START-END',
    },
    {
        name: 'dns',
        default: '',
        derived: 'the gateway (the hub forwards DNS)',
        description: 'Comma list of DNS servers handed to microVMs',
    },
    { name: 'lease-time', default: '10m', description: 'Default DHCP lease time (600, 10m, 1h)' },
    { name: 'max-lease-time', default: '2h', description: 'Maximum DHCP lease time' },
    { name: 'nat', default: 'nftables', description: 'NAT backend on the hub: nftables | firewalld' },
    {
        name: 'dhcp',
        default: 'dnsmasq',
        description: 'DHCP server on the hub: dnsmasq | kea | isc-dhcp-server',
    },
    {
        name: 'flintlock-port',
        default: '9090',
        description: "flintlock gRPC port on each host's private address",
    },
    {
        name: 'name',
        default: '',
        derived: 'random',
        description: 'Environment name: 1-8 of [a-z0-9]; the environment id is lm-<name>',
    },
    { name: 'ttl', default: '4h', description: 'Lifetime before the sweep may delete it (90m, 6h, 1d, 1h30m)' },
    {
        name: 'keep',
        default: 'false',
        boolean: true,
        description: 'Keep the environment after the job (no teardown in post)',
    },
    {
        name: 'dry-run',
        default: 'false',
        boolean: true,
        description: 'Validate and print the plan; create nothing',
    },
];
function flagOf(name) {
    return `--${name}`;
}
const SPEC_INPUT_NAMES = SPEC_INPUTS.map((i) => i.name);

;// CONCATENATED MODULE: ./src/env/errors.ts

function formatIssue(i) {
    const shown = i.value === '' ? '(empty)' : JSON.stringify(i.value);
    return `${i.field} (${flagOf(i.field)}) = ${shown}: ${i.problem}. Fix: ${i.fix}.`;
}
/** Bad input. Raised before anything is created; the CLI exits 2 on it. */
class errors_ValidationError extends Error {
    issues;
    exitCode = 2;
    constructor(issues) {
        super(`invalid input (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
            issues.map((i) => `  - ${formatIssue(i)}`).join('\n'));
        this.issues = issues;
        this.name = 'ValidationError';
    }
}
/** A failure the user can act on (missing binary, not root, bad environment file): message only, no stack. */
class UserError extends Error {
    exitCode;
    constructor(message, exitCode = 1) {
        super(message);
        this.exitCode = exitCode;
        this.name = 'UserError';
    }
}

;// CONCATENATED MODULE: ./src/cli/args.ts



/**
 * Parses flags for one command: the spec flags (same names as the action inputs) when the command
 * takes a spec, plus the command's own options. Unknown flags are validation errors (exit 2).
 */
function parseCommandLine(argv, own, takesSpec) {
    const specDefs = takesSpec ? SPEC_INPUTS : [];
    const options = {};
    for (const d of specDefs)
        options[d.name] = { type: 'string' };
    for (const o of own)
        options[o.name] = { type: o.boolean ? 'boolean' : 'string' };
    let values;
    let positionals;
    try {
        ({ values, positionals } = (0,external_node_util_namespaceObject.parseArgs)({ args: argv, options, allowPositionals: true, strict: true }));
    }
    catch (e) {
        const msg = e.message;
        const flag = /'(--?[^' ]+)/.exec(msg)?.[1] ?? argv.join(' ');
        throw new errors_ValidationError([
            {
                field: flag.replace(/^-+/, ''),
                value: flag,
                problem: msg.replace(/\. To specify.*$/s, ''),
                fix: 'see --help for the flags this command takes',
            },
        ]);
    }
    const spec = {};
    for (const d of specDefs) {
        const v = values[d.name];
        if (v !== undefined)
            spec[d.name] = String(v);
    }
    const rest = {};
    for (const o of own)
        rest[o.name] = values[o.name];
    return { spec, options: rest, positionals };
}
function helpFor(command, summary, own, takesSpec) {
    const rows = [];
    if (takesSpec) {
        for (const d of SPEC_INPUTS) {
            const dflt = d.default !== '' ? ` (default ${d.default})` : d.derived ? ` (default: ${d.derived})` : '';
            rows.push([`--${d.name}${d.boolean ? '' : ' VALUE'}`, `${d.description}${dflt}`]);
        }
    }
    for (const o of own)
        rows.push([`--${o.name}${o.boolean ? '' : ' VALUE'}`, o.description]);
    const w = Math.max(...rows.map((r) => r[0].length), 10);
    return `Usage: lm-env ${command} [flags]\n\n${summary}\n\nFlags:\n${rows.map(([a, b]) => `  ${a.padEnd(w)}  ${b}`).join('\n')}\n`;
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/env/ids.ts

/** A fresh environment id: lm- and 6 hex digits (short, because it ends up in interface names). */
function randomEnvironmentId() {
    return `lm-${(0,external_node_crypto_namespaceObject.randomBytes)(3).toString('hex')}`;
}

// EXTERNAL MODULE: ./node_modules/ipaddr.js/lib/ipaddr.js
var ipaddr = __nccwpck_require__(280);
var ipaddr_default = /*#__PURE__*/__nccwpck_require__.n(ipaddr);
;// CONCATENATED MODULE: ./src/env/addr.ts

/** IPv4 helpers over ipaddr.js; addresses are handled as dotted strings and offsets as numbers. */
function isIPv4(s) {
    return ipaddr_default().IPv4.isValidFourPartDecimal(s);
}
function toNumber(addr) {
    const b = ipaddr_default().IPv4.parse(addr).toByteArray();
    return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
}
function fromNumber(n) {
    return new (ipaddr_default()).IPv4([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
}
/** Parses an IPv4 CIDR; returns an error string instead of throwing. */
function parseSubnet(cidr) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !ipaddr_default().IPv4.isValidCIDR(cidr)) {
        return { error: 'not an IPv4 CIDR (a.b.c.d/prefix)' };
    }
    const [addr, prefix] = ipaddr_default().IPv4.parseCIDR(cidr);
    const network = ipaddr_default().IPv4.networkAddressFromCIDR(cidr).toString();
    if (addr.toString() !== network) {
        return { error: 'host bits are set', suggestion: `${network}/${prefix}` };
    }
    return {
        cidr: `${network}/${prefix}`,
        network,
        broadcast: ipaddr_default().IPv4.broadcastAddressFromCIDR(cidr).toString(),
        prefix,
        netmask: ipaddr_default().IPv4.subnetMaskFromPrefixLength(prefix).toString(),
        size: 2 ** (32 - prefix),
    };
}
function contains(subnet, addr) {
    return ipaddr_default().IPv4.parse(addr).match(ipaddr_default().IPv4.parse(subnet.network), subnet.prefix);
}
/** Offset of addr inside the subnet (0 = network address). */
function offsetOf(subnet, addr) {
    return toNumber(addr) - toNumber(subnet.network);
}
function atOffset(subnet, offset) {
    return fromNumber(toNumber(subnet.network) + offset);
}

;// CONCATENATED MODULE: ./src/env/duration.ts
/** Parses durations such as 600, 90s, 10m, 6h, 1d, 1h30m into seconds; undefined when malformed. */
function parseDuration(s) {
    const t = s.trim();
    if (/^\d+$/.test(t))
        return Number(t);
    const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(t);
    if (!m || t === '')
        return undefined;
    const [d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0));
    return d * 86400 + h * 3600 + mi * 60 + se;
}
function formatDuration(seconds) {
    const parts = [];
    let rest = seconds;
    for (const [unit, size] of [
        ['d', 86400],
        ['h', 3600],
        ['m', 60],
        ['s', 1],
    ]) {
        if (rest >= size) {
            parts.push(`${Math.floor(rest / size)}${unit}`);
            rest %= size;
        }
    }
    return parts.join('') || '0s';
}

;// CONCATENATED MODULE: ./src/env/spec.ts




const PROVIDERS = ['lab', 'latitude', 'equinix', 'static'];
const NAT_BACKENDS = ['nftables', 'firewalld'];
const DHCP_SERVERS = ['dnsmasq', 'kea', 'isc-dhcp-server'];
const MAX_HOSTS = 64;
const MIN_PREFIX = 16;
const MAX_PREFIX = 28;
const IFNAMSIZ = 15;
const DEFAULTS = Object.fromEntries(SPEC_INPUTS.map((i) => [i.name, i.default]));
function oneOf(allowed, v) {
    return allowed.includes(v) ? v : undefined;
}
function list(v) {
    return v
        .split(/[\s,]+/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
}
/** Parses each field on its own and collects every problem; cross-field checks live in the plan. */
function parseSpec(raw) {
    const issues = [];
    const invalid = new Set();
    const get = (name) => {
        const v = raw[name];
        return v === undefined || v.trim() === '' ? DEFAULTS[name] : v.trim();
    };
    const given = (name) => {
        const v = raw[name];
        return v === undefined || v.trim() === '' ? undefined : v.trim();
    };
    const bad = (field, value, problem, fix) => {
        issues.push({ field, value, problem, fix });
        invalid.add(field);
    };
    for (const name of Object.keys(raw)) {
        if (!(name in DEFAULTS)) {
            bad(name, raw[name] ?? '', 'unknown setting', `remove it; known settings are ${Object.keys(DEFAULTS).join(', ')}`);
        }
    }
    const provider = oneOf(PROVIDERS, get('provider'));
    if (!provider)
        bad('provider', get('provider'), 'unknown provider', `use one of ${PROVIDERS.join(', ')}`);
    const hostsRaw = get('hosts');
    let hosts = Number(hostsRaw);
    if (!/^\d+$/.test(hostsRaw)) {
        bad('hosts', hostsRaw, 'not a whole number', 'give the number of flintlock hosts, e.g. 2');
        hosts = 2;
    }
    else if (hosts < 1) {
        bad('hosts', hostsRaw, 'at least one flintlock host is needed', 'use 1 or more');
    }
    else if (hosts > MAX_HOSTS) {
        bad('hosts', hostsRaw, `more than ${MAX_HOSTS} hosts is not supported`, `use at most ${MAX_HOSTS}`);
    }
    const subnetRaw = get('subnet');
    const sub = parseSubnet(subnetRaw);
    let subnet = subnetRaw;
    if ('error' in sub) {
        bad('subnet', subnetRaw, sub.error, sub.suggestion ? `use the network address: ${sub.suggestion}` : 'write it like 192.168.1.0/25');
    }
    else if (sub.prefix < MIN_PREFIX || sub.prefix > MAX_PREFIX) {
        bad('subnet', subnetRaw, `prefix /${sub.prefix} is outside the supported range /${MIN_PREFIX}–/${MAX_PREFIX}`, `use a prefix between /${MIN_PREFIX} and /${MAX_PREFIX}, e.g. /25`);
    }
    else {
        subnet = sub.cidr;
    }
    const vlanRaw = get('vlan');
    const vlan = Number(vlanRaw);
    if (!/^\d+$/.test(vlanRaw) || vlan < 1 || vlan > 4094) {
        bad('vlan', vlanRaw, 'VLAN id must be a whole number from 1 to 4094', 'pick an id in 1–4094, e.g. 1000');
    }
    const parentInterface = get('parent-interface');
    if (!/^[A-Za-z0-9_.-]+$/.test(parentInterface)) {
        bad('parent-interface', parentInterface, 'not a valid interface name', 'use a name like bond0 or eth0');
    }
    else if (parentInterface.length > IFNAMSIZ) {
        bad('parent-interface', parentInterface, `interface names are at most ${IFNAMSIZ} characters`, "use the uplink's real (short) name");
    }
    else if (!invalid.has('vlan') && `${parentInterface}.${vlan}`.length > IFNAMSIZ) {
        bad('parent-interface', parentInterface, `the VLAN interface name "${parentInterface}.${vlan}" is longer than ${IFNAMSIZ} characters`, 'use a shorter parent interface name or a VLAN id with fewer digits');
    }
    const gateway = given('gateway');
    if (gateway !== undefined && !isIPv4(gateway)) {
        bad('gateway', gateway, 'not an IPv4 address', 'write it like 192.168.1.2, or leave it empty to derive it');
    }
    const hostAddressesRaw = given('host-addresses');
    const hostAddresses = hostAddressesRaw === undefined ? undefined : list(hostAddressesRaw);
    if (hostAddresses) {
        const notIp = hostAddresses.filter((a) => !isIPv4(a));
        if (notIp.length > 0) {
            bad('host-addresses', hostAddressesRaw, `not IPv4 addresses: ${notIp.join(', ')}`, 'give a comma list like 192.168.1.3,192.168.1.4');
        }
    }
    let dhcpRange;
    const rangeRaw = given('dhcp-range');
    if (rangeRaw !== undefined) {
        const parts = rangeRaw.split('-').map((s) => s.trim());
        if (parts.length !== 2 || !isIPv4(parts[0]) || !isIPv4(parts[1])) {
            bad('dhcp-range', rangeRaw, 'not START-END IPv4 addresses', 'write it like 192.168.1.26-192.168.1.126');
        }
        else {
            dhcpRange = { start: parts[0], end: parts[1] };
        }
    }
    const dnsRaw = given('dns');
    const dnsServers = dnsRaw === undefined ? undefined : list(dnsRaw);
    if (dnsServers) {
        const notIp = dnsServers.filter((a) => !isIPv4(a));
        if (dnsServers.length === 0 || notIp.length > 0) {
            bad('dns', dnsRaw, `not IPv4 addresses: ${notIp.join(', ') || '(none given)'}`, 'give a comma list like 192.168.1.2,198.51.100.53');
        }
    }
    const leaseTimeSeconds = parseDuration(get('lease-time'));
    if (leaseTimeSeconds === undefined || leaseTimeSeconds < 60) {
        bad('lease-time', get('lease-time'), 'not a duration of at least 60 seconds', 'write it like 600, 10m or 1h');
    }
    const maxLeaseTimeSeconds = parseDuration(get('max-lease-time'));
    if (maxLeaseTimeSeconds === undefined || maxLeaseTimeSeconds < 60) {
        bad('max-lease-time', get('max-lease-time'), 'not a duration of at least 60 seconds', 'write it like 7200 or 2h');
    }
    else if (leaseTimeSeconds !== undefined && maxLeaseTimeSeconds < leaseTimeSeconds) {
        bad('max-lease-time', get('max-lease-time'), 'shorter than lease-time', 'make it at least as long as lease-time');
    }
    const nat = oneOf(NAT_BACKENDS, get('nat'));
    if (!nat)
        bad('nat', get('nat'), 'unknown NAT backend', `use one of ${NAT_BACKENDS.join(', ')}`);
    const dhcp = oneOf(DHCP_SERVERS, get('dhcp'));
    if (!dhcp)
        bad('dhcp', get('dhcp'), 'unknown DHCP server', `use one of ${DHCP_SERVERS.join(', ')}`);
    const portRaw = get('flintlock-port');
    const flintlockPort = Number(portRaw);
    if (!/^\d+$/.test(portRaw) || flintlockPort < 1 || flintlockPort > 65535) {
        bad('flintlock-port', portRaw, 'not a TCP port', 'use a number from 1 to 65535, e.g. 9090');
    }
    const name = given('name');
    if (name !== undefined && !/^[a-z0-9]{1,8}$/.test(name)) {
        bad('name', name, 'must be 1–8 lowercase letters or digits (it becomes part of interface names)', 'use e.g. nightly1');
    }
    const ttlSeconds = parseDuration(get('ttl'));
    if (ttlSeconds === undefined || ttlSeconds < 60) {
        bad('ttl', get('ttl'), 'not a duration of at least a minute', 'write it like 90m, 6h, 1d or 1h30m');
    }
    const bool = (field) => {
        const v = get(field).toLowerCase();
        if (['true', 'yes', '1', 'on'].includes(v))
            return true;
        if (['false', 'no', '0', 'off'].includes(v))
            return false;
        bad(field, get(field), 'not a boolean', 'use true or false');
        return false;
    };
    const spec = {
        provider: provider ?? 'lab',
        hosts,
        subnet,
        vlan,
        parentInterface,
        gateway,
        hostAddresses,
        dhcpRange,
        dnsServers,
        leaseTimeSeconds: leaseTimeSeconds ?? 600,
        maxLeaseTimeSeconds: maxLeaseTimeSeconds ?? 7200,
        nat: nat ?? 'nftables',
        dhcp: dhcp ?? 'dnsmasq',
        flintlockPort,
        name,
        ttlSeconds: ttlSeconds ?? 14400,
        keep: bool('keep'),
        dryRun: bool('dry-run'),
    };
    return { spec, issues, invalid };
}
/** parseSpec that throws a ValidationError listing every field problem. */
function parseSpecOrThrow(raw) {
    const { spec, issues } = parseSpec(raw);
    if (issues.length > 0)
        throw new ValidationError(issues);
    return spec;
}

;// CONCATENATED MODULE: ./src/env/plan.ts



const MIN_POOL = 4;
function environmentId(spec, ctx) {
    return spec.name ? `lm-${spec.name}` : ctx.id;
}
/** First pool offset: a fifth of the subnet is left for hosts and VIPs (26 on a /25, as in the original). */
function defaultPoolStartOffset(size, lastHostOffset) {
    return Math.max(Math.floor(size / 5) + 1, lastHostOffset + 2);
}
/**
 * Derives every address and name from a parsed spec. Pure. Throws a ValidationError listing
 * every problem found in the inputs (field-level and cross-field) at once.
 */
function planFromRaw(raw, ctx) {
    return resolveInputs(raw, ctx).plan;
}
/** Raw inputs to the validated spec and its plan, or one ValidationError with every problem. */
function resolveInputs(raw, ctx) {
    const parsed = parseSpec(raw);
    const issues = [...parsed.issues];
    const plan = derive(parsed.spec, parsed.invalid, issues, ctx);
    if (issues.length > 0 || !plan)
        throw new errors_ValidationError(issues);
    return { spec: parsed.spec, plan };
}
function planFromSpec(spec, ctx) {
    const issues = [];
    const plan = derive(spec, new Set(), issues, ctx);
    if (issues.length > 0 || !plan)
        throw new ValidationError(issues);
    return plan;
}
function derive(spec, invalid, issues, ctx) {
    if (invalid.has('subnet') || invalid.has('hosts'))
        return undefined;
    const sub = parseSubnet(spec.subnet);
    const bad = (field, value, problem, fix) => {
        issues.push({ field, value, problem, fix });
        invalid.add(field);
    };
    const usable = sub.size - 2;
    const needed = 1 + spec.hosts + MIN_POOL;
    if (usable - 1 < needed) {
        // offset 1 is left free (often the provider's own router on the VLAN)
        bad('subnet', spec.subnet, `a /${sub.prefix} has ${usable} usable addresses, too few for the hub, ${spec.hosts} host(s) and a DHCP pool of at least ${MIN_POOL}`, `use a larger subnet (smaller prefix) or fewer hosts`);
        return undefined;
    }
    const inside = (field, addr, what) => {
        if (!contains(sub, addr)) {
            bad(field, addr, `${what} ${addr} is outside the subnet ${sub.cidr}`, `use an address inside ${sub.cidr}`);
            return false;
        }
        if (addr === sub.network || addr === sub.broadcast) {
            bad(field, addr, `${what} ${addr} is the ${addr === sub.network ? 'network' : 'broadcast'} address of ${sub.cidr}`, `use an address between ${atOffset(sub, 1)} and ${atOffset(sub, sub.size - 2)}`);
            return false;
        }
        return true;
    };
    // Addresses: hub first, then the hosts in order.
    let gateway = spec.gateway ?? atOffset(sub, 2);
    if (spec.gateway !== undefined && !invalid.has('gateway'))
        inside('gateway', spec.gateway, 'the gateway');
    let hostIps;
    if (spec.hostAddresses && !invalid.has('host-addresses')) {
        hostIps = spec.hostAddresses;
        if (hostIps.length !== spec.hosts) {
            bad('host-addresses', hostIps.join(','), `${hostIps.length} address(es) given for ${spec.hosts} host(s)`, `give exactly ${spec.hosts} addresses, or set hosts to ${hostIps.length}`);
        }
        hostIps.forEach((a) => inside('host-addresses', a, 'host address'));
    }
    else {
        const start = spec.gateway !== undefined && !invalid.has('gateway') ? offsetOf(sub, gateway) + 1 : 3;
        hostIps = Array.from({ length: spec.hosts }, (_, i) => atOffset(sub, start + i));
        if (start + spec.hosts - 1 > sub.size - 2) {
            bad('hosts', String(spec.hosts), `the hosts after ${gateway} do not fit in ${sub.cidr}`, 'use a larger subnet or set host-addresses');
        }
    }
    if (invalid.has('gateway'))
        gateway = atOffset(sub, 2);
    const all = [gateway, ...hostIps];
    const seen = new Map();
    all.forEach((a, i) => {
        if (seen.has(a)) {
            const field = i === 0 || seen.get(a) === 0 ? 'gateway' : 'host-addresses';
            bad(field, a, `address ${a} is used twice (${i === 0 || seen.get(a) === 0 ? 'hub and a host' : 'two hosts'})`, 'give every device its own address');
        }
        seen.set(a, i);
    });
    // Only usable addresses shape the derived pool, so one bad host address is reported once.
    const usableOffsets = all
        .filter((a) => contains(sub, a))
        .map((a) => offsetOf(sub, a))
        .filter((o) => o > 0 && o < sub.size - 1);
    const lastHostOffset = Math.max(2, ...usableOffsets);
    let range = spec.dhcpRange;
    if (!range) {
        const startOff = defaultPoolStartOffset(sub.size, lastHostOffset);
        range = { start: atOffset(sub, startOff), end: atOffset(sub, sub.size - 2) };
        if (sub.size - 2 - startOff + 1 < MIN_POOL) {
            bad('dhcp-range', `${range.start}-${range.end}`, `the derived pool after the hosts has fewer than ${MIN_POOL} addresses`, 'use a larger subnet, fewer hosts, or set dhcp-range');
        }
    }
    else if (!invalid.has('dhcp-range')) {
        const shown = `${range.start}-${range.end}`;
        const ok = inside('dhcp-range', range.start, 'pool start') && inside('dhcp-range', range.end, 'pool end');
        if (ok) {
            const s = toNumber(range.start);
            const e = toNumber(range.end);
            if (s > e) {
                bad('dhcp-range', shown, 'the pool is reversed (start after end)', `write it as ${range.end}-${range.start}`);
            }
            else {
                if (e - s + 1 < MIN_POOL) {
                    bad('dhcp-range', shown, `the pool has ${e - s + 1} address(es), fewer than ${MIN_POOL}`, `give at least ${MIN_POOL} addresses`);
                }
                const clash = all.filter((a) => toNumber(a) >= s && toNumber(a) <= e);
                if (clash.length > 0) {
                    bad('dhcp-range', shown, `the pool overlaps the hub/host address(es) ${clash.join(', ')}`, 'move the pool above the host addresses');
                }
            }
        }
    }
    const dnsServers = spec.dnsServers && !invalid.has('dns') ? spec.dnsServers : [gateway];
    const vlanIf = `${spec.parentInterface}.${spec.vlan}`;
    const id = environmentId(spec, ctx);
    const expiresAt = new Date(ctx.now.getTime() + spec.ttlSeconds * 1000).toISOString();
    // VIP: just below the pool when that address is free, else none inside the pool region.
    const vipCandidate = toNumber(range.start) - 1;
    const reservedVip = vipCandidate > toNumber(sub.network) && !all.some((a) => toNumber(a) === vipCandidate)
        ? atOffset(sub, vipCandidate - toNumber(sub.network))
        : '';
    const hosts = [
        { name: 'hub', role: 'hub', index: 0, privateIp: gateway, hostname: `${id}-hub` },
        ...hostIps.map((ip, i) => ({
            name: `host${i + 1}`,
            role: 'flintlock',
            index: i + 1,
            privateIp: ip,
            hostname: `${id}-host${i + 1}`,
        })),
    ];
    return {
        id,
        provider: spec.provider,
        createdAt: ctx.now.toISOString(),
        expiresAt,
        keep: spec.keep,
        network: {
            subnet: sub.cidr,
            prefixLength: sub.prefix,
            netmask: sub.netmask,
            gateway,
            vlan: { vid: spec.vlan, parent: spec.parentInterface, interface: vlanIf },
            dhcpRange: range,
            dnsServers,
            leaseTimeSeconds: spec.leaseTimeSeconds,
            maxLeaseTimeSeconds: spec.maxLeaseTimeSeconds,
            reservedVip,
        },
        hosts,
        flintlock: {
            port: spec.flintlockPort,
            endpoints: hostIps.map((ip) => `${ip}:${spec.flintlockPort}`),
        },
        services: { nat: spec.nat, dhcp: spec.dhcp },
        tags: { owner: id, expires: expiresAt, project: 'lm-env' },
    };
}

;// CONCATENATED MODULE: ./src/env/render.ts

/** The `network` and `hosts` fields exactly as the Environment file holds them, plus what a plan adds. */
function planJson(plan) {
    return plan;
}
function table(rows) {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    return rows
        .map((r) => r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd())
        .join('\n');
}
/** Human-readable plan for `lm-env plan`. */
function renderPlanText(plan) {
    const n = plan.network;
    const lines = [
        `Environment ${plan.id} (provider ${plan.provider}, expires ${plan.expiresAt}${plan.keep ? ', kept after the job' : ''})`,
        '',
        table([
            ['subnet', n.subnet],
            ['netmask', n.netmask],
            ['VLAN', `${n.vlan.vid} on ${n.vlan.parent} → ${n.vlan.interface}`],
            ['gateway (hub)', n.gateway],
            ['DHCP pool', `${n.dhcpRange.start} – ${n.dhcpRange.end}`],
            ['DNS servers', n.dnsServers.join(', ')],
            ['lease time', `${formatDuration(n.leaseTimeSeconds)} (max ${formatDuration(n.maxLeaseTimeSeconds)})`],
            ['reserved VIP', n.reservedVip || '(none)'],
            ['NAT', plan.services.nat],
            ['DHCP server', plan.services.dhcp],
        ]),
        '',
        table([
            ['HOST', 'ROLE', 'PRIVATE IP', 'INTERFACE', 'FLINTLOCK'],
            ...plan.hosts.map((h) => [
                h.name,
                h.role,
                h.privateIp,
                n.vlan.interface,
                h.role === 'flintlock' ? `${h.privateIp}:${plan.flintlock.port}` : '-',
            ]),
        ]),
    ];
    return `${lines.join('\n')}\n`;
}
/** Markdown for the job summary. */
function renderPlanMarkdown(plan, title) {
    const n = plan.network;
    const rows = plan.hosts
        .map((h) => `| ${h.name} | ${h.role} | ${h.privateIp} | ${h.role === 'flintlock' ? `\`${h.privateIp}:${plan.flintlock.port}\`` : '–'} |`)
        .join('\n');
    return [
        `## ${title}`,
        '',
        `Environment \`${plan.id}\` on provider \`${plan.provider}\`, expires ${plan.expiresAt}.`,
        '',
        '| setting | value |',
        '| --- | --- |',
        `| subnet | \`${n.subnet}\` |`,
        `| VLAN | ${n.vlan.vid} (\`${n.vlan.interface}\`) |`,
        `| gateway | \`${n.gateway}\` |`,
        `| DHCP pool | \`${n.dhcpRange.start}\` – \`${n.dhcpRange.end}\` |`,
        `| DNS | ${n.dnsServers.map((d) => `\`${d}\``).join(', ')} |`,
        `| NAT / DHCP | ${plan.services.nat} / ${plan.services.dhcp} |`,
        '',
        '| host | role | private IP | flintlock |',
        '| --- | --- | --- | --- |',
        rows,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/cli/commands/plan.ts



const planCommand = {
    name: 'plan',
    summary: 'Validate the settings and print every address, interface and name the environment would use. Creates nothing.',
    takesSpec: true,
    options: [
        {
            name: 'json',
            boolean: true,
            description: 'Print the plan as JSON (network and hosts as in the Environment file)',
        },
    ],
    async run({ spec, options }, io) {
        const plan = planFromRaw(spec, { id: randomEnvironmentId(), now: new Date() });
        io.out(options.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanText(plan));
        return 0;
    },
};

;// CONCATENATED MODULE: ./src/cli/commands/index.ts

/** Every CLI command; each lives in its own file. */
const commands_commands = [planCommand];

;// CONCATENATED MODULE: ./src/cli/main.ts



function usage(commands) {
    const w = Math.max(...commands.map((c) => c.name.length));
    return [
        'Usage: lm-env <command> [flags]',
        '',
        'Builds a liquid-metal test environment (hub + flintlock hosts on a private VLAN) and tears it down.',
        '',
        'Commands:',
        ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary.split('. ')[0].replace(/\.$/, '')}`),
        '',
        "Run 'lm-env <command> --help' for a command's flags.",
        '',
    ].join('\n');
}
/** Runs one CLI invocation and returns its exit code: 0 ok, 1 failure, 2 bad input. */
async function runCli(argv, io, commands = commands_commands) {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h' || name === 'help') {
        io.out(usage(commands));
        return name ? 0 : 2;
    }
    const cmd = commands.find((c) => c.name === name);
    if (!cmd) {
        io.err(`lm-env: unknown command '${name}'\n\n${usage(commands)}`);
        return 2;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
        io.out(helpFor(cmd.name, cmd.summary, cmd.options, cmd.takesSpec));
        return 0;
    }
    try {
        const parsed = parseCommandLine(rest, cmd.options, cmd.takesSpec);
        if (parsed.positionals.length > 0) {
            throw new errors_ValidationError([
                {
                    field: 'arguments',
                    value: parsed.positionals.join(' '),
                    problem: `'${cmd.name}' takes no positional arguments`,
                    fix: 'pass settings as --flag value',
                },
            ]);
        }
        return await cmd.run(parsed, io);
    }
    catch (e) {
        if (e instanceof errors_ValidationError) {
            io.err(`lm-env ${cmd.name}: ${e.message}\n`);
            return 2;
        }
        if (e instanceof UserError) {
            io.err(`lm-env ${cmd.name}: ${e.message}\n`);
            return e.exitCode;
        }
        io.err(`lm-env ${cmd.name}: ${e.stack ?? String(e)}\n`);
        return 1;
    }
}


/***/ }),

/***/ 280:
/***/ (function(module) {

(function (root) {
    'use strict';
    // A list of regular expressions that match arbitrary IPv4 addresses,
    // for which a number of weird notations exist.
    // Note that an address like 0010.0xa5.1.1 is considered legal.
    const ipv4Part = '(0?\\d+|0x[a-f0-9]+)';
    const ipv4Regexes = {
        fourOctet: new RegExp(`^${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}$`, 'i'),
        threeOctet: new RegExp(`^${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}$`, 'i'),
        twoOctet: new RegExp(`^${ipv4Part}\\.${ipv4Part}$`, 'i'),
        longValue: new RegExp(`^${ipv4Part}$`, 'i')
    };

    // Regular Expression for checking Octal numbers
    const octalRegex = new RegExp(`^0[0-7]+$`, 'i');
    const hexRegex = new RegExp(`^0x[a-f0-9]+$`, 'i');

    const zoneIndex = '%[0-9a-z]{1,}';

    // IPv6-matching regular expressions.
    // For IPv6, the task is simpler: it is enough to match the colon-delimited
    // hexadecimal IPv6 and a transitional variant with dotted-decimal IPv4 at
    // the end.
    const ipv6Part = '(?:[0-9a-f]+::?)+';
    const ipv6Regexes = {
        zoneIndex: new RegExp(zoneIndex, 'i'),
        'native': new RegExp(`^(::)?(${ipv6Part})?([0-9a-f]+)?(::)?(${zoneIndex})?$`, 'i'),
        deprecatedTransitional: new RegExp(`^(?:::)(${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}(${zoneIndex})?)$`, 'i'),
        transitional: new RegExp(`^((?:${ipv6Part})|(?:::)(?:${ipv6Part})?)${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}\\.${ipv4Part}(${zoneIndex})?$`, 'i')
    };

    // Expand :: in an IPv6 address or address part consisting of `parts` groups.
    function expandIPv6 (string, parts) {
        // More than one '::' means invalid address
        if (string.indexOf('::') !== string.lastIndexOf('::')) {
            return null;
        }

        let colonCount = 0;
        let lastColon = -1;
        let zoneId = (string.match(ipv6Regexes.zoneIndex) || [])[0];
        let replacement, replacementCount;

        // Remove zone index and save it for later
        if (zoneId) {
            zoneId = zoneId.substring(1);
            string = string.replace(/%.+$/, '');
        }

        // How many parts do we already have?
        while ((lastColon = string.indexOf(':', lastColon + 1)) >= 0) {
            colonCount++;
        }

        // 0::0 is two parts more than ::
        if (string.substr(0, 2) === '::') {
            colonCount--;
        }

        if (string.substr(-2, 2) === '::') {
            colonCount--;
        }

        // An address must not contain more separators than available parts,
        // and :: must compress at least one part.
        if (colonCount >= parts) {
            return null;
        }

        // replacement = ':' + '0:' * (parts - colonCount)
        replacementCount = parts - colonCount;
        replacement = ':';
        while (replacementCount--) {
            replacement += '0:';
        }

        // Insert the missing zeroes
        string = string.replace('::', replacement);

        // Trim any garbage which may be hanging around if :: was at the edge in
        // the source string
        if (string[0] === ':') {
            string = string.slice(1);
        }

        if (string[string.length - 1] === ':') {
            string = string.slice(0, -1);
        }

        parts = (function () {
            const ref = string.split(':');
            const results = [];

            for (let i = 0; i < ref.length; i++) {
                results.push(ref[i].length > 4 ? NaN : parseInt(ref[i], 16));
            }

            return results;
        })();

        return {
            parts: parts,
            zoneId: zoneId
        };
    }

    // A generic CIDR (Classless Inter-Domain Routing) RFC1518 range matcher.
    function matchCIDR (first, second, partSize, cidrBits) {
        if (first.length !== second.length) {
            throw new Error('ipaddr: cannot match CIDR for objects with different lengths');
        }

        let part = 0;
        let shift;

        while (cidrBits > 0) {
            shift = partSize - cidrBits;
            if (shift < 0) {
                shift = 0;
            }

            if (first[part] >> shift !== second[part] >> shift) {
                return false;
            }

            cidrBits -= partSize;
            part += 1;
        }

        return true;
    }

    function parseIntAuto (string) {
        // Hexadecimal base 16 (0x#)
        if (hexRegex.test(string)) {
            return parseInt(string, 16);
        }
        // While octal representation is discouraged by ECMAScript 3
        // and forbidden by ECMAScript 5, we silently allow it to
        // work only if the rest of the string has numbers less than 8.
        if (string[0] === '0' && !isNaN(parseInt(string[1], 10))) {
        if (octalRegex.test(string)) {
            return parseInt(string, 8);
        }
            throw new Error(`ipaddr: cannot parse ${string} as octal`);
        }
        // Always include the base 10 radix!
        return parseInt(string, 10);
    }

    function padPart (part, length) {
        while (part.length < length) {
            part = `0${part}`;
        }

        return part;
    }

    const ipaddr = {};

    // An IPv4 address (RFC791).
    ipaddr.IPv4 = (function () {
        // Constructs a new IPv4 address from an array of four octets
        // in network order (MSB first)
        // Verifies the input.
        function IPv4 (octets) {
            if (octets.length !== 4) {
                throw new Error('ipaddr: ipv4 octet count should be 4');
            }

            let i, octet;

            for (i = 0; i < octets.length; i++) {
                octet = octets[i];
                if (!((0 <= octet && octet <= 255))) {
                    throw new Error('ipaddr: ipv4 octet should fit in 8 bits');
                }
            }

            this.octets = octets;
        }

        // Special IPv4 address ranges.
        // See also https://en.wikipedia.org/wiki/Reserved_IP_addresses
        IPv4.prototype.SpecialRanges = {
            unspecified: [[new IPv4([0, 0, 0, 0]), 8]],
            broadcast: [[new IPv4([255, 255, 255, 255]), 32]],
            // RFC3171
            multicast: [[new IPv4([224, 0, 0, 0]), 4]],
            // RFC3927
            linkLocal: [[new IPv4([169, 254, 0, 0]), 16]],
            // RFC5735
            loopback: [[new IPv4([127, 0, 0, 0]), 8]],
            // RFC6598
            carrierGradeNat: [[new IPv4([100, 64, 0, 0]), 10]],
            // RFC1918
            'private': [
                [new IPv4([10, 0, 0, 0]), 8],
                [new IPv4([172, 16, 0, 0]), 12],
                [new IPv4([192, 168, 0, 0]), 16]
            ],
            // Reserved and testing-only ranges; RFCs 5735, 5737, 2544, 1700
            reserved: [
                [new IPv4([192, 0, 0, 0]), 24],
                [new IPv4([192, 0, 2, 0]), 24],
                [new IPv4([192, 88, 99, 0]), 24],
                [new IPv4([198, 18, 0, 0]), 15],
                [new IPv4([198, 51, 100, 0]), 24],
                [new IPv4([203, 0, 113, 0]), 24],
                [new IPv4([240, 0, 0, 0]), 4]
            ],
            // RFC7534, RFC7535
            as112: [
                [new IPv4([192, 175, 48, 0]), 24],
                [new IPv4([192, 31, 196, 0]), 24],
            ],
            // RFC7450
            amt: [
                [new IPv4([192, 52, 193, 0]), 24],
            ],
        };

        // The 'kind' method exists on both IPv4 and IPv6 classes.
        IPv4.prototype.kind = function () {
            return 'ipv4';
        };

        // Checks if this address matches other one within given CIDR range.
        IPv4.prototype.match = function (other, cidrRange) {
            let ref;
            if (cidrRange === undefined) {
                ref = other;
                other = ref[0];
                cidrRange = ref[1];
            }

            if (other.kind() !== 'ipv4') {
                throw new Error('ipaddr: cannot match ipv4 address with non-ipv4 one');
            }

            return matchCIDR(this.octets, other.octets, 8, cidrRange);
        };

        // returns a number of leading ones in IPv4 address, making sure that
        // the rest is a solid sequence of 0's (valid netmask)
        // returns either the CIDR length or null if mask is not valid
        IPv4.prototype.prefixLengthFromSubnetMask = function () {
            let cidr = 0;
            // non-zero encountered stop scanning for zeroes
            let stop = false;
            // number of zeroes in octet
            const zerotable = {
                0: 8,
                128: 7,
                192: 6,
                224: 5,
                240: 4,
                248: 3,
                252: 2,
                254: 1,
                255: 0
            };
            let i, octet, zeros;

            for (i = 3; i >= 0; i -= 1) {
                octet = this.octets[i];
                if (octet in zerotable) {
                    zeros = zerotable[octet];
                    if (stop && zeros !== 0) {
                        return null;
                    }

                    if (zeros !== 8) {
                        stop = true;
                    }

                    cidr += zeros;
                } else {
                    return null;
                }
            }

            return 32 - cidr;
        };

        // Checks if the address corresponds to one of the special ranges.
        IPv4.prototype.range = function () {
            return ipaddr.subnetMatch(this, this.SpecialRanges);
        };

        // Returns an array of byte-sized values in network order (MSB first)
        IPv4.prototype.toByteArray = function () {
            return this.octets.slice(0);
        };

        // Converts this IPv4 address to an IPv4-mapped IPv6 address.
        IPv4.prototype.toIPv4MappedAddress = function () {
            return ipaddr.IPv6.parse(`::ffff:${this.toString()}`);
        };

        // Symmetrical method strictly for aligning with the IPv6 methods.
        IPv4.prototype.toNormalizedString = function () {
            return this.toString();
        };

        // Returns the address in convenient, decimal-dotted format.
        IPv4.prototype.toString = function () {
            return this.octets.join('.');
        };

        return IPv4;
    })();

    // A utility function to return broadcast address given the IPv4 interface and prefix length in CIDR notation
    ipaddr.IPv4.broadcastAddressFromCIDR = function (string) {

        try {
            const cidr = this.parseCIDR(string);
            const ipInterfaceOctets = cidr[0].toByteArray();
            const subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            const octets = [];
            let i = 0;
            while (i < 4) {
                // Broadcast address is bitwise OR between ip interface and inverted mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) | parseInt(subnetMaskOctets[i], 10) ^ 255);
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv4 CIDR format', { cause: e });
        }
    };

    // Checks if a given string is formatted like IPv4 address.
    ipaddr.IPv4.isIPv4 = function (string) {
        return this.parser(string) !== null;
    };

    // Checks if a given string is a valid IPv4 address.
    ipaddr.IPv4.isValid = function (string) {
        try {
            new this(this.parser(string));
            return true;
        } catch {
            return false;
        }
    };

    // Checks if a given string is a valid IPv4 address in CIDR notation.
    ipaddr.IPv4.isValidCIDR = function (string) {
        try {
            this.parseCIDR(string);
            return true;
        } catch {
            return false;
        }
    };

    // Checks if a given string is a full four-part IPv4 Address.
    ipaddr.IPv4.isValidFourPartDecimal = function (string) {
        if (ipaddr.IPv4.isValid(string) && string.match(/^(0|[1-9]\d*)(\.(0|[1-9]\d*)){3}$/)) {
            return true;
        } else {
            return false;
        }
    };

    // Checks if a given string is a full four-part IPv4 Address with CIDR prefix.
    ipaddr.IPv4.isValidCIDRFourPartDecimal = function (string) {
        const match = string.match(/^(.+)\/(\d+)$/);

        if (!ipaddr.IPv4.isValidCIDR(string) || !match) {
            return false;
        }

        return ipaddr.IPv4.isValidFourPartDecimal(match[1]);
    };

    // A utility function to return network address given the IPv4 interface and prefix length in CIDR notation
    ipaddr.IPv4.networkAddressFromCIDR = function (string) {
        let cidr, i, ipInterfaceOctets, octets, subnetMaskOctets;

        try {
            cidr = this.parseCIDR(string);
            ipInterfaceOctets = cidr[0].toByteArray();
            subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            octets = [];
            i = 0;
            while (i < 4) {
                // Network address is bitwise AND between ip interface and mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) & parseInt(subnetMaskOctets[i], 10));
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv4 CIDR format', { cause: e });
        }
    };

    // Tries to parse and validate a string with IPv4 address.
    // Throws an error if it fails.
    ipaddr.IPv4.parse = function (string) {
        const parts = this.parser(string);

        if (parts === null) {
            throw new Error('ipaddr: string is not formatted like an IPv4 Address');
        }

        return new this(parts);
    };

    // Parses the string as an IPv4 Address with CIDR Notation.
    ipaddr.IPv4.parseCIDR = function (string) {
        let match;

        if ((match = string.match(/^(.+)\/(\d+)$/))) {
            const maskLength = parseInt(match[2]);
            if (maskLength >= 0 && maskLength <= 32) {
                const parsed = [this.parse(match[1]), maskLength];
                Object.defineProperty(parsed, 'toString', {
                    value: function () {
                        return this.join('/');
                    }
                });
                return parsed;
            }
        }

        throw new Error('ipaddr: string is not formatted like an IPv4 CIDR range');
    };

    // Classful variants (like a.b, where a is an octet, and b is a 24-bit
    // value representing last three octets; this corresponds to a class C
    // address) are omitted due to classless nature of modern Internet.
    ipaddr.IPv4.parser = function (string) {
        let match, part, value;

        // parseInt recognizes all that octal & hexadecimal weirdness for us
        if ((match = string.match(ipv4Regexes.fourOctet))) {
            return (function () {
                const ref = match.slice(1, 6);
                const results = [];

                for (let i = 0; i < ref.length; i++) {
                    part = ref[i];
                    results.push(parseIntAuto(part));
                }

                return results;
            })();
        } else if ((match = string.match(ipv4Regexes.longValue))) {
            value = parseIntAuto(match[1]);
            if (value > 0xffffffff || value < 0) {
                throw new Error('ipaddr: address outside defined range');
            }

            return ((function () {
                const results = [];
                let shift;

                for (shift = 0; shift <= 24; shift += 8) {
                    results.push((value >> shift) & 0xff);
                }

                return results;
            })()).reverse();
        } else if ((match = string.match(ipv4Regexes.twoOctet))) {
            return (function () {
                const ref = match.slice(1, 4);
                const results = [];

                value = parseIntAuto(ref[1]);
                if (value > 0xffffff || value < 0) {
                    throw new Error('ipaddr: address outside defined range');
                }

                results.push(parseIntAuto(ref[0]));
                results.push((value >> 16) & 0xff);
                results.push((value >>  8) & 0xff);
                results.push( value        & 0xff);

                return results;
            })();
        } else if ((match = string.match(ipv4Regexes.threeOctet))) {
            return (function () {
                const ref = match.slice(1, 5);
                const results = [];

                value = parseIntAuto(ref[2]);
                if (value > 0xffff || value < 0) {
                    throw new Error('ipaddr: address outside defined range');
                }

                results.push(parseIntAuto(ref[0]));
                results.push(parseIntAuto(ref[1]));
                results.push((value >> 8) & 0xff);
                results.push( value       & 0xff);

                return results;
            })();
        } else {
            return null;
        }
    };

    // A utility function to return subnet mask in IPv4 format given the prefix length
    ipaddr.IPv4.subnetMaskFromPrefixLength = function (prefix) {
        prefix = parseInt(prefix);
        if (Number.isNaN(prefix) || prefix < 0 || prefix > 32) {
            throw new Error('ipaddr: invalid IPv4 prefix length');
        }

        const octets = [0, 0, 0, 0];
        let j = 0;
        const filledOctetCount = Math.floor(prefix / 8);

        while (j < filledOctetCount) {
            octets[j] = 255;
            j++;
        }

        if (filledOctetCount < 4) {
            octets[filledOctetCount] = Math.pow(2, prefix % 8) - 1 << 8 - (prefix % 8);
        }

        return new this(octets);
    };

    // An IPv6 address (RFC2460)
    ipaddr.IPv6 = (function () {
        // Constructs an IPv6 address from an array of eight 16 - bit parts
        // or sixteen 8 - bit parts in network order(MSB first).
        // Throws an error if the input is invalid.
        function IPv6 (parts, zoneId) {
            let i, part;

            if (parts.length === 16) {
                this.parts = [];
                for (i = 0; i <= 14; i += 2) {
                    this.parts.push((parts[i] << 8) | parts[i + 1]);
                }
            } else if (parts.length === 8) {
                this.parts = parts;
            } else {
                throw new Error('ipaddr: ipv6 part count should be 8 or 16');
            }

            for (i = 0; i < this.parts.length; i++) {
                part = this.parts[i];
                if (!((0 <= part && part <= 0xffff))) {
                    throw new Error('ipaddr: ipv6 part should fit in 16 bits');
                }
            }

            if (zoneId) {
                this.zoneId = zoneId;
            }
        }

        // Special IPv6 ranges
        IPv6.prototype.SpecialRanges = {
            // RFC4291, here and after
            unspecified: [new IPv6([0, 0, 0, 0, 0, 0, 0, 0]), 128],
            linkLocal: [new IPv6([0xfe80, 0, 0, 0, 0, 0, 0, 0]), 10],
            multicast: [new IPv6([0xff00, 0, 0, 0, 0, 0, 0, 0]), 8],
            loopback: [new IPv6([0, 0, 0, 0, 0, 0, 0, 1]), 128],
            uniqueLocal: [new IPv6([0xfc00, 0, 0, 0, 0, 0, 0, 0]), 7],
            ipv4Mapped: [new IPv6([0, 0, 0, 0, 0, 0xffff, 0, 0]), 96],
            // RFC3879
            deprecatedSiteLocal: [new IPv6([0xfec0, 0, 0, 0, 0, 0, 0, 0]), 10],
            // RFC6666
            discard: [new IPv6([0x100, 0, 0, 0, 0, 0, 0, 0]), 64],
            // RFC6145
            rfc6145: [new IPv6([0, 0, 0, 0, 0xffff, 0, 0, 0]), 96],
            rfc6052: [
                // RFC6052
                [new IPv6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0]), 96],
                // RFC8215
                [new IPv6([0x64, 0xff9b, 0x1, 0, 0, 0, 0, 0]), 48],
            ],
            // RFC3056
            '6to4': [new IPv6([0x2002, 0, 0, 0, 0, 0, 0, 0]), 16],
            // RFC6052, RFC6146
            teredo: [new IPv6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 32],
            // RFC5180
            benchmarking: [new IPv6([0x2001, 0x2, 0, 0, 0, 0, 0, 0]), 48],
            // RFC7450
            amt: [new IPv6([0x2001, 0x3, 0, 0, 0, 0, 0, 0]), 32],
            as112v6: [
                // RFC7535
                [new IPv6([0x2001, 0x4, 0x112, 0, 0, 0, 0, 0]), 48],
                // RFC7534
                [new IPv6([0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0]), 48],
            ],
            // RFC4843
            deprecatedOrchid: [new IPv6([0x2001, 0x10, 0, 0, 0, 0, 0, 0]), 28],
            // RFC7343
            orchid2: [new IPv6([0x2001, 0x20, 0, 0, 0, 0, 0, 0]), 28],
            // RFC9374
            droneRemoteIdProtocolEntityTags: [new IPv6([0x2001, 0x30, 0, 0, 0, 0, 0, 0]), 28],
            // RFC9602
            segmentRouting: [new IPv6([0x5f00, 0, 0, 0, 0, 0, 0, 0]), 16],
            reserved: [
                // RFC3849
                [new IPv6([0x2001, 0, 0, 0, 0, 0, 0, 0]), 23],
                // RFC2928
                [new IPv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]), 32],
                // RFC9637
                [new IPv6([0x3fff, 0, 0, 0, 0, 0, 0, 0]), 20],
            ],
        };

        // Checks if this address is an IPv4-mapped IPv6 address.
        IPv6.prototype.isIPv4MappedAddress = function () {
            return this.range() === 'ipv4Mapped';
        };

        // The 'kind' method exists on both IPv4 and IPv6 classes.
        IPv6.prototype.kind = function () {
            return 'ipv6';
        };

        // Checks if this address matches other one within given CIDR range.
        IPv6.prototype.match = function (other, cidrRange) {
            let ref;

            if (cidrRange === undefined) {
                ref = other;
                other = ref[0];
                cidrRange = ref[1];
            }

            if (other.kind() !== 'ipv6') {
                throw new Error('ipaddr: cannot match ipv6 address with non-ipv6 one');
            }

            return matchCIDR(this.parts, other.parts, 16, cidrRange);
        };

        // returns a number of leading ones in IPv6 address, making sure that
        // the rest is a solid sequence of 0's (valid netmask)
        // returns either the CIDR length or null if mask is not valid
        IPv6.prototype.prefixLengthFromSubnetMask = function () {
            let cidr = 0;
            // non-zero encountered stop scanning for zeroes
            let stop = false;
            // number of zeroes in octet
            const zerotable = {
                0: 16,
                32768: 15,
                49152: 14,
                57344: 13,
                61440: 12,
                63488: 11,
                64512: 10,
                65024: 9,
                65280: 8,
                65408: 7,
                65472: 6,
                65504: 5,
                65520: 4,
                65528: 3,
                65532: 2,
                65534: 1,
                65535: 0
            };
            let part, zeros;

            for (let i = 7; i >= 0; i -= 1) {
                part = this.parts[i];
                if (part in zerotable) {
                    zeros = zerotable[part];
                    if (stop && zeros !== 0) {
                        return null;
                    }

                    if (zeros !== 16) {
                        stop = true;
                    }

                    cidr += zeros;
                } else {
                    return null;
                }
            }

            return 128 - cidr;
        };


        // Checks if the address corresponds to one of the special ranges.
        IPv6.prototype.range = function () {
            return ipaddr.subnetMatch(this, this.SpecialRanges);
        };

        // Returns an array of byte-sized values in network order (MSB first)
        IPv6.prototype.toByteArray = function () {
            let part;
            const bytes = [];
            const ref = this.parts;
            for (let i = 0; i < ref.length; i++) {
                part = ref[i];
                bytes.push(part >> 8);
                bytes.push(part & 0xff);
            }

            return bytes;
        };

        // Returns the address in expanded format with all zeroes included, like
        // 2001:0db8:0008:0066:0000:0000:0000:0001
        IPv6.prototype.toFixedLengthString = function () {
            const addr = ((function () {
                const results = [];
                for (let i = 0; i < this.parts.length; i++) {
                    results.push(padPart(this.parts[i].toString(16), 4));
                }

                return results;
            }).call(this)).join(':');

            let suffix = '';

            if (this.zoneId) {
                suffix = `%${this.zoneId}`;
            }

            return addr + suffix;
        };

        // Converts this address to IPv4 address if it is an IPv4-mapped IPv6 address.
        // Throws an error otherwise.
        IPv6.prototype.toIPv4Address = function () {
            if (!this.isIPv4MappedAddress()) {
                throw new Error('ipaddr: trying to convert a generic ipv6 address to ipv4');
            }

            const ref = this.parts.slice(-2);
            const high = ref[0];
            const low = ref[1];

            return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
        };

        // Returns the address in expanded format with all zeroes included, like
        // 2001:db8:8:66:0:0:0:1
        //
        // Deprecated: use toFixedLengthString() instead.
        IPv6.prototype.toNormalizedString = function () {
            const addr = ((function () {
                const results = [];

                for (let i = 0; i < this.parts.length; i++) {
                    results.push(this.parts[i].toString(16));
                }

                return results;
            }).call(this)).join(':');

            let suffix = '';

            if (this.zoneId) {
                suffix = `%${this.zoneId}`;
            }

            return addr + suffix;
        };

        // Returns the address in compact, human-readable format like
        // 2001:db8:8:66::1
        // in line with RFC 5952 (see https://tools.ietf.org/html/rfc5952#section-4)
        IPv6.prototype.toRFC5952String = function () {
            const regex = /((^|:)(0(:|$)){2,})/g;
            // The zone identifier (RFC 4007) is not part of the address; match
            // against the address alone so a trailing zero run right before the
            // "%" suffix still gets compressed (RFC 5952, 4.2.2).
            let suffix = '';
            if (this.zoneId) {
                suffix = `%${this.zoneId}`;
            }
            const normalized = this.toNormalizedString();
            const string = normalized.slice(0, normalized.length - suffix.length);
            let bestMatchIndex = 0;
            let bestMatchLength = -1;
            let bestMatchGroups = -1;
            let match;

            while ((match = regex.exec(string))) {
                // Compare by the number of zero groups, not the matched length:
                // a run that is not at the start carries a leading ":" in the
                // match, so an equal-length run later in the address would
                // otherwise be preferred over the leftmost one (RFC 5952, 4.2.3).
                const groups = (match[0].match(/0/g) || []).length;
                if (groups > bestMatchGroups) {
                    bestMatchGroups = groups;
                    bestMatchIndex = match.index;
                    bestMatchLength = match[0].length;
                }
            }

            if (bestMatchLength < 0) {
                return string + suffix;
            }

            return `${string.substring(0, bestMatchIndex)}::${string.substring(bestMatchIndex + bestMatchLength)}${suffix}`;
        };

        // Returns the address in compact, human-readable format like
        // 2001:db8:8:66::1
        // Calls toRFC5952String under the hood.
        IPv6.prototype.toString = function () {
            return this.toRFC5952String();
        };

        return IPv6;

    })();

    // A utility function to return broadcast address given the IPv6 interface and prefix length in CIDR notation
    ipaddr.IPv6.broadcastAddressFromCIDR = function (string) {
        try {
            const cidr = this.parseCIDR(string);
            const ipInterfaceOctets = cidr[0].toByteArray();
            const subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            const octets = [];
            let i = 0;
            while (i < 16) {
                // Broadcast address is bitwise OR between ip interface and inverted mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) | parseInt(subnetMaskOctets[i], 10) ^ 255);
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv6 CIDR format', { cause: e });
        }
    };

    // Checks if a given string is formatted like IPv6 address.
    ipaddr.IPv6.isIPv6 = function (string) {
        return this.parser(string) !== null;
    };

    // Checks to see if string is a valid IPv6 Address
    ipaddr.IPv6.isValid = function (string) {

        // Since IPv6.isValid is always called first, this shortcut
        // provides a substantial performance gain.
        if (typeof string === 'string' && string.indexOf(':') === -1) {
            return false;
        }

        try {
            const addr = this.parser(string);
            new this(addr.parts, addr.zoneId);
            return true;
        } catch {
            return false;
        }
    };

    // Checks if a given string is a valid IPv6 address in CIDR notation.
    ipaddr.IPv6.isValidCIDR = function (string) {

        // See note in IPv6.isValid
        if (typeof string === 'string' && string.indexOf(':') === -1) {
            return false;
        }

        try {
            this.parseCIDR(string);
            return true;
        } catch {
            return false;
        }
    };

    // A utility function to return network address given the IPv6 interface and prefix length in CIDR notation
    ipaddr.IPv6.networkAddressFromCIDR = function (string) {
        let cidr, i, ipInterfaceOctets, octets, subnetMaskOctets;

        try {
            cidr = this.parseCIDR(string);
            ipInterfaceOctets = cidr[0].toByteArray();
            subnetMaskOctets = this.subnetMaskFromPrefixLength(cidr[1]).toByteArray();
            octets = [];
            i = 0;
            while (i < 16) {
                // Network address is bitwise AND between ip interface and mask
                octets.push(parseInt(ipInterfaceOctets[i], 10) & parseInt(subnetMaskOctets[i], 10));
                i++;
            }

            return new this(octets);
        } catch (e) {
            throw new Error('ipaddr: the address does not have IPv6 CIDR format', { cause: e });
        }
    };

    // Tries to parse and validate a string with IPv6 address.
    // Throws an error if it fails.
    ipaddr.IPv6.parse = function (string) {
        const addr = this.parser(string);

        if (addr === null) {
            throw new Error('ipaddr: string is not formatted like an IPv6 Address');
        }

        return new this(addr.parts, addr.zoneId);
    };

    ipaddr.IPv6.parseCIDR = function (string) {
        let maskLength, match, parsed;

        if ((match = string.match(/^(.+)\/(\d+)$/))) {
            maskLength = parseInt(match[2]);
            if (maskLength >= 0 && maskLength <= 128) {
                parsed = [this.parse(match[1]), maskLength];
                Object.defineProperty(parsed, 'toString', {
                    value: function () {
                        return this.join('/');
                    }
                });
                return parsed;
            }
        }

        throw new Error('ipaddr: string is not formatted like an IPv6 CIDR range');
    };

    // Parse an IPv6 address.
    ipaddr.IPv6.parser = function (string) {
        let addr, i, match, octet, octets, zoneId;

        if ((match = string.match(ipv6Regexes.deprecatedTransitional))) {
            return this.parser(`::ffff:${match[1]}`);
        }
        if (ipv6Regexes.native.test(string)) {
            return expandIPv6(string, 8);
        }
        if ((match = string.match(ipv6Regexes.transitional))) {
            zoneId = match[6] || '';
            addr = match[1]
            if (!match[1].endsWith('::')) {
                addr = addr.slice(0, -1)
            }
            addr = expandIPv6(addr + zoneId, 6);
            if (addr && addr.parts) {
                octets = [
                    parseInt(match[2]),
                    parseInt(match[3]),
                    parseInt(match[4]),
                    parseInt(match[5])
                ];
                for (i = 0; i < octets.length; i++) {
                    octet = octets[i];
                    if (!((0 <= octet && octet <= 255))) {
                        return null;
                    }
                }

                addr.parts.push(octets[0] << 8 | octets[1]);
                addr.parts.push(octets[2] << 8 | octets[3]);
                return {
                    parts: addr.parts,
                    zoneId: addr.zoneId
                };
            }
        }

        return null;
    };

    // A utility function to return subnet mask in IPv6 format given the prefix length
    ipaddr.IPv6.subnetMaskFromPrefixLength = function (prefix) {
        prefix = parseInt(prefix);
        if (Number.isNaN(prefix) || prefix < 0 || prefix > 128) {
            throw new Error('ipaddr: invalid IPv6 prefix length');
        }

        const octets = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let j = 0;
        const filledOctetCount = Math.floor(prefix / 8);

        while (j < filledOctetCount) {
            octets[j] = 255;
            j++;
        }

        if (filledOctetCount < 16) {
            octets[filledOctetCount] = Math.pow(2, prefix % 8) - 1 << 8 - (prefix % 8);
        }

        return new this(octets);
    };

    // Try to parse an array in network order (MSB first) for IPv4 and IPv6
    ipaddr.fromByteArray = function (bytes) {
        const length = bytes.length;

        if (length === 4) {
            return new ipaddr.IPv4(bytes);
        } else if (length === 16) {
            return new ipaddr.IPv6(bytes);
        } else {
            throw new Error('ipaddr: the binary input is neither an IPv6 nor IPv4 address');
        }
    };

    // Checks if the address is valid IP address
    ipaddr.isValid = function (string) {
        return ipaddr.IPv6.isValid(string) || ipaddr.IPv4.isValid(string);
    };

    // Checks if the address is valid IP address in CIDR notation
    ipaddr.isValidCIDR = function (string) {
        return ipaddr.IPv6.isValidCIDR(string) || ipaddr.IPv4.isValidCIDR(string);
    };


    // Attempts to parse an IP Address, first through IPv6 then IPv4.
    // Throws an error if it could not be parsed.
    ipaddr.parse = function (string) {
        if (ipaddr.IPv6.isValid(string)) {
            return ipaddr.IPv6.parse(string);
        } else if (ipaddr.IPv4.isValid(string)) {
            return ipaddr.IPv4.parse(string);
        } else {
            throw new Error('ipaddr: the address has neither IPv6 nor IPv4 format');
        }
    };

    // Attempt to parse CIDR notation, first through IPv6 then IPv4.
    // Throws an error if it could not be parsed.
    ipaddr.parseCIDR = function (string) {
        try {
            return ipaddr.IPv6.parseCIDR(string);
        } catch {
            try {
                return ipaddr.IPv4.parseCIDR(string);
            } catch (e) {
                throw new Error('ipaddr: the address has neither IPv6 nor IPv4 CIDR format', { cause: e });
            }
        }
    };

    // Parse an address and return plain IPv4 address if it is an IPv4-mapped address
    ipaddr.process = function (string) {
        const addr = this.parse(string);

        if (addr.kind() === 'ipv6' && addr.isIPv4MappedAddress()) {
            return addr.toIPv4Address();
        } else {
            return addr;
        }
    };

    // An utility function to ease named range matching. See examples below.
    // rangeList can contain both IPv4 and IPv6 subnet entries and will not throw errors
    // on matching IPv4 addresses to IPv6 ranges or vice versa.
    ipaddr.subnetMatch = function (address, rangeList, defaultName) {
        let i, rangeName, rangeSubnets, subnet;

        if (defaultName === undefined || defaultName === null) {
            defaultName = 'unicast';
        }

        for (rangeName in rangeList) {
            if (Object.prototype.hasOwnProperty.call(rangeList, rangeName)) {
                rangeSubnets = rangeList[rangeName];
                // ECMA5 Array.isArray isn't available everywhere
                if (rangeSubnets[0] && !(rangeSubnets[0] instanceof Array)) {
                    rangeSubnets = [rangeSubnets];
                }

                for (i = 0; i < rangeSubnets.length; i++) {
                    subnet = rangeSubnets[i];
                    if (address.kind() === subnet[0].kind() && address.match.apply(address, subnet)) {
                        return rangeName;
                    }
                }
            }
        }

        return defaultName;
    };

    // Export for both the CommonJS and browser-like environment
    if ( true && module.exports) {
        module.exports = ipaddr;

    } else {
        root.ipaddr = ipaddr;
    }

}(this));


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
