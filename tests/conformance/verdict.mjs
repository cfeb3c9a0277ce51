// Judges one `conformance server --requirements REV -o DIR` run against an
// expected-failures file. Usage:
//   node verdict.mjs <out-dir> <expected-failures-file> <scenario>...
// The scenarios are the ones the run started. Each line of the file is
// `scenario` (the whole scenario may fail) or `scenario/check-id` (that check
// may fail), then `# why`. A FAILURE or WARNING not covered by the file is an
// unexpected failure; a scenario without checks.json did not finish; a line
// naming a scenario that ran but no longer fails where it says is stale
// (remove it). Prints one line per scenario and a summary; exits 1 on any
// unexpected failure, unfinished scenario or stale line.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [outDir, expectedFile, ...scenarios] = process.argv.slice(2);
const expected = new Map(); // entry -> reason
for (const line of readFileSync(expectedFile, 'utf8').split('\n')) {
  const [entry, ...why] = line.split('#');
  if (entry.trim()) expected.set(entry.trim(), why.join('#').trim());
}

const dirs = readdirSync(outDir);
const used = new Set();
let passed = 0, xfailed = 0, bad = 0;
for (const scenario of scenarios) {
  // The suite names each result directory server-<scenario>-<timestamp>.
  const dir = dirs.find((d) => d.startsWith(`server-${scenario}-`) && /\d{4}-\d\d-\d\dT/.test(d.slice(scenario.length + 8)));
  const file = dir && join(outDir, dir, 'checks.json');
  if (!file || !existsSync(file)) {
    console.log(`FAIL  ${scenario}: no checks.json (did not finish)`);
    bad++;
    continue;
  }
  const checks = JSON.parse(readFileSync(file, 'utf8'));
  const failing = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const ok = checks.filter((c) => c.status === 'SUCCESS').length;
  const unexpected = [];
  let covered = 0;
  for (const c of failing) {
    const key = [`${scenario}/${c.id}`, scenario].find((k) => expected.has(k));
    if (key) {
      used.add(key);
      covered++;
    } else {
      unexpected.push(c);
    }
  }
  const detail = `${ok} passed, ${failing.length} failed`;
  if (unexpected.length) {
    bad++;
    console.log(`FAIL  ${scenario}: ${detail}`);
    for (const c of unexpected) console.log(`      ${c.status} ${c.id}: ${c.errorMessage || c.description}`);
  } else if (covered) {
    xfailed++;
    console.log(`xfail ${scenario}: ${detail} (all expected)`);
  } else {
    passed++;
    console.log(`pass  ${scenario}: ${detail}`);
  }
}
const ran = new Set(scenarios);
const stale = [...expected.keys()].filter((k) => ran.has(k.split('/')[0]) && !used.has(k));
for (const k of stale) console.log(`STALE ${k}: listed in ${expectedFile} but did not fail — remove the line`);
console.log(`${passed} passed, ${xfailed} with expected failures only, ${bad} failed, ${stale.length} stale lines`);
process.exit(bad || stale.length ? 1 : 0);
