// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  // The example apps run in the browser; their build configs in Node.
  { files: ["examples/*/src/**/*.{js,ts,tsx}"], languageOptions: { globals: globals.browser } },
  { files: ["examples/*/*.{js,mjs,ts}", "scripts/**/*.mjs"], languageOptions: { globals: globals.node } },
  {
    files: [
      "demo/gateway/main.ts",
      "demo/*.ts",
      "bench/**/*.ts",
      "e2e/**/*.spec.ts",
      "e2e/figures.ts",
      "e2e/engines/figures.ts",
      "scripts/**/*.ts",
    ],
    rules: { "no-console": "off" },
  },
);
