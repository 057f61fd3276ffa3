/**
 * A stdio MCP server with no dependencies, as one `node -e` program, so it runs wherever there is a
 * node (the nodejs-20 template's container, or the host): newline-delimited JSON-RPC, answering
 * initialize, tools/list and tools/call. Its one tool, `where`, says where it runs: whether it is in a
 * container (/.dockerenv), its cwd, the files there, and FAKE_TOKEN from its environment.
 */
export const PLAIN_MCP_SERVER = `
const fs = require('node:fs');
let buffer = '';
const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
const tools = [{ name: 'where', description: 'Says where this server runs', inputSchema: { type: 'object', properties: {} } }];
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) >= 0) {
    const line = buffer.slice(0, at);
    buffer = buffer.slice(at + 1);
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    if (request.id === undefined) continue;
    if (request.method === 'initialize') {
      send({ id: request.id, result: { protocolVersion: request.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'plain', version: '1.0.0' } } });
    } else if (request.method === 'tools/list') {
      send({ id: request.id, result: { tools } });
    } else if (request.method === 'tools/call') {
      const text = JSON.stringify({ container: fs.existsSync('/.dockerenv'), cwd: process.cwd(), files: fs.readdirSync('.').sort(), token: process.env.FAKE_TOKEN || null, pid: process.pid });
      send({ id: request.id, result: { content: [{ type: 'text', text }] } });
    } else {
      send({ id: request.id, error: { code: -32601, message: 'no method ' + request.method } });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
`;
