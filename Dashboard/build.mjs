// Bundles the pages' TypeScript with esbuild and copies the HTML and CSS into the silo's wwwroot.
// Run by the silo's build (Silo/Routing.Silo/Routing.Silo.csproj) after `npm ci`; nothing is loaded from a CDN.
import { build } from "esbuild";
import { cp, mkdir, rm } from "node:fs/promises";

const out = new URL("../Silo/Routing.Silo/wwwroot/", import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(new URL("assets/", out), { recursive: true });

await build({
  entryPoints: {
    dashboard: "src/dashboard/main.ts",
    desk: "src/desk/main.ts",
    chat: "src/chat/main.ts",
  },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  outdir: new URL("assets/", out).pathname,
  logLevel: "warning",
});
// The embeddable widget: a classic script (no module) that a business includes with one <script> tag.
await build({
  entryPoints: ["src/chat/embed.ts"],
  bundle: true,
  format: "iife",
  target: "es2020",
  minify: true,
  outfile: new URL("embed.js", out).pathname,
  logLevel: "warning",
});
for (const page of ["dashboard.html", "desk.html", "chat.html"]) {
  await cp(new URL(`pages/${page}`, import.meta.url), new URL(page, out));
}
await cp(new URL("pages/app.css", import.meta.url), new URL("assets/app.css", out));
await cp(new URL("pages/icon.svg", import.meta.url), new URL("assets/icon.svg", out));
await cp(new URL("node_modules/uplot/dist/uPlot.min.css", import.meta.url), new URL("assets/uPlot.min.css", out));
