// Kubernetes resource quantities ('500m', '2', '16Mi', '1.5Gi', '1e3') as plain numbers, and back to text.
// Written here because client-node's quantityToScalar returns number | bigint and throws on '1.5Gi'.

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The value of a quantity: cores for CPU, bytes for memory. Throws naming the bad text. */
export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const m = QUANTITY.exec(text.trim());
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(text)}`);
  return Number(m[1]) * SUFFIXES[m[2] ?? '']!;
}

export function milliCpu(text: string | number | undefined): number {
  return text === undefined ? 0 : Math.round(parseQuantity(text) * 1000);
}

export function bytes(text: string | number | undefined): number {
  return text === undefined ? 0 : Math.round(parseQuantity(text));
}

/** CPU in the form Kubernetes prints it: whole cores as '2', otherwise millicores '1500m'. */
export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Memory in the largest binary unit that divides it: '16Mi', '4Gi', '1000'. */
export function formatBytes(n: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    const size = SUFFIXES[unit]!;
    if (n !== 0 && n % size === 0) return `${n / size}${unit}`;
  }
  return String(n);
}
