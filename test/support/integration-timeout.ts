// `testTimeout` is a global option that jest ignores inside a project, so the integration project sets
// its own: provisioning a stack in moto and waiting out the stall tests take seconds on a loaded machine.
jest.setTimeout(120_000);
