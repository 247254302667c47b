import type { DemoSession } from '../run/demo-session.js';
import type { PolicyOutcome } from '../run/policy-outcome.js';
import type { Town } from '../town/town-model.js';
import { count, encounterText, probabilityText, townClock } from '../view/format.js';

/** How each person fared under one policy: the system's warning against the truth. */
export type Verdict = 'case' | 'warned' | 'missed' | 'extra' | 'borderline' | 'quiet' | 'no device';

const COLOURS: Record<Verdict, string> = {
  case: '#d62728',
  warned: '#ff7f0e',
  missed: '#111111',
  extra: '#9467bd',
  borderline: '#bcbd22',
  quiet: '#c7d0d9',
  'no device': '#ffffff',
};

const LEGEND: Record<Verdict, string> = {
  case: 'reported a positive test',
  warned: 'warned, as the truth requires',
  missed: 'missed: had a qualifying encounter, not warned',
  extra: 'warned without a qualifying encounter',
  borderline: 'within the measurement’s tolerance',
  quiet: 'not warned, no qualifying encounter',
  'no device': 'carries no device',
};

/** How the town lays its sites out (population.ts): 25 to a row, 100 m apart. */
const TOWN_SITES_PER_ROW = 25;
const SITE_SPACING_M = 100;
/** How the page lays the homes out. */
const HOMES_PER_ROW = 16;
const CELL = 58;
const SPOT_SCALE = 7;
const MARGIN = 30;

/**
 * The run as a page a person looks at: the town's homes with everyone coloured by what the system
 * did against the ground truth, the warnings drawn from whoever passed them on, the days as a
 * plot, and (with --compare-policy) the two policies side by side. Self-contained: no scripts, no
 * network.
 */
export function townPage(session: DemoSession): string {
  const { town, outcomes } = session;
  const sections = outcomes.map((o, i) => policySection(town, o, i));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Proxitrace demo · seed ${town.seed}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1180px;color:#1d2630;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #dde3ea;padding-bottom:4px}
.sub{color:#5b6875}.verdict{font-size:16px;padding:10px 14px;border-radius:6px;margin:14px 0}
.ok{background:#e6f4ea;border:1px solid #8fd19e}.bad{background:#fdecea;border:1px solid #f5a097}
table{border-collapse:collapse;margin:8px 0}td,th{padding:4px 10px;border-bottom:1px solid #e6ebf0;text-align:left;vertical-align:top}
th{background:#f4f6f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin:0 14px 4px 0}.legend i{display:inline-block;width:11px;height:11px;border-radius:50%;border:1px solid #55606b;margin-right:5px;vertical-align:-1px}
.figs{display:flex;gap:24px;flex-wrap:wrap}.fig{flex:1 1 auto}
</style></head><body>
<h1>Proxitrace demo: ${count(town.people.length)} people, ${town.minutes / 1440} days, seed ${town.seed}</h1>
<div class="sub">${townClock(town.start)} to ${townClock(town.start + town.minutes * 60_000)} (town time, UTC) · ${count(town.people.filter((p) => p.carries === 'phone').length)} phones · ${count(town.people.filter((p) => p.carries === 'dedicated').length)} dedicated BLE-only devices · ${town.cases.length} cases · everything below comes from the API and the stores, the truth from the simulator</div>
${outcomes.length > 1 ? comparison(outcomes) : ''}
${sections.join('\n')}
<p class="sub">Written by <code>npm run demo</code>. The ground truth runs the exposure rules on what really happened (true distances, no radio noise); “within the measurement’s tolerance” means the answer flips within ±2 dB of signal, so either is right.</p>
</body></html>
`;
}

function policySection(town: Town, o: PolicyOutcome, index: number): string {
  const t = o.truth;
  const ok = t.agrees && o.apiMismatches.length === 0 && o.run.errors.deadLetters === 0;
  const verdict = ok
    ? `The system warned all ${t.mustWarn} people who had a qualifying encounter chain with a case, at the right degree, and no one else${t.borderline > 0 ? ` (${t.borderline} borderline)` : ''}.`
    : `The warnings differ from the truth: ${t.missed} missed, ${t.extra} warned without cause, ${t.wrongDegree} at the wrong degree; ${o.apiMismatches.length} API answers differ from the ledger; ${o.run.errors.deadLetters} dead letters.`;
  const verdicts = verdictsOf(town, o);
  const tally = new Map<Verdict, number>();
  for (const v of verdicts.values()) tally.set(v, (tally.get(v) ?? 0) + 1);
  return `<h2>${index === 0 ? 'Policy' : 'Second policy'}: ${escape(o.label)}</h2>
<div class="verdict ${ok ? 'ok' : 'bad'}">${escape(verdict)}</div>
<div class="legend">${(Object.keys(COLOURS) as Verdict[]).map((v) => `<span><i style="background:${COLOURS[v]}"></i>${LEGEND[v]} (${tally.get(v) ?? 0})</span>`).join('')}<span><svg width="30" height="10"><line x1="0" y1="5" x2="30" y2="5" stroke="#ff7f0e" stroke-width="2"/></svg> a warning, from whoever passed it on</span></div>
${townMap(town, o, verdicts)}
<div class="figs"><div class="fig">${daysPlot(town, o)}</div><div class="fig">${warningsTable(o)}</div></div>`;
}

/** Each person's verdict under this policy, over all cases (the worst one shows). */
export function verdictsOf(town: Town, o: PolicyOutcome): Map<number, Verdict> {
  const rank: Verdict[] = ['missed', 'extra', 'case', 'warned', 'borderline', 'quiet', 'no device'];
  const out = new Map<number, Verdict>();
  const set = (person: number, v: Verdict) => {
    const old = out.get(person);
    if (old === undefined || rank.indexOf(v) < rank.indexOf(old)) out.set(person, v);
  };
  for (const p of town.people) set(p.id, p.carries === 'none' ? 'no device' : 'quiet');
  for (const c of o.truth.cases) {
    for (const p of c.matched) set(p, 'warned');
    for (const w of c.wrongDegree) set(w.person, 'extra');
    for (const p of c.missed) set(p, 'missed');
    for (const p of c.extra) set(p, 'extra');
    for (const b of c.borderline) set(b.person, 'borderline');
  }
  for (const c of town.cases) set(c.person, 'case');
  return out;
}

/** Where each person lives, in page pixels: homes in rows of 25, each one's spot spread out. */
function homeSpots(town: Town): Map<number, { x: number; y: number }> {
  const spots = new Map<number, { x: number; y: number }>();
  for (const p of town.people) {
    const home = town.stays[p.id]!.find((s) => town.rooms[s.room]!.kind === 'home');
    const site = home ? town.rooms[home.room]!.site : p.household;
    const dx = home ? home.at.x - (site % TOWN_SITES_PER_ROW) * SITE_SPACING_M - 5 : 0;
    const dy = home ? home.at.y - Math.floor(site / TOWN_SITES_PER_ROW) * SITE_SPACING_M - 5 : 0;
    const col = site % HOMES_PER_ROW;
    const row = Math.floor(site / HOMES_PER_ROW);
    spots.set(p.id, { x: MARGIN + col * CELL + CELL / 2 + dx * SPOT_SCALE, y: MARGIN + row * CELL + CELL / 2 + dy * SPOT_SCALE });
  }
  return spots;
}

function townMap(town: Town, o: PolicyOutcome, verdicts: Map<number, Verdict>): string {
  const spots = homeSpots(town);
  const households = new Set(town.people.map((p) => p.household)).size;
  const rows = Math.ceil(households / HOMES_PER_ROW);
  const width = 2 * MARGIN + HOMES_PER_ROW * CELL;
  const height = 2 * MARGIN + rows * CELL;
  const homes: string[] = [];
  for (let h = 0; h < households; h++) {
    homes.push(`<rect x="${MARGIN + (h % HOMES_PER_ROW) * CELL + 4}" y="${MARGIN + Math.floor(h / HOMES_PER_ROW) * CELL + 4}" width="${CELL - 8}" height="${CELL - 8}" rx="7" fill="#f4f6f8" stroke="#dfe4ea"/>`);
  }
  const links: string[] = [];
  for (const w of o.run.state.warnings) {
    const source = w.why?.source;
    if (source === undefined) continue;
    const a = spots.get(source)!;
    const b = spots.get(w.person)!;
    const bend = 0.12 * Math.hypot(b.x - a.x, b.y - a.y);
    const mx = (a.x + b.x) / 2 - ((b.y - a.y) / Math.max(1, Math.hypot(b.x - a.x, b.y - a.y))) * bend;
    const my = (a.y + b.y) / 2 + ((b.x - a.x) / Math.max(1, Math.hypot(b.x - a.x, b.y - a.y))) * bend;
    links.push(`<path d="M${f(a.x)},${f(a.y)} Q${f(mx)},${f(my)} ${f(b.x)},${f(b.y)}" fill="none" stroke="${w.degree === 1 ? '#ff7f0e' : '#f2b36d'}" stroke-width="${w.degree === 1 ? 1.6 : 1}" stroke-opacity="0.75"${w.degree > 1 ? ' stroke-dasharray="4 3"' : ''}><title>${escape(`${w.why?.sourceName} → ${w.name}, degree ${w.degree}`)}</title></path>`);
  }
  const dots = town.people.map((p) => {
    const s = spots.get(p.id)!;
    const v = verdicts.get(p.id)!;
    const r = v === 'case' ? 6.5 : v === 'quiet' || v === 'no device' ? 4 : 5.5;
    const shape = p.carries === 'dedicated' ? `<rect x="${f(s.x - r)}" y="${f(s.y - r)}" width="${f(2 * r)}" height="${f(2 * r)}"` : `<circle cx="${f(s.x)}" cy="${f(s.y)}" r="${r}"`;
    return `${shape} fill="${COLOURS[v]}" stroke="#4a5561" stroke-width="0.7" data-person="${p.id}" data-verdict="${v}"><title>${escape(`${p.name} (${p.age}, ${p.carries === 'none' ? 'no device' : p.carries}): ${LEGEND[v]}`)}</title>${p.carries === 'dedicated' ? '</rect>' : '</circle>'}`;
  });
  return `<svg class="town" overflow="hidden" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="the town's homes, everyone coloured by warning against the truth">
${homes.join('')}
${links.join('\n')}
${dots.join('\n')}
<text x="${MARGIN}" y="18" font-size="12" fill="#5b6875">the town’s ${households} homes (squares: dedicated BLE-only devices; arcs: warnings, dashed beyond the first degree)</text>
</svg>`;
}

/** Contacts stored and warnings held over the days, with the cases' reports marked. */
function daysPlot(town: Town, o: PolicyOutcome): string {
  const samples = o.run.state.timeline;
  const width = 560;
  const height = 240;
  const left = 56;
  const right = 56;
  const top = 18;
  const bottom = 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxContacts = Math.max(1, ...samples.map((s) => s.contactsStored));
  const maxWarned = Math.max(1, ...samples.map((s) => s.notifications));
  const x = (minute: number) => left + (minute / town.minutes) * plotW;
  const yC = (v: number) => top + plotH - (v / maxContacts) * plotH;
  const yW = (v: number) => top + plotH - (v / maxWarned) * plotH;
  const line = (pts: [number, number][]) => pts.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${f(a)},${f(b)}`).join(' ');
  const days = Array.from({ length: town.minutes / 1440 + 1 }, (_, d) => `<line x1="${f(x(d * 1440))}" y1="${top}" x2="${f(x(d * 1440))}" y2="${top + plotH}" stroke="#e6ebf0"/>${d < town.minutes / 1440 ? `<text x="${f(x(d * 1440 + 720))}" y="${height - 12}" font-size="11" text-anchor="middle" fill="#5b6875">day ${d + 1}</text>` : ''}`);
  const cases = o.run.state.cases.map((c) => `<line x1="${f(x((c.reportedAt - town.start) / 60_000))}" y1="${top}" x2="${f(x((c.reportedAt - town.start) / 60_000))}" y2="${top + plotH}" stroke="#d62728" stroke-dasharray="3 3"><title>${escape(`${c.name} reported, ${townClock(c.reportedAt)}`)}</title></line>`);
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="contacts stored and warnings over the days">
<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fbfcfd" stroke="#dfe4ea"/>
${days.join('')}${cases.join('')}
<path d="${line(samples.map((s) => [x(s.minute), yC(s.contactsStored)]))}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<path d="${line(samples.map((s) => [x(s.minute), yW(s.notifications)]))}" fill="none" stroke="#ff7f0e" stroke-width="2.2"/>
<text x="${left - 6}" y="${top + 4}" font-size="11" text-anchor="end" fill="#1f77b4">${count(maxContacts)}</text>
<text x="${left - 6}" y="${top + plotH}" font-size="11" text-anchor="end" fill="#1f77b4">0</text>
<text x="${width - right + 6}" y="${top + 4}" font-size="11" fill="#ff7f0e">${count(maxWarned)}</text>
<text x="${width - right + 6}" y="${top + plotH}" font-size="11" fill="#ff7f0e">0</text>
<text x="${left}" y="11" font-size="12" fill="#1f77b4">contacts stored</text><text x="${width - right}" y="11" font-size="12" text-anchor="end" fill="#ff7f0e">warnings held</text>
<text x="${left + plotW / 2}" y="11" font-size="12" text-anchor="middle" fill="#d62728">┆ a case reports</text>
</svg>`;
}

function warningsTable(o: PolicyOutcome): string {
  const rows = [...o.run.state.warnings].sort((a, b) => a.degree - b.degree || a.seenAt - b.seenAt).slice(0, 14);
  const more = o.run.state.warnings.length - rows.length;
  return `<table><tr><th>warned</th><th>degree</th><th>p</th><th>why (from the stores)</th></tr>
${rows.map((w) => `<tr><td>${escape(w.name)}</td><td class="n">${w.degree}</td><td class="n">${probabilityText(w.probability)}</td><td>${w.why?.encounter ? escape(`${w.why.sourceName ?? '?'}, ${townClock(w.why.encounter.start)}: ${encounterText(w.why.encounter)}`) : ''}</td></tr>`).join('\n')}
${more > 0 ? `<tr><td colspan="4" class="sub">and ${more} more</td></tr>` : ''}</table>`;
}

/** The what-if: the two policies side by side, as numbers and as bars. */
function comparison(outcomes: readonly PolicyOutcome[]): string {
  const metrics: { name: string; value: (o: PolicyOutcome) => number }[] = [
    { name: 'people warned', value: (o) => o.reach.warnedPeople },
    { name: 'truly infected, reached', value: (o) => o.reach.infectedWarned },
    { name: 'warned, never infected', value: (o) => o.reach.warnedNeverInfected },
  ];
  const max = Math.max(1, ...outcomes.flatMap((o) => metrics.map((m) => m.value(o))));
  const colours = ['#1f77b4', '#ff7f0e'];
  const rows = metrics.map(
    (m) => `<tr><td>${m.name}</td>${outcomes.map((o, i) => `<td class="n">${m.value(o)}</td><td><svg width="220" height="14"><rect width="${f((m.value(o) / max) * 220)}" height="14" fill="${colours[i]}"/></svg></td>`).join('')}</tr>`,
  );
  return `<h2>Policy what-if: the same town, two policies</h2>
<table><tr><th></th>${outcomes.map((o, i) => `<th colspan="2" style="color:${colours[i]}">${escape(o.label)}</th>`).join('')}</tr>
${rows.join('\n')}
<tr><td>infected in the town (not the cases)</td>${outcomes.map((o) => `<td class="n">${o.reach.infected}</td><td></td>`).join('')}</tr></table>`;
}

function f(n: number): string {
  return n.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
