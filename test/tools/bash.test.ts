import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeTool } from '../../tools/registry.js';
import { describeDocker } from '../helpers/docker.js';
import { openSandbox, type SandboxFixture, toolContext } from '../helpers/sandboxes.js';

function bashSuite(kind: 'docker' | 'local') {
  let fx: SandboxFixture;
  let ctx: ReturnType<typeof toolContext>;
  beforeAll(async () => {
    fx = await openSandbox(kind);
    ctx = toolContext(fx.sandbox, { runId: `run_bash_${kind}_${Date.now()}` });
  });
  afterAll(async () => {
    await fx?.close();
  });
  const bash = (input: Record<string, unknown>) => executeTool('bash', input, ctx);

  it('keeps cwd and exported variables between calls, in /workspace first', async () => {
    expect((await bash({ command: 'pwd' })).output).toBe('/workspace');
    await bash({ command: 'mkdir -p sub && cd sub && export GREETING=hello' });
    expect((await bash({ command: 'pwd; echo $GREETING' })).output).toBe('/workspace/sub\nhello');
    await bash({ command: 'cd /workspace' });
  });

  it('interleaves stdout and stderr, states the exit code, and says when there was no output', async () => {
    expect((await bash({ command: 'echo out; echo err >&2; echo out2' })).output).toBe('out\nerr\nout2');
    expect((await bash({ command: 'echo failing; exit_code() { return 3; }; exit_code' })).output).toBe(
      'failing\n\n[exit code 3]',
    );
    expect((await bash({ command: 'true' })).output).toBe(
      'The command ran successfully and produced no output.',
    );
    expect((await bash({ command: 'false' })).output).toBe(
      'The command produced no output and exited with code 1.',
    );
  });

  it('runs multi-line commands, heredocs and non-ASCII text as written', async () => {
    const command =
      "cat > /tmp/here-$$.txt <<'EOF'\nhéllo ✓ $HOME\nEOF\ncat /tmp/here-$$.txt; rm /tmp/here-$$.txt\necho 'quote \" and \\'";
    expect((await bash({ command })).output).toBe('héllo ✓ $HOME\nquote " and \\');
  });

  it('gives commands no stdin and a non-interactive environment', async () => {
    expect((await bash({ command: 'cat; echo "pager=$PAGER git=$GIT_PAGER"' })).output).toBe(
      'pager=cat git=cat',
    );
  });

  it('survives a syntax error and an unbalanced quote', async () => {
    expect((await bash({ command: 'echo "unterminated' })).output).toMatch(/unexpected EOF|matching/);
    expect((await bash({ command: 'echo still here' })).output).toBe('still here');
  });

  it('cuts output over 30,000 characters in the middle and keeps the whole output in a file to page', async () => {
    const result = await bash({ command: 'seq 1 300000' });
    expect(result.output.length).toBeLessThan(31_000);
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.output.endsWith('299999\n300000')).toBe(true);
    const file = `/tmp/runtools-${ctx.runId}/output-1.txt`;
    expect(result.output).toContain(
      `characters cut from the middle of the output (1,988,895 in all); the whole output (300,000 lines) is in ${file}: page it with read_file (offset, limit) or search it with grep ...]`,
    );
    expect((await executeTool('read_file', { path: file, offset: 150000, limit: 2 }, ctx)).output).toBe(
      '150000\t150000\n150001\t150001\n\n[showing lines 150000-150001 of 300000; continue with offset 150002]',
    );
    expect(
      (await executeTool('grep', { pattern: '^299999$', path: file, output_mode: 'content' }, ctx)).output,
    ).toBe(`1 matching line in 1 file in ${file}:\n${file}:299999:299999`);
    // A second cut output gets a file of its own.
    expect((await bash({ command: 'seq 1 50000' })).output).toContain(
      `/tmp/runtools-${ctx.runId}/output-2.txt`,
    );
  });

  it('kills a command that never ends at its timeout, with its children, and stays usable', async () => {
    await bash({ command: 'cd /tmp && export KEPT=yes' });
    await bash({ command: 'rm -f /workspace/bg.pid /workspace/fg.pid' });
    const started = Date.now();
    // Each sleep writes down its pid, so the check below asks about those two only (no /proc scan).
    const result = await bash({
      command: `echo before; sleep 1777 & echo $! > /workspace/bg.pid; bash -c 'echo $$ > /workspace/fg.pid; exec sleep 1777'; echo never`,
      timeout_ms: 2000,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(
      /^before\n\n\[timed out after 2 s: the command and its child processes were killed/,
    );
    // Same shell state as before; neither sleep left behind (a zombie waiting for its reaper is dead).
    expect((await bash({ command: 'pwd; echo $KEPT' })).output).toBe('/tmp\nyes');
    const check = [
      'for f in /workspace/bg.pid /workspace/fg.pid; do',
      '  p=$(cat $f) && [ -n "$p" ] || echo "no pid in $f"',
      '  state=$(cut -d" " -f3 /proc/$p/stat 2>/dev/null)',
      '  [ -n "$state" ] && [ "$state" != Z ] && echo "$f alive ($state)"',
      'done; echo checked',
    ].join('\n');
    expect((await bash({ command: check })).output).toBe('checked');
    await bash({ command: 'cd /workspace' });
  });

  it('reports an `exit` at once with its code, and the next command has the state from before', async () => {
    await bash({ command: 'cd /tmp && export BEFORE_EXIT=kept' });
    expect(await bash({ command: 'echo bye; exit 3' })).toEqual({
      output:
        'bye\n\n[the shell exited with code 3; the next command starts a new shell in the working directory and with the exported variables from before]',
      isError: true,
    });
    expect((await bash({ command: 'pwd; echo $BEFORE_EXIT' })).output).toBe('/tmp\nkept');
    expect((await bash({ command: 'set -e; false; echo unreachable' })).output).toMatch(
      /^\[the shell exited with code 1;/,
    );
    expect((await bash({ command: 'exit' })).isError).toBe(false);
    expect((await bash({ command: 'echo back; cd /workspace' })).output).toBe('back');
  });

  it('ends a command that uses continue or break at the top level, and keeps going', async () => {
    expect((await bash({ command: 'echo one; continue; echo two' })).output).toBe('one');
    expect((await bash({ command: 'echo three; break; echo four' })).output).toBe('three');
    expect((await bash({ command: 'x=5; echo "$((x + 1))"' })).output).toBe('6');
  });

  it('restores the shell after a builtin loop times out', async () => {
    const result = await bash({ command: 'while true; do :; done', timeout_ms: 1000 });
    expect(result.output).toContain('timed out');
    expect((await bash({ command: 'echo alive' })).output).toBe('alive');
  });

  it('cancellation kills the running command at once', async () => {
    const controller = new AbortController();
    const cancelCtx = { ...ctx, signal: controller.signal };
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    await expect(executeTool('bash', { command: 'sleep 30' }, cancelCtx)).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await bash({ command: 'echo after cancel' })).output).toBe('after cancel');
  });

  it('starts a background process that outlives the call and logs to a file', async () => {
    const result = await bash({ command: 'echo started-bg; sleep 60', run_in_background: true });
    const log = /Output goes to (\S+);/.exec(result.output)?.[1];
    expect(result.output).toMatch(/^Started in the background: id bg-1, pid \d+\./);
    const waitForLog = `for _ in $(seq 200); do [ -s ${log} ] && break; sleep 0.05; done; cat ${log}`;
    expect((await bash({ command: waitForLog })).output).toBe('started-bg');
    // The log is the tools' own file: read_file reaches it in both sandboxes.
    expect((await executeTool('read_file', { path: log }, ctx)).output).toBe('1\tstarted-bg');
    // A later timeout does not take it down (it has its own session).
    await bash({ command: 'sleep 100', timeout_ms: 500 });
    const pid = /pid (\d+)/.exec(result.output)?.[1];
    expect((await bash({ command: `kill -0 ${pid} && echo running` })).output).toBe('running');
    await bash({ command: `kill -- -${pid}` });
  });

  it('names the bad field of invalid input instead of throwing', async () => {
    expect(await bash({ command: 'ls', timeout_ms: 700_000 })).toMatchObject({
      isError: true,
      output: expect.stringMatching(/^invalid input for bash: timeout_ms: /),
    });
    expect(await bash({ command: 'ls', timeout: 5000 })).toEqual({
      isError: true,
      output:
        'invalid input for bash: unknown field "timeout" (bash takes: command, timeout_ms, run_in_background)',
    });
  });
}

describeDocker('bash tool in a Docker sandbox', () => bashSuite('docker'));
describe('bash tool in the local sandbox', () => bashSuite('local'));
