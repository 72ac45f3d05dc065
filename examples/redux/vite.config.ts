import { defineConfig } from "vite";

// Nothing here is needed for the library. The example keeps Redux Toolkit's serializability and
// immutability checks (and React's own warnings) in its build: they run in development builds
// only, and the consumer tests assert they report nothing while the store mirrors the gateway.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic" } },
  define: { "process.env.NODE_ENV": JSON.stringify("development") },
});
