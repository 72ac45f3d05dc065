/**
 * `npm run structure`: the structure checks of issue 19, apart from `npm run lint`.
 *
 * - No import cycle among the files of src/, worker/ and demo/: tests and test helpers
 *   included, type-only imports (`import type`) included, dynamic `import()` included. dpdm
 *   reads the imports with TypeScript's own parser and follows them wherever they lead.
 * - No library source over its line limit: ESLint's `max-lines` per file group, configured in
 *   eslint.structure.config.js (300 lines; 249 for the two central files), where the exempt
 *   files (tests, the types-only contract files) are listed too. A file the config names
 *   that does not exist (moved, renamed) is an offender as well, so a limit is never dropped
 *   without anyone noticing.
 *
 * Prints every offender and exits 1 when there is any. `npm test` runs it after the lint.
 */
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseCircular, parseDependencyTree } from "dpdm";
import { ESLint } from "eslint";

const root = fileURLToPath(new URL("..", import.meta.url));
const CYCLE_ROOTS = ["src/**/*.{ts,tsx}", "worker/**/*.ts", "demo/**/*.{ts,tsx}"];
const SIZE_CONFIG = "eslint.structure.config.js";
const SIZE_ROOTS = ["src", "worker"];

/** Every import cycle, each as `a -> b -> a`, paths relative to the repository. */
async function importCycles(): Promise<string[]> {
  const tree = await parseDependencyTree(CYCLE_ROOTS, {
    cwd: root,
    context: root,
    transform: false,
    skipDynamicImports: false,
  });
  return parseCircular(tree).map((cycle) => [...cycle, cycle[0]].join(" -> "));
}

/** Files named in the size config (no glob) that are not there. */
async function staleNames(): Promise<string[]> {
  const url = pathToFileURL(resolve(root, SIZE_CONFIG)).href;
  const config = ((await import(url)) as { default: { files?: unknown[] }[] }).default;
  const named = config.flatMap((entry) => (entry.files ?? []).flat()).filter((f) => typeof f === "string");
  return named
    .filter((file) => !/[*?{[]/.test(file) && !existsSync(resolve(root, file)))
    .map((file) => `${SIZE_CONFIG} names ${file}, which does not exist (moved? update the config)`);
}

/** Files over their `max-lines` limit (and any file ESLint could not parse). */
async function oversizedFiles(): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: resolve(root, SIZE_CONFIG) });
  const results = await eslint.lintFiles(SIZE_ROOTS);
  return results.flatMap((result) =>
    result.messages
      // Only the limits: notes about inline directives (which the config disables) are not offences.
      .filter((m) => m.ruleId === "max-lines" || m.fatal === true)
      .map((m) => `${relative(root, result.filePath)}: ${m.message}`),
  );
}

const started = performance.now();
const [cycles, stale, oversized] = await Promise.all([importCycles(), staleNames(), oversizedFiles()]);
const report = (title: string, lines: string[]) => {
  console.log(`${lines.length === 0 ? "ok  " : "FAIL"} ${title}: ${lines.length}`);
  for (const line of lines) console.log(`       ${line}`);
};
report("import cycles in src/, worker/, demo/ (type-only imports and tests included)", cycles);
report(`files over their line limit (${SIZE_CONFIG})`, [...stale, ...oversized]);
const failed = cycles.length + stale.length + oversized.length > 0;
console.log(
  `structure: ${failed ? "FAILED" : "passed"} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exitCode = failed ? 1 : 0;
