// ESLint 10 flat config: the recommended JavaScript rules plus typescript-eslint's
// recommended set (syntax-only, no type information, so it stays fast).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Generated or built output, and the other apps' own tooling.
    ignores: [
      "**/node_modules/",
      "**/dist/",
      "**/build/",
      "**/.wrangler/",
      "**/.svelte-kit/",
      "**/coverage/",
      "test-artifacts/",
      "migrations/",
      "worker-configuration.d.ts",
      ".worker-configuration.*.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Scripts, benchmarks and tool configs run in Node.
    files: ["**/*.{js,mjs,cjs}", "**/*.config.ts"],
    languageOptions: { globals: globals.node },
  },
  {
    // The dashboard's code and its browser tests (page.evaluate callbacks run in the page).
    files: ["apps/web/**/*.{js,mjs,ts}"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in signatures, destructuring).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
);
