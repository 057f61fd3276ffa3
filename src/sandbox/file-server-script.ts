/**
 * The file server that runs inside a run's container, on one `docker exec`'s stdin/stdout, so a
 * file operation costs a pipe round trip instead of a fresh exec (30-60 ms). It runs as the
 * container's user and sees what the agent sees: the kernel enforces the mounts, their read-only
 * flags and where symlinks lead.
 *
 * Protocol (one request at a time):
 *   request:  `<op>\t<n>\t<path>\n` then, for `write`, n raw bytes (for `read`, n is the size cap)
 *   response: `<status>\t<n>\n` then n bytes; status is `ok` or an errno name (`ENOENT`, `ENOTREG`,
 *             ...) and the bytes are then the error message. The bash server sends payloads
 *             base64-encoded (it has no other way to measure them), the node one raw.
 *   hello:    `runtools-fs 1 <node|bash> <pid>\n` when it starts.
 * ops: read (regular files only, never blocking on a FIFO), write, stat (lstat), list (lstat of
 * each entry), realpath (`realpath -m`).
 */

/** Node's version: every op is a syscall or two, well under a millisecond. */
export const NODE_FILE_SERVER = String.raw`
const fs = require('fs');
const path = require('path');
const C = fs.constants;
const put = (b) => {
  for (let at = 0; at < b.length; ) {
    try { at += fs.writeSync(1, b, at); } catch (e) { if (e.code !== 'EAGAIN') throw e; }
  }
};
const out = (status, payload) => {
  const b = Buffer.isBuffer(payload) ? payload : Buffer.from(String(payload));
  put(Buffer.from(status + '\t' + b.length + '\n'));
  put(b);
};
const typeOf = (s) => (s.isSymbolicLink() ? 'l' : s.isDirectory() ? 'd' : s.isFile() ? 'f' : 'o');
const entry = (s, name) => typeOf(s) + '\t' + s.size + '\t' + s.mtimeMs / 1000 + '\t' + name + '\0';
// realpath -m: every existing component's links resolved (dangling ones too), missing ones kept.
function realpathM(p) {
  let parts = path.resolve(p).split('/').filter(Boolean);
  let out = '/';
  for (let hops = 0; parts.length > 0; ) {
    const name = parts.shift();
    if (name === '.') continue;
    if (name === '..') { out = path.dirname(out); continue; }
    const next = path.join(out, name);
    let link = null;
    try { if (fs.lstatSync(next).isSymbolicLink()) link = fs.readlinkSync(next); } catch {}
    if (link === null || ++hops > 40) { out = next; continue; }
    parts = [...link.split('/').filter(Boolean), ...parts];
    if (link.startsWith('/')) out = '/';
  }
  return out;
}
function handle(op, n, p, body) {
  if (op === 'read') {
    // A socket cannot even be opened (ENXIO): say what it is instead.
    const first = fs.statSync(p);
    if (first.isDirectory()) return out('EISDIR', p + ' is a directory');
    if (!first.isFile()) return out('ENOTREG', p + ' is not a regular file (a FIFO, socket or device)');
    const fd = fs.openSync(p, C.O_RDONLY | C.O_NONBLOCK | C.O_NOCTTY);
    try {
      const s = fs.fstatSync(fd);
      if (s.isDirectory()) return out('EISDIR', p + ' is a directory');
      if (!s.isFile()) return out('ENOTREG', p + ' is not a regular file (a FIFO, socket or device)');
      if (s.size > n) return out('EFBIG', p + ' is ' + s.size + ' bytes, over the ' + n + '-byte cap');
      const chunks = []; let total = 0;
      for (;;) {
        const b = Buffer.allocUnsafe(Math.min(1 << 20, n + 1 - total));
        const got = fs.readSync(fd, b, 0, b.length, null);
        if (got === 0) break;
        chunks.push(b.subarray(0, got)); total += got;
        if (total > n) return out('EFBIG', p + ' grew past the ' + n + '-byte cap');
      }
      return out('ok', Buffer.concat(chunks, total));
    } finally { fs.closeSync(fd); }
  }
  if (op === 'write') {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    let before = null;
    try { before = fs.statSync(p); } catch {}
    if (before && !before.isFile()) return out(before.isDirectory() ? 'EISDIR' : 'ENOTREG', p + (before.isDirectory() ? ' is a directory' : ' is not a regular file (a FIFO, socket or device)'));
    const fd = fs.openSync(p, C.O_WRONLY | C.O_CREAT | C.O_NONBLOCK | C.O_NOCTTY, 0o666);
    try {
      if (!fs.fstatSync(fd).isFile()) return out('ENOTREG', p + ' is not a regular file (a FIFO, socket or device)');
      fs.ftruncateSync(fd, 0);
      for (let at = 0; at < body.length; ) at += fs.writeSync(fd, body, at);
      return out('ok', '');
    } finally { fs.closeSync(fd); }
  }
  if (op === 'stat') return out('ok', entry(fs.lstatSync(p), path.basename(p)));
  if (op === 'list') {
    let text = '';
    for (const name of fs.readdirSync(p)) {
      try { text += entry(fs.lstatSync(path.join(p, name)), name); } catch {}
    }
    return out('ok', text);
  }
  if (op === 'realpath') return out('ok', realpathM(p));
  return out('EINVAL', 'unknown op ' + op);
}
let chunks = []; let have = 0; let header = null;
const flat = () => {
  if (chunks.length !== 1) chunks = [Buffer.concat(chunks, have)];
  return chunks[0];
};
process.stdin.on('data', (chunk) => {
  chunks.push(chunk); have += chunk.length;
  for (;;) {
    if (!header) {
      const all = flat();
      const nl = all.indexOf(10);
      if (nl < 0) return;
      const [op, n, ...rest] = all.subarray(0, nl).toString('utf8').split('\t');
      header = { op, n: Number(n), p: rest.join('\t') };
      chunks = [all.subarray(nl + 1)]; have -= nl + 1;
    }
    const size = header.op === 'write' ? header.n : 0;
    // A large body arrives in many chunks: they are joined once, when all are here.
    if (have < size) return;
    const all = flat();
    const body = all.subarray(0, size);
    chunks = [all.subarray(size)]; have -= size;
    const h = header; header = null;
    try { handle(h.op, h.n, h.p, body); }
    catch (e) { out(e.code || 'EIO', (e.message || String(e)).replace(/^\w+: /, '')); }
  }
});
process.stdin.on('end', () => process.exit(0));
put(Buffer.from('runtools-fs 1 node ' + process.pid + '\n'));
`;

/**
 * Bash's version, for templates without node: each op costs one or two forks of coreutils inside
 * the container (a millisecond or so), still far below a fresh exec. Runs `node` instead when the
 * image has it (the node script is passed as $1) and RUNTOOLS_FS is not `bash`.
 */
export const BASH_FILE_SERVER = String.raw`
if [ "$RUNTOOLS_FS" != bash ] && command -v node >/dev/null 2>&1; then exec node -e "$1"; fi
out() { printf '%s\t%s\n%s' "$1" "${'$'}{#2}" "$2"; }
err() { local m; m=$(printf '%s' "$2" | base64 -w0); out "$1" "$m"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'runtools-fs 1 bash %s\n' "$$"
while IFS= read -r line; do
  op=${'$'}{line%%$'\t'*}; rest=${'$'}{line#*$'\t'}; n=${'$'}{rest%%$'\t'*}; p=${'$'}{rest#*$'\t'}
  case $op in
    read)
      if [ -d "$p" ]; then err EISDIR "$p is a directory"
      elif [ ! -e "$p" ] && [ ! -L "$p" ]; then err ENOENT "$p: No such file or directory"
      elif [ ! -f "$p" ]; then err ENOTREG "$p is not a regular file (a FIFO, socket or device)"
      elif [ ! -r "$p" ]; then err EACCES "$p: Permission denied"
      elif ! head -c "$((n + 1))" -- "$p" > "$tmp/r" 2>"$tmp/e"; then err EIO "$(cat "$tmp/e")"
      elif [ "$(stat -c %s "$tmp/r")" -gt "$n" ]; then err EFBIG "$p is over the $n-byte cap"
      else d=$(base64 -w0 < "$tmp/r"); out ok "$d"; fi ;;
    write)
      if [ "$n" -gt 0 ]; then dd bs="$n" count=1 iflag=fullblock of="$tmp/w" status=none; else : > "$tmp/w"; fi
      dir=${'$'}{p%/*}
      if [ -e "$p" ] && [ ! -f "$p" ]; then err ENOTREG "$p is not a regular file (a FIFO, socket or device)"
      elif ! { mkdir -p -- "${'$'}{dir:-/}" && cat "$tmp/w" > "$p"; } 2>"$tmp/e"; then
        m=$(cat "$tmp/e"); case $m in *Read-only*) err EROFS "$m" ;; *denied*) err EACCES "$m" ;; *) err EIO "$m" ;; esac
      else out ok ""; fi ;;
    stat)
      if d=$(find "$p" -maxdepth 0 -printf '%y\t%s\t%T@\t%f\0' 2>/dev/null | base64 -w0) && [ -n "$d" ]; then out ok "$d"
      else err ENOENT "$p: No such file or directory"; fi ;;
    list)
      if [ ! -d "$p" ]; then err ENOTDIR "$p is not a directory"
      else d=$(find "$p" -mindepth 1 -maxdepth 1 -printf '%y\t%s\t%T@\t%f\0' 2>/dev/null | base64 -w0); out ok "$d"; fi ;;
    realpath)
      d=$(realpath -m -- "$p" | base64 -w0); out ok "$d" ;;
    *) err EINVAL "unknown op $op" ;;
  esac
done
`;
