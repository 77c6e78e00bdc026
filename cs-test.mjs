import http from "node:http";
import next from "next";
const app = next({ dev: false, dir: process.cwd() });
const handle = app.getRequestHandler();
await app.prepare();
const server = http.createServer((req, res) => {
  if (req.method === "TRACE" || req.method === "TRACK") { res.writeHead(405, { "content-type": "application/json", allow: "GET, POST" }); res.end('{"error":"no"}'); return; }
  handle(req, res);
});
server.listen(3301, "127.0.0.1", () => console.log("ready"));
