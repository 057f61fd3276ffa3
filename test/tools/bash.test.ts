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

  it('gives commands no stdin and a non-interactive environment', async () => {
    expect((await bash({ command: 'cat; echo "pager=$PAGER git=$GIT_PAGER"' })).output).toBe(
      'pager=cat git=cat',
    );
  });

  it('survives a syntax error and an unbalanced quote', async () => {
    expect((await bash({ command: 'echo "unterminated' })).output).toMatch(/unexpected EOF|matching/);
    expect((await bash({ command: 'echo still here' })).output).toBe('still here');
  });

  it('cuts output over 30,000 characters in the middle, saying how much was cut', async () => {
    const result = await bash({ command: 'seq 1 100000' });
    expect(result.output.length).toBeLessThan(31_000);
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.output.endsWith('99999\n100000')).toBe(true);
    expect(result.output).toMatch(
      /\[\.\.\. [\d,]+ characters cut from the middle of the output \(588,895 in all\)/,
    );
  });

  it('kills a command that never ends at its timeout, with its children, and stays usable', async () => {
    await bash({ command: 'cd /tmp && export KEPT=yes' });
    // A number of its own per suite: the host's /proc also shows the container's processes.
    const marker = kind === 'docker' ? 1777 : 1778;
    const started = Date.now();
    const result = await bash({
      command: `echo before; sleep ${marker} & sleep ${marker}; echo never`,
      timeout_ms: 1500,
    });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(
      /^before\n\n\[timed out after 1.5 s: the command and its child processes were killed/,
    );
    // Same shell state as before; no sleep left behind.
    expect((await bash({ command: 'pwd; echo $KEPT' })).output).toBe('/tmp\nyes');
    const survivors = `for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < $f; echo; done | grep -c "^sleep ${marker}"`;
    expect((await bash({ command: survivors })).output).toBe('0\n\n[exit code 1]');
    await bash({ command: 'cd /workspace' });
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
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await bash({ command: `cat ${log}` })).output).toBe('started-bg');
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
  });
}

describeDocker('bash tool in a Docker sandbox', () => bashSuite('docker'));
describe('bash tool in the local sandbox', () => bashSuite('local'));
