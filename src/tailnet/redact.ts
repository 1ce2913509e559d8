/**
 * Removes secrets (auth keys, OAuth secrets, API keys) from text before it is logged or returned in an
 * error: the raw value and the forms it takes when embedded elsewhere — JSON-escaped, URL-encoded and
 * base64 (at each of the three byte alignments, so a secret inside a longer base64 blob is found too).
 */

export const REDACTED = '***';

/** Values shorter than this are not redacted: replacing them would shred ordinary text. */
const MIN_LEN = 6;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Base64 fragments that appear whenever `secret` is base64-encoded inside any longer byte string. */
function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const enc = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // The first group mixes in the padding bytes when offset > 0; the last group may hold what follows.
    const start = offset === 0 ? 0 : 4;
    const tailBytes = (offset + bytes.length) % 3;
    const end = tailBytes === 0 ? enc.length : enc.length - 4;
    const frag = enc.slice(start, end);
    if (frag.length >= 8) {
      out.push(frag, frag.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  // The whole value encoded on its own, with padding.
  const whole = bytes.toString('base64');
  out.push(whole, whole.replace(/=+$/, ''), whole.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  return out;
}

/** Every form of each secret to look for, longest first so a longer form is replaced whole. */
export function secretForms(secrets: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (!s || s.length < MIN_LEN) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
    for (const f of base64Fragments(s)) forms.add(f);
  }
  return [...forms].filter((f) => f.length >= MIN_LEN).sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: Iterable<string>): string {
  const forms = secretForms(secrets);
  if (forms.length === 0) return text;
  return text.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'g'), REDACTED);
}

/** A redactor bound to a growing set of secrets (minted keys are added as they appear). */
export class Redactor {
  private readonly secrets = new Set<string>();
  constructor(initial: Iterable<string> = []) {
    for (const s of initial) this.add(s);
  }
  add(secret: string): void {
    if (secret) this.secrets.add(secret);
  }
  redact(text: string): string {
    return redact(text, this.secrets);
  }
}
