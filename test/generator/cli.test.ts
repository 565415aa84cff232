// The CLI is thin: argv maps to one function call; user errors print one line (exit 1), anything
// else prints its stack (exit 2).
import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { UserError } from '../../generator/errors.js';

const generate = vi.fn();
vi.mock('../../generator/commands/generate.js', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  generate: (...args: unknown[]) => generate(...args),
}));
const { main } = await import('../../generator/cli.js');

let stdout: string[];
let stderr: string[];
beforeEach(() => {
  stdout = [];
  stderr = [];
  generate.mockReset().mockReturnValue({ charts: ['restaurant-app'], files: 17 });
  vi.spyOn(console, 'log').mockImplementation((...parts) => void stdout.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...parts) => void stderr.push(parts.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('chartkit generate', () => {
  it.each([
    [['generate'], { check: false, charts: undefined }],
    [['generate', '--check'], { check: true, charts: undefined }],
    [['generate', '--chart', 'restaurant-app'], { check: false, charts: ['restaurant-app'] }],
    [['generate', '--check', '--chart', 'a', '--chart', 'b'], { check: true, charts: ['a', 'b'] }],
  ])('should map %j to generate(%j)', async (argv, expected) => {
    expect(await main(argv)).toBe(0);
    expect(generate).toHaveBeenCalledWith(expected);
  });

  it('should print a user error as one line and exit 1', async () => {
    generate.mockImplementation(() => {
      throw new UserError('unknown chart nope: choose from restaurant-app');
    });
    expect(await main(['generate', '--chart', 'nope'])).toBe(1);
    expect(stderr).toEqual(['chartkit: unknown chart nope: choose from restaurant-app']);
  });

  it('should treat an unknown flag as a user error', async () => {
    expect(await main(['generate', '--chek'])).toBe(1);
    expect(stderr.join('\n')).toMatch(/Unknown option '--chek'/);
    expect(generate).not.toHaveBeenCalled();
  });

  it('should treat an unknown command as a user error', async () => {
    expect(await main(['genrate'])).toBe(1);
    expect(stderr.join('\n')).toContain('unknown command "genrate"');
  });

  it('should print the stack of an internal error and exit 2', async () => {
    generate.mockImplementation(() => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(await main(['generate'])).toBe(2);
    expect(stderr.join('\n')).toMatch(/this is a bug[\s\S]*TypeError: cannot read properties of undefined\n\s+at /);
  });
});

describe('chartkit help', () => {
  it.each(['generate', 'lint', 'publish', 'bump', 'upstream'])('should print the usage of %s for --help and exit 0', async (command) => {
    expect(await main([command, '--help'])).toBe(0);
    expect(stdout.join('\n')).toMatch(new RegExp(`^usage: chartkit ${command} `));
    expect(generate).not.toHaveBeenCalled();
  });

  it('should list every command for chartkit --help', async () => {
    expect(await main(['--help'])).toBe(0);
    for (const command of ['generate', 'lint', 'publish', 'bump', 'upstream']) expect(stdout.join('\n')).toContain(`chartkit ${command} `);
  });
});
