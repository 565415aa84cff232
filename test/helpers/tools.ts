// The tests resolve binaries with the same resolver as the CLI (generator/toolchain.ts), so an
// override works the same everywhere. A missing tool fails the test with how to get it.
export { resolveTool, resolveHelm, HELM_MAJORS, type HelmMajor, type ToolName } from '../../generator/toolchain.js';
