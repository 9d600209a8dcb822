// The spec-driven mock server used by the contract tests and `cargo xtask demo`.
//
// Starts Stoplight Prism (installed by xtask into target/prism) on a free port of 127.0.0.1 and
// puts a small forwarding proxy in front of it, because Prism serves the spec's paths at the root
// and ignores `servers`: the proxy strips a leading `/v2` (not `/cluster/v2`, which the spec
// spells out in full) and forwards everything else unchanged, headers included.
//
// The proxy listens on two ports: on the "static" one Prism answers with the spec's examples; on
// the "dynamic" one the proxy adds `Prefer: dynamic=true`, so Prism generates schema-valid random
// responses (deterministic for a given --seed and request order).
//
// Every exchange is appended to the --log file (JSON lines) before the response is delivered, with
// the violations Prism reports in its `sl-violations` header.
//
// Prints `READY <static port> <dynamic port>` on stdout once Prism answers. Shuts Prism down and
// exits when stdin closes (the parent process ended, however it ended), on SIGTERM/SIGINT, or
// when Prism exits.
//
// Usage: node serve.mjs --prism-dir DIR --spec FILE --log FILE [--seed N] [--host H]

import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
    return acc;
  }, []),
);
for (const required of ["prism-dir", "spec", "log"]) {
  if (!args[required]) {
    console.error(`serve.mjs: --${required} is required`);
    process.exit(2);
  }
}
const host = args.host ?? "127.0.0.1";
const seed = args.seed ?? "1";
const prismCli = path.join(args["prism-dir"], "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
const logFile = args.log;
fs.writeFileSync(logFile, "");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = http.createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let prism;
let shuttingDown = false;
function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  try {
    fs.unlinkSync(logFile);
  } catch {
    // already gone
  }
  if (prism && prism.exitCode === null && prism.signalCode === null) {
    prism.once("exit", () => process.exit(code));
    prism.kill("SIGTERM");
    setTimeout(() => {
      prism.kill("SIGKILL");
      process.exit(code);
    }, 3000).unref();
  } else {
    process.exit(code);
  }
}
process.stdin.on("end", () => shutdown(0));
process.stdin.on("error", () => shutdown(0));
process.stdin.resume();
process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));

const prismPort = await freePort();
prism = spawn(
  process.execPath,
  [prismCli, "mock", "-h", host, "-p", String(prismPort), "--seed", seed, "-v", "error", args.spec],
  { stdio: ["ignore", "ignore", "inherit"] },
);
prism.on("exit", (code, signal) => {
  if (!shuttingDown) {
    console.error(`serve.mjs: prism exited (code ${code}, signal ${signal})`);
    shutdown(1);
  }
});

function violations(headers) {
  const raw = headers["sl-violations"];
  if (!raw) return [];
  try {
    return JSON.parse(raw);
  } catch {
    return [{ location: [], severity: "Error", code: "unparsed", message: String(raw) }];
  }
}

function proxy(mode) {
  return http.createServer((req, res) => {
    const upstreamPath = req.url === "/v2" || req.url.startsWith("/v2/") || req.url.startsWith("/v2?")
      ? req.url.slice(3) || "/"
      : req.url;
    const headers = { ...req.headers, host: `${host}:${prismPort}` };
    if (mode === "dynamic") headers.prefer = "dynamic=true";
    const upstream = http.request(
      { host, port: prismPort, method: req.method, path: upstreamPath, headers },
      (up) => {
        const chunks = [];
        up.on("data", (c) => chunks.push(c));
        up.on("end", () => {
          const body = Buffer.concat(chunks);
          let found = violations(up.headers);
          // Without a 400 response in the spec, Prism answers an invalid request with its own
          // 422 and lists the violations in the body (`validation`), not in the header.
          if (up.statusCode === 422) {
            try {
              const problem = JSON.parse(body.toString("utf8"));
              if (Array.isArray(problem.validation)) {
                found = found.concat(
                  problem.validation.map((v) => ({ ...v, location: ["request", ...(v.location ?? [])] })),
                );
              }
            } catch {
              // not JSON: nothing to add
            }
          }
          const entry = {
            mode,
            method: req.method,
            path: req.url,
            status: up.statusCode,
            userAgent: req.headers["user-agent"] ?? "",
            contentType: up.headers["content-type"] ?? "",
            violations: found,
            body: up.statusCode >= 400 ? body.toString("utf8").slice(0, 500) : undefined,
          };
          fs.appendFileSync(logFile, JSON.stringify(entry) + "\n");
          const out = { ...up.headers };
          delete out["transfer-encoding"];
          out["content-length"] = String(body.length);
          res.writeHead(up.statusCode ?? 502, out);
          res.end(body);
        });
      },
    );
    upstream.on("error", (e) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`mock proxy: ${e.message}`);
    });
    req.pipe(upstream);
  });
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve(server.address().port));
  });
}

async function prismAnswers() {
  return new Promise((resolve) => {
    const r = http.get({ host, port: prismPort, path: "/topology", timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    r.on("error", () => resolve(false));
    r.on("timeout", () => {
      r.destroy();
      resolve(false);
    });
  });
}

const staticPort = await listen(proxy("static"));
const dynamicPort = await listen(proxy("dynamic"));
while (!(await prismAnswers())) {
  if (shuttingDown) break;
  await new Promise((r) => setTimeout(r, 200));
}
if (!shuttingDown) console.log(`READY ${staticPort} ${dynamicPort}`);
