#!/usr/bin/env node
// The `vae` command. The sources are TypeScript; tsx compiles them on load (cached),
// so the command always runs the code in src/ without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
