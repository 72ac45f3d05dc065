// @ts-check
// File-size limits of the library's sources (issue 19), checked by `npm run structure`
// (scripts/structure.ts) and not by `npm run lint`. Lines are counted as `wc -l` does:
// blank lines and comments included. Inline `eslint-disable` comments cannot lift a limit.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      // Tests and their helpers.
      "**/*.test.ts",
      "**/*.test.tsx",
      "**/test/**",
      // The types-only contract files: closed unions that grow with the protocol.
      "src/protocol/*.ts",
      "src/shared/tabProtocol.ts",
    ],
  },
  {
    files: ["src/**/*.ts", "src/**/*.tsx", "worker/**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
    rules: { "max-lines": ["error", { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    // The two central files: under 250 lines.
    files: ["worker/hub.ts", "src/client/connectGateway.ts"],
    rules: { "max-lines": ["error", { max: 249, skipBlankLines: false, skipComments: false }] },
  },
);
