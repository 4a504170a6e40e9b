// GitHub Action entry (placeholder until wired).
export {};
