// Placeholder; the integrator fills in the command table.
export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`rollgate ${argv.join(' ')}\n`);
  return 0;
}
