// Types for paths.mjs, so the TypeScript modules and tests can import it.

/** The repository root. */
export declare const repoRoot: string;

/** The git-ignored folder that holds every extracted tool. */
export declare const toolsDir: string;

/** Where the install step puts a tool and which environment variable overrides it. */
export interface ToolLocation {
  /** Absolute path of the extracted binary under .tools/. */
  readonly bin: string;
  /** Name of the environment variable that points at a binary the user provides instead. */
  readonly env: string;
}

/** Every tool the project needs. */
export declare const tools: {
  readonly helm3: ToolLocation;
  readonly helm4: ToolLocation;
  readonly promtool: ToolLocation;
  readonly registry: ToolLocation;
  readonly amtool: ToolLocation;
};
