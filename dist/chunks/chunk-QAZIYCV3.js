import { createRequire as __rollgateRequire } from 'node:module'; import { fileURLToPath as __rollgateFileURLToPath } from 'node:url'; const require = __rollgateRequire(import.meta.url); const __filename = __rollgateFileURLToPath(import.meta.url); const __dirname = __rollgateFileURLToPath(new URL('.', import.meta.url));

// src/config/suggest.ts
function didYouMean(word, candidates) {
  let folded = fold(word), best, bestDistance = 1 / 0;
  for (let candidate of candidates) {
    if (fold(candidate) === folded) return candidate;
    let d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    d < bestDistance && (best = candidate, bestDistance = d);
  }
  let allowed = word.length >= 6 ? 2 : 1;
  return bestDistance <= allowed ? best : void 0;
}
function suggestion(word, candidates) {
  let match = didYouMean(word, candidates);
  return match === void 0 ? "" : ` (did you mean "${match}"?)`;
}
function fold(s) {
  return s.toLowerCase().replace(/[-_\s]/g, "");
}
function editDistance(a, b) {
  let rows = a.length + 1, cols = b.length + 1, d = new Array(rows * cols).fill(0), at = (i, j) => d[i * cols + j];
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      let cost = a[i - 1] === b[j - 1] ? 0 : 1, v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] && (v = Math.min(v, at(i - 2, j - 2) + 1)), d[i * cols + j] = v;
    }
  return at(a.length, b.length);
}

export {
  suggestion
};
