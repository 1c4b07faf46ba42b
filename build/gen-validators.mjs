// Compiles every OCPP payload schema at build time (ajv's standalone code generation) into
// shared/ocpp/generated/validators/<version>.json, so validating an action for the first time costs no compile at run
// time (compiling one 2.1 schema took up to 100 ms, all of 2.1 about 3 s, and froze the engine meanwhile).
// The validators are made by the same ajv set-up as at run time (createAjv in shared/ocpp/schema-registry.ts), so
// they behave exactly alike; test/build/gen-validators.test.ts fails when the output is stale.
// Run after changing the schemas, ajv or its options: `npm run gen:validators`; commit the output.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { actionsOf } from '../shared/ocpp/actions.ts';
import { createAjv, rawPayloadSchema, schemaDraft } from '../shared/ocpp/schema-registry.ts';

const VERSIONS = ['1.6', '2.0.1', '2.1'];
const MODES = ['first', 'all'];
export const FILE_OF = { 1.6: 'v16', '2.0.1': 'v201', 2.1: 'v21' };
const out = fileURLToPath(new URL('../shared/ocpp/generated/validators/', import.meta.url));

/** What the generated code depends on: the schemas, ajv's versions and the options validation uses. */
export function inputsHash(version) {
  const h = createHash('sha256');
  for (const pkg of ['ajv', 'ajv-formats', 'ajv-draft-04']) {
    const url = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
    h.update(`${pkg}@${JSON.parse(readFileSync(url, 'utf8')).version}\n`);
  }
  for (const mode of MODES)
    for (const draft of [4, 6]) {
      const o = createAjv(draft, mode).opts;
      h.update(JSON.stringify([mode, draft, o.strict, o.allErrors, o.verbose, o.multipleOfPrecision]));
    }
  for (const { name, kind, schema } of schemasOf(version))
    h.update(`${name}/${kind}\n${JSON.stringify(schema)}\n`);
  h.update(readFileSync(fileURLToPath(import.meta.url), 'utf8'));
  return h.digest('hex').slice(0, 32);
}

function schemasOf(version) {
  const list = [];
  for (const a of actionsOf(version))
    for (const kind of ['request', 'response']) {
      const schema = rawPayloadSchema(version, a.name, kind);
      if (schema) list.push({ name: a.name, kind, schema });
    }
  return list;
}

// The only modules ajv's code asks for: the format checks and the code-point length of strings. They become the
// parameters of each validator's function (shared/ocpp/precompiled-validators.ts passes them).
const RUNTIME = {
  'ajv-formats/dist/formats': '__formats',
  'ajv/dist/runtime/ucs2length': '__ucs2length',
};

/**
 * One validator's code, self-contained: the text of a function expression taking the runtime modules and returning
 * the validator (made at run time with new Function, as ajv does after compiling, minus the compiling).
 */
function sourceOf(ajv, validate) {
  const code = standaloneCode(ajv, validate);
  const name = validate.source.validateName.str;
  const head = `"use strict";module.exports = ${name};module.exports.default = ${name};`;
  if (!code.startsWith(head))
    throw new Error(`unexpected standalone code for ${name}: ${code.slice(0, 120)}`);
  const body = code.slice(head.length).replace(/require\("([^"]+)"\)/g, (_, m) => {
    if (!RUNTIME[m]) throw new Error(`the generated code needs ${m}: add it to RUNTIME`);
    return RUNTIME[m];
  });
  const fn = `(function(${Object.values(RUNTIME).join(', ')}) {\n"use strict";\n${body}\nreturn ${name};\n})`;
  // Assigned, or the minifier drops the expression as unused.
  const min = transformSync(`__v=${fn}`, {
    minify: true,
    target: 'node20',
    legalComments: 'none',
  }).code.trim();
  if (!min.startsWith('__v=')) throw new Error(`unexpected minified code for ${name}`);
  return min.slice('__v='.length).replace(/;$/, '');
}

/** `Action/kind/mode` -> the validator's source, for every schema of the version. */
function generate(version) {
  const table = {};
  for (const mode of MODES) {
    const ajv = { 4: createAjv(4, mode, true), 6: createAjv(6, mode, true) };
    for (const { name, kind, schema } of schemasOf(version)) {
      const a = ajv[schemaDraft(schema)];
      table[`${name}/${kind}/${mode}`] = sourceOf(a, a.compile(schema));
    }
  }
  return { inputs: inputsHash(version), validators: table };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(out, { recursive: true });
  for (const v of VERSIONS) {
    const t0 = performance.now();
    const json = JSON.stringify(generate(v));
    writeFileSync(`${out}${FILE_OF[v]}.json`, json);
    console.log(
      `OCPP ${v}: ${(json.length / 1024).toFixed(0)} KiB in ${(performance.now() - t0).toFixed(0)} ms`,
    );
  }
}
