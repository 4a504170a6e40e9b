// rollgate's own version, stamped into the bundle by scripts/build.mjs from package.json.
declare const __ROLLGATE_VERSION__: string | undefined;

export const VERSION: string = typeof __ROLLGATE_VERSION__ === 'string' ? __ROLLGATE_VERSION__ : '0.0.0-dev';
