// The entrypoint handed to @github/local-action. local-action imports an entrypoint and calls the run() it exports;
// src/index.ts, like dist/index.js on a runner, does its work when it is loaded and tells main from post by the
// state the main step saved. So each run() loads it afresh (a new module instance per step, as the runner starts a
// new node for each step), and local-action's @actions/core stub, shared by both steps, carries the state across.
let step = 0;

export async function run(): Promise<void> {
  step += 1;
  await import(`../../src/index.ts?step=${step}`);
}
