#!/usr/bin/env node
// The chartkit executable: loads the TypeScript CLI through tsx, which ships as a dependency.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
