/**
 * Findings for the change report, in Polish (default) or English: a short list of the top risks, and detailed
 * entries (problem -> location -> rationale -> recommendation). The caller adds the section headings
 * (`## Najważniejsze ryzyka`, `## Znaleziska`); entries use `###`.
 */
import { radonGrade } from '../rules/complexity.js';
import { CATEGORY_ORDER, PRIORITY_ORDER } from '../review.js';
import type { DeadCodeReason, Finding, Priority, ReviewResult, RuleId } from '../types.js';
import { location, thousands } from './text.js';

/** Language of the change report. */
export type ReportLang = 'pl' | 'en';

/** Options of `renderReportFindings`. */
export interface ReportFindingsOptions {
  lang?: ReportLang;
  /** Number of detailed findings (default 10); the risk list shows at most half as many, at least 3. */
  limit?: number;
}

type Forms = [one: string, few: string, many: string];

/** Polish plural: 1 -> one, 2-4 (not 12-14) -> few, else many. English: 1 -> one, else many (few unused). */
function count(n: number, lang: ReportLang, forms: Forms, en: [string, string]): string {
  if (lang === 'en') return `${thousands(n, 'en')} ${n === 1 ? en[0] : en[1]}`;
  const mod10 = n % 10;
  const mod100 = n % 100;
  const form = n === 1 ? forms[0] : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? forms[1] : forms[2];
  return `${thousands(n, 'pl')} ${form}`;
}

const W = {
  lines: [['linia', 'linie', 'linii'], ['line', 'lines']],
  methods: [['metoda', 'metody', 'metod'], ['method', 'methods']],
  attributes: [['atrybut', 'atrybuty', 'atrybutów'], ['attribute', 'attributes']],
  copies: [['kopia', 'kopie', 'kopii'], ['copy', 'copies']],
  tokens: [['token', 'tokeny', 'tokenów'], ['token', 'tokens']],
  functions: [['funkcja', 'funkcje', 'funkcji'], ['function', 'functions']],
  files: [['plik', 'pliki', 'plików'], ['file', 'files']],
  names: [['nazwa', 'nazwy', 'nazw'], ['name', 'names']],
  groups: [['grupa', 'grupy', 'grup'], ['group', 'groups']],
  modules: [['moduł', 'moduły', 'modułów'], ['module', 'modules']],
} as const satisfies Record<string, [Forms, [string, string]]>;

function n(value: number, word: keyof typeof W, lang: ReportLang): string {
  const [pl, en] = W[word];
  return count(value, lang, pl as unknown as Forms, en as unknown as [string, string]);
}

const TITLE: Record<RuleId, [string, string]> = {
  'size/file-lines': ['Za długi plik', 'File too long'],
  'size/file-definitions': ['Za dużo definicji w pliku', 'Too many definitions in one file'],
  'size/class-lines': ['Za duża klasa', 'Class too long'],
  'size/class-methods': ['Klasa z nadmiarem metod', 'Class with too many methods'],
  'size/function-lines': ['Za długa funkcja', 'Function too long'],
  'god-class/low-cohesion': ['Klasa-bóg o niskiej spójności', 'God class with low cohesion'],
  'complexity/cyclomatic': ['Wysoka złożoność cyklomatyczna', 'High cyclomatic complexity'],
  'complexity/nesting': ['Głębokie zagnieżdżenie bloków', 'Deeply nested blocks'],
  'duplication/clone': ['Zduplikowany kod', 'Duplicated code'],
  'duplication/module-pair': ['Logika zdublowana między modułami', 'Logic duplicated between modules'],
  'dead-code/unused-function': ['Nieużywana funkcja', 'Unused function'],
  'dead-code/unused-class': ['Nieużywana klasa', 'Unused class'],
  'dead-code/unused-constant': ['Nieużywana nazwa modułu', 'Unused module-level name'],
  'dead-code/unused-method': ['Nieużywana metoda prywatna', 'Unused private method'],
  'dead-code/unused-import': ['Nieużywany import', 'Unused import'],
  'dead-code/unreachable': ['Nieosiągalny kod', 'Unreachable code'],
  'layering/io-mixing': ['IO wymieszane z logiką', 'IO mixed with logic'],
  'cycles/import-cycle': ['Cykl importów', 'Import cycle'],
  'syntax/error': ['Błąd składni', 'Syntax error'],
};

const PRIORITY_NAME: Record<Priority, [string, string]> = { high: ['wysoki', 'high'], medium: ['średni', 'medium'], low: ['niski', 'low'] };

const IO_NAME: Record<string, [string, string]> = {
  http: ['HTTP', 'HTTP'],
  subprocess: ['podprocesy', 'subprocesses'],
  file: ['IO plikowe', 'file IO'],
  process: ['inspekcja procesów', 'process inspection'],
};

const t = (pair: [string, string], lang: ReportLang): string => (lang === 'pl' ? pair[0] : pair[1]);
const c = (s: string): string => `\`${s}\``;

function subject(f: Finding): string {
  return f.symbol ? c(f.symbol) : c(f.path);
}

/** The measured problem, in the report language. */
function problem(f: Finding, lang: ReportLang): string {
  const pl = lang === 'pl';
  const v = f.metric.value;
  const th = f.metric.threshold ?? 0;
  const d = f.details;
  switch (f.rule) {
    case 'size/file-lines':
      return pl ? `Plik ma ${n(v, 'lines', lang)} (próg ${th}).` : `The file has ${n(v, 'lines', lang)} (threshold ${th}).`;
    case 'size/file-definitions':
      return pl ? `Plik definiuje ${n(v, 'names', lang)} najwyższego poziomu (próg ${th}).` : `The file defines ${n(v, 'names', lang)} at top level (threshold ${th}).`;
    case 'size/class-lines':
      return pl ? `Klasa ${subject(f)} ma ${n(v, 'lines', lang)} (próg ${th}).` : `Class ${subject(f)} has ${n(v, 'lines', lang)} (threshold ${th}).`;
    case 'size/class-methods':
      return pl ? `Klasa ${subject(f)} ma ${n(v, 'methods', lang)} (próg ${th}).` : `Class ${subject(f)} has ${n(v, 'methods', lang)} (threshold ${th}).`;
    case 'size/function-lines':
      return pl ? `${subject(f)} ma ${n(v, 'lines', lang)} (próg ${th}).` : `${subject(f)} has ${n(v, 'lines', lang)} (threshold ${th}).`;
    case 'god-class/low-cohesion': {
      if (d?.kind !== 'god-class') return f.message;
      const lines = f.endLine - f.startLine + 1;
      const head = pl
        ? `${subject(f)}: ${n(d.methods, 'methods', lang)}, ${n(d.attributes, 'attributes', lang)}, ${n(lines, 'lines', lang)}, LCOM4 = ${d.lcom4}`
        : `${subject(f)}: ${n(d.methods, 'methods', lang)}, ${n(d.attributes, 'attributes', lang)}, ${n(lines, 'lines', lang)}, LCOM4 = ${d.lcom4}`;
      if (d.split) {
        const groups = d.split.clusters.map((g) => `${g.name} (${g.methods.length})`).join(', ');
        return pl ? `${head}; metody tworzą ${n(d.split.clusters.length, 'groups', lang)}: ${groups}.` : `${head}; its methods form ${n(d.split.clusters.length, 'groups', lang)}: ${groups}.`;
      }
      const groups = d.components.filter((g) => g.length >= 2).length;
      return pl ? `${head}; ${n(groups, 'groups', lang)} metod bez wspólnego stanu.` : `${head}; ${n(groups, 'groups', lang)} of methods share no state.`;
    }
    case 'complexity/cyclomatic':
      return pl
        ? `${subject(f)} ma złożoność cyklomatyczną ${v} (próg ${th}, ocena radon ${radonGrade(v)}).`
        : `${subject(f)} has cyclomatic complexity ${v} (threshold ${th}, radon grade ${radonGrade(v)}).`;
    case 'complexity/nesting':
      return pl ? `${subject(f)} zagnieżdża bloki na głębokość ${v} (próg ${th}).` : `${subject(f)} nests blocks ${v} deep (threshold ${th}).`;
    case 'duplication/clone': {
      if (d?.kind !== 'clone') return f.message;
      const lines = f.endLine - f.startLine + 1;
      return pl
        ? `${n(d.occurrences, 'copies', lang)} tego samego fragmentu (${n(lines, 'lines', lang)}, ${n(d.tokens, 'tokens', lang)}; identyczna struktura z dokładnością do nazw i literałów).`
        : `${n(d.occurrences, 'copies', lang)} of the same code (${n(lines, 'lines', lang)}, ${n(d.tokens, 'tokens', lang)}; same structure up to names and literals).`;
    }
    case 'duplication/module-pair': {
      if (d?.kind !== 'module-pair') return f.message;
      const pairs = d.pairs.slice(0, 4).map((p) => `${c(p.a)} ≈ ${c(p.b)} (${Math.round(p.similarity * 100)}%)`).join(', ');
      return pl
        ? `${n(d.pairs.length, 'functions', lang)} modułu ${c(d.modules[0])} powiela logikę z ${c(d.modules[1])}: ${pairs}${d.pairs.length > 4 ? ', …' : ''}.`
        : `${n(d.pairs.length, 'functions', lang)} of ${c(d.modules[0])} duplicate logic in ${c(d.modules[1])}: ${pairs}${d.pairs.length > 4 ? ', …' : ''}.`;
    }
    case 'dead-code/unused-function':
    case 'dead-code/unused-class':
    case 'dead-code/unused-constant':
    case 'dead-code/unused-method':
    case 'dead-code/unused-import':
      return pl ? `${t(TITLE[f.rule], lang)} ${subject(f)} (pewność ${f.confidence}%).` : `${t(TITLE[f.rule], lang)} ${subject(f)} (${f.confidence}% confidence).`;
    case 'dead-code/unreachable':
      return pl
        ? `Instrukcje w liniach ${f.startLine}-${f.endLine}${f.symbol ? ` w ${subject(f)}` : ''} nigdy się nie wykonają (pewność ${f.confidence}%).`
        : `Lines ${f.startLine}-${f.endLine}${f.symbol ? ` in ${subject(f)}` : ''} can never run (${f.confidence}% confidence).`;
    case 'layering/io-mixing': {
      if (d?.kind !== 'io-mixing') return f.message;
      const parts = d.io.map((io) => `${t(IO_NAME[io.kind] ?? [io.kind, io.kind], lang)}: ${io.methods.map((m) => c(m.name)).join(', ')}`).join('; ');
      return pl
        ? `${subject(f)} łączy IO z logiką — ${parts}; ${n(d.pureMethods.length, 'methods', lang)} bez IO.`
        : `${subject(f)} mixes IO with logic — ${parts}; ${n(d.pureMethods.length, 'methods', lang)} without IO.`;
    }
    case 'cycles/import-cycle': {
      if (d?.kind !== 'cycle') return f.message;
      const k = d.modules.length;
      const verb = k % 10 >= 2 && k % 10 <= 4 && (k % 100 < 12 || k % 100 > 14) ? 'importują' : 'importuje';
      return pl
        ? `${n(k, 'modules', lang)} ${verb} się nawzajem w czasie importu: ${d.modules.map(c).join(', ')}.`
        : `${n(d.modules.length, 'modules', lang)} import each other at import time: ${d.modules.map(c).join(', ')}.`;
    }
    case 'syntax/error':
      return pl ? `Plik nie daje się odczytać w całości (linia ${f.startLine}).` : `The file cannot be read completely (line ${f.startLine}).`;
  }
}

function deadCodeWhy(f: Finding, lang: ReportLang): string {
  const d = f.details;
  if (d?.kind !== 'dead-code') return f.explanation ?? '';
  const ev = d.evidence.map(c).join(', ');
  const name = subject(f);
  const pl: Record<DeadCodeReason, string> = {
    unreferenced: `${name} nie występuje nigdzie w projekcie (kod i testy) poza własną definicją; usunięcie nie zmienia żadnego odwołania.`,
    'unused-import': `Nazwa nie jest używana w swoim zakresie, a żaden inny moduł nie importuje jej stąd ani nie patchuje przez ten moduł.`,
    unreachable: `Po ${ev.replace('@', ' w linii ')} sterowanie nie dochodzi do tych instrukcji.`,
    string: `Nic nie odwołuje się do nazwy w kodzie, ale występuje ona w literale napisowym (${ev}) — getattr, cel \`mock.patch\` albo punkt wejścia może jej używać.`,
    dynamic: `Moduł używa globals()/locals()/eval lub \`__getattr__\`, więc nazwy mogą być wyszukiwane dynamicznie.`,
    'star-import': `Moduł ${ev} jest importowany przez \`*\`, co re-eksportuje nazwę.`,
    decorator: `Dekorator ${ev} może rejestrować funkcję we frameworku.`,
    'framework-base': `Klasa dziedziczy po zewnętrznej bazie (${ev}); frameworki znajdują takie podklasy bez podawania nazwy.`,
    override: `Klasa dziedziczy po zewnętrznej bazie (${ev}), której mechanizm może wywoływać tę metodę.`,
    'side-effect': `Import ładuje moduł ${ev}, który może być potrzebny ze względu na efekty uboczne importu (rejestracje).`,
    'string-annotation': `Nazwa występuje w napisie w tym pliku (adnotacja tekstowa lub getattr może jej potrzebować).`,
    yield: `Martwy kod zawiera \`yield\`: nadal czyni funkcję generatorem, więc usunięcie zmienia jej wynik.`,
    scope: `Martwy kod zawiera \`global\`/\`nonlocal\`, co wciąż wpływa na rozwiązywanie nazw w funkcji.`,
  };
  return lang === 'pl' ? pl[d.reason] : f.explanation ?? '';
}

/** Why the finding matters (rule rationale plus the measured figure). */
function rationale(f: Finding, lang: ReportLang): string {
  const pl = lang === 'pl';
  switch (f.category) {
    case 'size':
      return pl
        ? 'Duże jednostki trudno przeglądać i testować, a zmiany w nich częściej wchodzą sobie w drogę; podział ułatwia refaktoryzację krok po kroku.'
        : 'Large units are hard to review and test, and changes to them collide more often; splitting them makes step-by-step refactoring possible.';
    case 'god-class':
      return pl
        ? 'Grupy metod nie dzielą stanu (LCOM4 liczy spójne składowe grafu metod i atrybutów `self`), więc klasa skupia kilka odpowiedzialności: każda zmiana dotyka tego samego pliku, a testy muszą budować cały obiekt.'
        : 'Method groups share no state (LCOM4 counts connected components of the graph of methods and `self` attributes), so the class holds several responsibilities: every change touches the same file and tests must build the whole object.';
    case 'complexity':
      return f.rule === 'complexity/cyclomatic'
        ? pl
          ? `Każda decyzja to osobna ścieżka do przetestowania; przy ${f.metric.value} ścieżkach łatwo o nieprzetestowany przypadek.`
          : `Each decision is another path to test; with ${f.metric.value} paths an untested case is likely.`
        : pl
          ? 'Głęboko zagnieżdżony kod trudno śledzić; zwykle miesza obsługę błędów z właściwą logiką.'
          : 'Deeply nested code is hard to follow; it usually mixes error handling with the actual logic.';
    case 'duplication':
      return pl
        ? 'Poprawka w jednej kopii łatwo omija pozostałe, a kopie z czasem się rozjeżdżają.'
        : 'A fix in one copy easily misses the others, and copies drift apart over time.';
    case 'dead-code':
      return deadCodeWhy(f, lang);
    case 'layering':
      return pl
        ? 'Logiki decyzyjnej nie da się przetestować bez prawdziwego IO (sieć, procesy, pliki); adapter za małym interfejsem pozwala ją podmienić w testach i wymienić implementację.'
        : 'The decision logic cannot be tested without real IO (network, processes, files); an adapter behind a small interface can be replaced in tests and swapped later.';
    case 'cycles':
      return pl
        ? 'Cykl działa tylko przy określonej kolejności importów; przeniesienie kodu lub nowy import może wywołać ImportError z częściowo zainicjalizowanego modułu.'
        : 'The cycle only works for one import order; moving code or adding an import can raise ImportError from a half-initialised module.';
    case 'syntax':
      return pl ? 'Operacje refaktoryzacji odrzucają pliki, które się nie parsują.' : 'Refactoring operations refuse files that do not parse.';
  }
}

function pascal(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function recommendation(f: Finding, lang: ReportLang): string {
  if (lang === 'en') return f.recommendation;
  const d = f.details;
  switch (f.rule) {
    case 'size/file-lines':
    case 'size/file-definitions':
      return 'Podziel moduł według odpowiedzialności (spójne grupy funkcji/klas do osobnych modułów) i zostaw re-eksport w starym module, aby istniejące importy i cele `mock.patch` działały.';
    case 'size/class-lines':
    case 'size/class-methods':
      return 'Wydziel grupy metod pracujące na tych samych atrybutach do osobnych klas i deleguj do nich (zob. znalezisko o klasie-bogu).';
    case 'size/function-lines':
      return 'Wydziel kolejne kroki do nazwanych funkcji pomocniczych (jeden poziom abstrakcji na funkcję), ścieżki błędów zakończ wczesnym `return`.';
    case 'god-class/low-cohesion': {
      if (d?.kind !== 'god-class' || !d.split) return 'Przenieś każdą niezależną grupę metod do osobnej klasy lub funkcji modułu.';
      const cls = (f.symbol ?? '').split('.').pop() ?? '';
      const parts = d.split.clusters
        .map((g) => `${c(`${cls}${pascal(g.name)}`)} (${g.methods.slice(0, 4).join(', ')}${g.methods.length > 4 ? ', …' : ''}; stan: ${g.attributes.slice(0, 3).join(', ')})`)
        .join('; ');
      let text = `Wydziel: ${parts}.`;
      if (d.split.coordinators.length) text += ` ${d.split.coordinators.map(c).join(', ')} zostaje w ${c(cls)} jako koordynator delegujący do części.`;
      if (d.split.nested.length) text += ` Wydziel też logikę zagnieżdżoną w koordynatorze: ${d.split.nested.map((x) => `${c(x.name)} (${n(x.lines, 'lines', lang)})`).join(', ')}.`;
      if (d.split.shared.length) text += ` ${d.split.shared.map(c).join(', ')} — wspólna usługa przekazywana każdej części.`;
      if (d.split.hubs.length) text += ` Przekaż ${d.split.hubs.map(c).join(', ')} każdej części.`;
      return text;
    }
    case 'complexity/cyclomatic':
      return 'Rozbij gałęzie na osobne funkcje (po jednej na przypadek lub etap), zastąp rozgałęzienia po flagach tablicą dyspozycji i kończ ścieżki błędów wcześnie.';
    case 'complexity/nesting':
      return 'Spłaszcz kod klauzulami ochronnymi (`if not ok: return`) i przenieś najgłębszą pętlę lub blok try do funkcji pomocniczej.';
    case 'duplication/clone': {
      const tests = f.related.every((l) => /(^|\/)tests?\//.test(l.path) || /(^|\/)test_/.test(l.path));
      return tests
        ? 'Przenieś wspólne przygotowanie do fixture pytest albo sparametryzuj test.'
        : 'Wydziel wspólny kod do jednej funkcji (parametry dla różniących się nazw i literałów) i wywołuj ją we wszystkich miejscach.';
    }
    case 'duplication/module-pair':
      return d?.kind === 'module-pair'
        ? `Zostaw jedną implementację: przenieś wspólną logikę do jednego modułu (lub helpera importowanego przez oba), a drugi niech do niej deleguje — ${c(d.modules[0])} i ${c(d.modules[1])} nie powinny jej obu utrzymywać.`
        : 'Zostaw jedną implementację i deleguj do niej.';
    case 'dead-code/unused-function':
    case 'dead-code/unused-class':
    case 'dead-code/unused-constant':
    case 'dead-code/unused-method':
      return (f.confidence ?? 0) >= 90
        ? `Usuń ${subject(f)} (linie ${f.startLine}-${f.endLine}).`
        : `Sprawdź użycie przez napis lub rejestrację, potem usuń ${subject(f)}, jeśli nic go nie potrzebuje.`;
    case 'dead-code/unused-import':
      return f.startLine === f.endLine ? `Usuń import ${subject(f)} (linia ${f.startLine}).` : `Usuń instrukcję importu (linie ${f.startLine}-${f.endLine}).`;
    case 'dead-code/unreachable':
      return (f.confidence ?? 0) >= 100
        ? `Usuń linie ${f.startLine}-${f.endLine} albo popraw przepływ sterowania, jeśli miały się wykonać.`
        : 'Zachowaj semantykę generatora/zakresu jawnie (np. `return iter(())`) przed usunięciem.';
    case 'layering/io-mixing': {
      if (d?.kind !== 'io-mixing') return f.recommendation;
      const names: Record<string, string> = { http: 'klienta HTTP', subprocess: 'uruchamiacz procesów', file: 'magazyn plików', process: 'inspektor procesów' };
      const cls = (f.symbol ?? '').split('.').pop() ?? '';
      return `Wydziel ${d.io.map((io) => names[io.kind] ?? io.kind).join(', ')} za małym interfejsem wstrzykiwanym do ${c(cls)}, przenieś tam wywołania IO, a decyzje zostaw w ${c(cls)}, by dało się je testować bez prawdziwego IO.`;
    }
    case 'cycles/import-cycle':
      return 'Przenieś nazwy potrzebne obu stronom do modułu, który nie importuje żadnej z nich (albo importuj leniwie w funkcji, która ich potrzebuje), aby żaden moduł nie potrzebował drugiego w połowie zainicjalizowanego.';
    case 'syntax/error':
      return 'Popraw błąd składni; operacje odrzucają pliki, które się nie parsują.';
  }
}

function where(f: Finding, lang: ReportLang): string {
  const main = `${c(location(f.path, f.startLine, f.endLine))}${f.symbol && f.category !== 'dead-code' ? ` (${c(f.symbol)})` : ''}`;
  if (f.rule === 'duplication/clone' || f.rule === 'duplication/module-pair') {
    const all = f.related.map((l) => c(location(l.path, l.startLine, l.endLine)));
    return all.slice(0, 8).join(', ') + (all.length > 8 ? (lang === 'pl' ? ` i ${all.length - 8} więcej` : ` and ${all.length - 8} more`) : '');
  }
  if (f.rule === 'cycles/import-cycle') {
    return f.related.map((l) => `${c(location(l.path, l.startLine, l.endLine))} (${l.symbol})`).join(', ');
  }
  return main;
}

/** Picks the top findings: by priority, round-robin over categories so one kind does not crowd out the rest. */
function pick(findings: Finding[], limit: number): Finding[] {
  const out: Finding[] = [];
  for (const p of PRIORITY_ORDER) {
    const queues = CATEGORY_ORDER.map((cat) => findings.filter((f) => f.priority === p && f.category === cat));
    while (out.length < limit && queues.some((q) => q.length)) {
      for (const q of queues) {
        if (out.length >= limit) break;
        const f = q.shift();
        if (f) out.push(f);
      }
    }
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * Markdown for the change report: `risks` (a summary line and the top risks, one line each) and `findings` (the
 * top `limit` findings as problem → location → rationale → recommendation). Deterministic for a given result.
 */
export function renderReportFindings(result: ReviewResult, options: ReportFindingsOptions = {}): { risks: string; findings: string } {
  const lang = options.lang ?? 'pl';
  const limit = Math.max(1, options.limit ?? 10);
  const s = result.summary;
  const pl = lang === 'pl';
  const intro = pl
    ? `Przegląd: ${n(s.files, 'files', lang)}, ${n(s.lines, 'lines', lang)}; znaleziska: ${s.byPriority.high} o wysokim, ${s.byPriority.medium} o średnim i ${s.byPriority.low} o niskim priorytecie.`
    : `Review: ${n(s.files, 'files', lang)}, ${n(s.lines, 'lines', lang)}; findings: ${s.byPriority.high} high, ${s.byPriority.medium} medium and ${s.byPriority.low} low priority.`;
  if (!result.findings.length) {
    return { risks: `${intro}\n\n${pl ? 'Brak znalezisk.' : 'No findings.'}\n`, findings: pl ? 'Brak znalezisk.\n' : 'No findings.\n' };
  }
  const top = pick(result.findings, Math.max(3, Math.ceil(limit / 2)));
  const risks = [intro, '', ...top.map((f, i) => `${i + 1}. **${t(TITLE[f.rule], lang)}** — ${c(location(f.path, f.startLine, f.endLine))}: ${problem(f, lang)}`)];
  const detailed = pick(result.findings, limit);
  const entries: string[] = [];
  detailed.forEach((f, i) => {
    entries.push(
      `### ${i + 1}. ${t(TITLE[f.rule], lang)} (${pl ? 'priorytet' : 'priority'}: ${t(PRIORITY_NAME[f.priority], lang)})`,
      '',
      `- **Problem:** ${problem(f, lang)}`,
      `- **${pl ? 'Miejsce' : 'Location'}:** ${where(f, lang)}`,
      `- **${pl ? 'Uzasadnienie' : 'Rationale'}:** ${rationale(f, lang)}`,
      `- **${pl ? 'Rekomendacja' : 'Recommendation'}:** ${recommendation(f, lang)}`,
      '',
    );
  });
  const more = result.findings.length - detailed.length;
  if (more > 0) entries.push(pl ? `Pozostałe znaleziska (${more}): \`remodel review --md\`.` : `Remaining findings (${more}): \`remodel review --md\`.`);
  return { risks: `${risks.join('\n')}\n`, findings: `${entries.join('\n').trim()}\n` };
}
