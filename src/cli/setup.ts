import { spawn } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { packageRoot } from '../config/paths.js';

/** The script `npm run setup` runs in this repo, shipped in the package so an install can run it too. */
export const SETUP_SCRIPT = (): string => path.join(packageRoot(), 'scripts', 'docker-setup.sh');

export function setupCommand(): Command {
  return new Command('setup')
    .description(
      'make Docker and the base images ready (installs docker.io and builds them offline on Debian; only pulls elsewhere), and ripgrep for the local sandbox',
    )
    .action(async () => {
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn('bash', [SETUP_SCRIPT()], { stdio: 'inherit' });
        child.on('error', reject);
        child.on('close', (exit, signal) => resolve(exit ?? (signal ? 128 : 1)));
      });
      process.exitCode = code;
    });
}
