// srt_lib.mjs — Anthropic sandbox-runtime used as a library, the way an agent
// embeds it: SandboxManager.initialize once, then wrapWithSandbox + spawn per
// command.  Driven by //bench (session.c) over stdin/stdout, one JSON object
// per line:
//
//   {"mode":"srt","argv":[...]}   wrap the command, run it, answer
//   {"mode":"bare","argv":[...]}  run it unwrapped through the same spawn
//                                  (Node's own spawn cost, for reference)
//       -> "done <exit code> <microseconds>"
//   {"mode":"rss"}   -> "rss <peak RSS of this node process in KiB>"
//   {"mode":"quit"}
//
// argv: <sandbox-runtime package dir> <settings.json> <workspace>
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [pkgDir, settingsFile, workspace] = process.argv.slice(2);
const { SandboxManager } = await import(pathToFileURL(join(pkgDir, 'dist', 'index.js')).href);

const quote = (s) => "'" + s.replace(/'/g, "'\\''") + "'";

function runOnce(line) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = spawn(line, { shell: true, cwd: workspace, stdio: 'ignore' });
    child.on('error', () => resolve('done 127 0'));
    child.on('exit', (code, signal) => {
      const us = Number((process.hrtime.bigint() - started) / 1000n);
      resolve(`done ${code === null ? 128 + (signal === 'SIGKILL' ? 9 : 15) : code} ${us}`);
    });
  });
}

try {
  await SandboxManager.initialize(JSON.parse(readFileSync(settingsFile, 'utf8')));
} catch (e) {
  process.stdout.write(`error initialize: ${String((e && e.message) || e).split('\n')[0]}\n`);
  process.exit(1);
}
process.stdout.write('ready\n');

const rl = createInterface({ input: process.stdin });
for await (const text of rl) {
  const req = JSON.parse(text);
  if (req.mode === 'rss') {
    process.stdout.write(`rss ${process.resourceUsage().maxRSS}\n`);
  } else if (req.mode === 'srt' || req.mode === 'bare') {
    const line = req.argv.map(quote).join(' ');
    const run = req.mode === 'srt' ? await SandboxManager.wrapWithSandbox(line) : line;
    process.stdout.write((await runOnce(run)) + '\n');
  } else if (req.mode === 'quit') {
    break;
  }
}
await SandboxManager.reset();
process.exit(0);
