import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));

/** The example apps under examples/, each built by its own bundler. */
export type ExampleName = "vite-react" | "webpack" | "nextjs" | "redux" | "react16";

/** Runs a command in `cwd`; a failure carries the command's output. */
async function sh(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(" ")} failed in ${cwd}:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`,
      { cause: error },
    );
  }
}

/** Builds this repository and `npm pack`s it into `dir`; returns the tarball. */
export async function packLibrary(dir: string): Promise<string> {
  await sh(repo, "npm", ["run", "build", "--silent"]);
  const out = await sh(repo, "npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir]);
  const [info] = JSON.parse(out) as { filename: string }[];
  if (!info) throw new Error("npm pack reported no tarball");
  return join(dir, info.filename);
}

/** The tarball's file list (paths inside `package/`). */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const out = await sh(repo, "tar", ["-tzf", tarball]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => line.replace(/^package\//, ""));
}

/**
 * Copies examples/NAME into `dir` and installs it with the library from `tarball`, as an app
 * would install the published package: a fresh node_modules, dependencies from the registry.
 */
export async function installExample(name: ExampleName, tarball: string, dir: string): Promise<string> {
  const app = join(dir, name);
  await cp(join(repo, "examples", name), app, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist)$/.test(source),
  });
  const manifestPath = join(app, "package.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies["@architus/gateway-connection"] = `file:${tarball}`;
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  await sh(app, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]);
  return app;
}

/** Runs a binary of the app's own node_modules (its vite, webpack, next, tsc). */
export const runBin = (app: string, bin: string, args: string[]) =>
  sh(app, join(app, "node_modules", ".bin", bin), args, {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  });

/** Runs an ES module script with Node in the app's folder (so it resolves the app's packages). */
export const runNode = (app: string, script: string) =>
  sh(app, process.execPath, ["--input-type=module", "-e", script]);

/** Runs a binary of this repository's node_modules (e.g. publint). */
export const runRepoBin = (bin: string, args: string[]) =>
  sh(repo, join(repo, "node_modules", ".bin", bin), args);

/** Imports a package's ESM entry from the app's own node_modules (e.g. its `vite`). */
export async function importFrom<T>(app: string, specifier: string): Promise<T> {
  type Target = string | { import?: Target; default?: Target };
  const root = join(app, "node_modules", specifier);
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
    exports?: Target | Record<string, Target>;
    module?: string;
    main?: string;
  };
  const pick = (target: Target | undefined): string | undefined =>
    typeof target === "string" ? target : target && pick(target.import ?? target.default);
  const exported =
    typeof manifest.exports === "object" && "." in manifest.exports
      ? (manifest.exports as Record<string, Target>)["."]
      : (manifest.exports as Target | undefined);
  const file = pick(exported) ?? manifest.module ?? manifest.main;
  if (!file) throw new Error(`no ESM entry in ${specifier}`);
  return (await import(pathToFileURL(join(root, file)).href)) as T;
}

/** Every .js file under `dir`, with its raw and gzip sizes. */
export async function jsFiles(dir: string): Promise<{ path: string; bytes: number; gzip: number }[]> {
  const files: { path: string; bytes: number; gzip: number }[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if (extname(path) !== ".js" || !(await stat(path)).isFile()) continue;
    const content = await readFile(path);
    files.push({ path, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length });
  }
  return files;
}

export interface StaticServer {
  url: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".css": "text/css",
};

/** Serves a production build from `root` on 127.0.0.1 (index.html for `/`), logging every path. */
export async function serveStatic(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    if (!file.startsWith(resolve(root))) return void res.writeHead(403).end();
    readFile(file).then(
      (body) =>
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** A scratch folder for packing and installing; removed by `dispose`. */
export async function scratch(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "architus-consumers-"));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
