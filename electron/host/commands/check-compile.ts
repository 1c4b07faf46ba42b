import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgvOrThrow } from '../argv';
import type { ScopeEvent } from '../../../shared/capture/events';
import { isOcppVersion } from '../../../shared/ocpp/versions';
import { compileCapture as compile } from '../../../shared/scenario/compile-capture';
import type { CliIo } from '../cli-context';
import { EXIT } from '../exit-codes';
import { openForCli } from './inspect';

/** `check --compile CAPTURE --out FILE`: a recorded connection saved as a scenario file, to edit and run. */
export async function compileCapture(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgvOrThrow(
      argv,
      {
        compile: { type: 'string' },
        out: { type: 'string' },
        connection: { type: 'string' },
        side: { type: 'string' },
        protocol: { type: 'string' },
        name: { type: 'string' },
      },
      { positionals: false },
    ));
  } catch (e) {
    io.stderr.write(`ocpp-scope check: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const side = values.side ?? 'csms';
  if (side !== 'csms' && side !== 'station') {
    io.stderr.write(
      'ocpp-scope check: --side must be csms (test the recorded charger) or station (test the recorded CSMS).\n',
    );
    return EXIT.usage;
  }
  const protocol = values.protocol?.replace(/^ocpp/, '');
  if (protocol !== undefined && !isOcppVersion(protocol)) {
    io.stderr.write('ocpp-scope check: --protocol must be 1.6, 2.0.1 or 2.1.\n');
    return EXIT.usage;
  }
  if (!values.compile || !values.out) {
    io.stderr.write('ocpp-scope check: --compile needs a capture file and --out a scenario file to write.\n');
    return EXIT.usage;
  }
  const source = await openForCli(values.compile, io, 'check');
  if (typeof source === 'number') return source;
  const events: ScopeEvent[] = [];
  try {
    for await (const e of source.events())
      if (values.connection === undefined || e.conn === values.connection) events.push(e);
  } finally {
    await source.close();
  }
  const scenario = compile(events, {
    role: side,
    ...(values.connection !== undefined ? { connection: values.connection } : {}),
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(protocol !== undefined ? { version: protocol } : {}),
  });
  if ('error' in scenario) {
    io.stderr.write(`ocpp-scope check: ${scenario.error}\n`);
    return EXIT.file;
  }
  try {
    await writeFile(resolve(io.cwd, values.out), `${JSON.stringify(scenario, null, 2)}\n`, 'utf8');
  } catch (e) {
    io.stderr.write(`ocpp-scope check: cannot write ${values.out}: ${(e as Error).message}\n`);
    return EXIT.file;
  }
  const steps = scenario.cases[0]?.steps.length ?? 0;
  io.stderr.write(
    `Wrote ${values.out}: ${steps} steps (OCPP ${scenario.version}, the tool as ${side === 'csms' ? 'the CSMS' : 'the charger'}).\n`,
  );
  return EXIT.ok;
}
