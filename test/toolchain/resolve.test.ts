// The one resolver of the project's binaries: an override that points nowhere fails with how to
// get the tool, the same way for every tool.
import { describe, it, expect } from 'vitest';
import { resolveTool, type ToolName } from '../helpers/tools.js';
import { tools } from '../../generator/paths.mjs';

describe('resolveTool', () => {
  it.each(['promtool', 'amtool', 'registry'] as const)('should fail for %s with the how-to when the override points nowhere', (tool: ToolName) => {
    // GIVEN the tool's override naming a file that does not exist
    const variable = tools[tool].env;
    const saved = process.env[variable];
    process.env[variable] = `/nonexistent/${tool}`;
    try {
      // WHEN the tool is resolved THEN the error says how to get it
      expect(() => resolveTool(tool)).toThrow(`run \`npm run setup\` (node scripts/install-tools.mjs ${tool}) or set ${variable}`);
    } finally {
      if (saved === undefined) delete process.env[variable];
      else process.env[variable] = saved;
    }
  });
});
