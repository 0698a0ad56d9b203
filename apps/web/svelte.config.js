import adapter from "@sveltejs/adapter-cloudflare";
import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    // Pages build (wrangler.toml's pages_build_output_dir). In `vite dev` the platform proxy reads the
    // same file's top level, which has no service binding, so dev talks to API_URL over HTTP.
    adapter: adapter({ config: "wrangler.toml" }),
    // Kit adds a nonce (or hash) for its own inline bootstrap script; nothing else runs inline,
    // nothing loads from elsewhere, and no other site may frame the sign-in form.
    csp: {
      mode: "auto",
      directives: {
        "default-src": ["self"],
        "script-src": ["self"],
        "style-src": ["self", "unsafe-inline"],
        "img-src": ["self", "data:"],
        "connect-src": ["self"],
        "form-action": ["self"],
        "frame-ancestors": ["none"],
        "base-uri": ["self"],
        "object-src": ["none"],
      },
    },
  },
};

export default config;
