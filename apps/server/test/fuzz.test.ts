import { isProcedureCode, ProcedureDefinition, validateEform } from '@tinhso/domain';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertStorableDraft, DRAFT_MAX_BYTES } from '../src/services/drafts.js';
import { pdfBytes } from './file-fixtures.js';
import {
  citizenSession,
  ENGINES,
  login,
  type Session,
  startTestApp,
  type TestApp,
  validForm,
} from './helpers.js';

/**
 * Property-based fuzzing of every operation of the OpenAPI document the app serves (issue 7, "Bad input").
 *
 * For each operation, fast-check generates path parameters, query strings, headers and bodies from the operation's
 * JSON schemas — valid-looking values (real codes and ids from the demo data, Vietnamese text) mixed with hostile ones
 * (NUL and control characters, lone UTF-16 surrogates and invalid UTF-8, 5,000-character strings, numbers at and
 * beyond their bounds, NaN-like strings, wrong types, missing and extra fields, deep nesting, empty or malformed
 * bodies, wrong content types, '../', '%00', SQL-looking strings) — and sends the same inputs three ways: anonymous,
 * as a citizen and as the province administrator (with the CSRF header of the session on writes).
 *
 * Property: never a 5xx; every 4xx carries {error:{code,message,messageEn}} with a non-empty Vietnamese message; no
 * body shows a stack trace. Anonymous and citizen writes that fail leave the number of dossiers, drafts and files
 * unchanged; rows they create pass the domain's own checks; no dossier, draft, file or audit row holds a NUL or a
 * lone surrogate.
 *
 * Fixed seed (FUZZ_SEED), FUZZ_RUNS runs per operation and principal (default 25; heavy exports run a fifth of them);
 * FUZZ_DEBUG=1 prints the statuses seen per operation and principal, to check that inputs reach the use cases.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261120);
const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 25));
const DEBUG = Boolean(process.env.FUZZ_DEBUG);

/**
 * Operations not fuzzed from their schema, and why. The multipart uploads get hand-written hostile cases below
 * ("multipart uploads"; files.test.ts and templates.test.ts already cover forged types — an executable named .pdf —,
 * oversized files at a small limit, missing/empty/extra parts, truncated bodies and the CSRF check). The embedded
 * OIDC provider's own /oidc routes are not in the OpenAPI document (oidc.test.ts covers the flow).
 */
const SKIPPED: Record<string, string> = {
  'POST /api/files': 'multipart/form-data upload: hand-written hostile cases below',
  'PUT /api/procedures/{code}/templates/{component}':
    'multipart/form-data upload: hand-written hostile cases below',
};

/** Exports that render a PDF/XLSX of the whole province or catalogue on every call: fewer runs keep the file short. */
const HEAVY = new Set([
  'GET /api/catalogue/export',
  'GET /api/indicators/export.xlsx',
  'GET /api/indicators/export.pdf',
  'POST /api/indicators/rebuild',
  'GET /api/dossiers/{code}/forms/{form}',
  'GET /api/registers/dossiers',
]);

// ---------------------------------------------------------------------------------------------------------------
// The OpenAPI document

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

interface Operation {
  id: string;
  method: string;
  path: string;
  params: Param[];
  /** The JSON body schema; undefined when the operation documents no JSON body. */
  bodySchema?: JsonSchema;
  write: boolean;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
        requestBody?: { content: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
}

const schemaOf = (s: unknown): JsonSchema => (s && typeof s === 'object' ? (s as JsonSchema) : {});

function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase();
      const params: Param[] = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => ({
          name: p.name,
          in: p.in as Param['in'],
          required: p.required === true || p.in === 'path',
          schema: schemaOf(p.schema),
        }));
      // A path parameter the document forgot still has to be filled in.
      for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
        if (name && !params.some((p) => p.in === 'path' && p.name === name)) {
          params.push({ name, in: 'path', required: true, schema: { type: 'string' } });
        }
      }
      const json = op.requestBody?.content['application/json'];
      ops.push({
        id: `${method} ${path}`,
        method,
        path,
        params,
        ...(json ? { bodySchema: schemaOf(json.schema) } : {}),
        write: method !== 'GET' && method !== 'HEAD',
      });
    }
  }
  // Logging in and out last: the sessions of the fuzzing principals must live through the other operations, and the
  // login rate limit (20/min) must not stop the administrator's login.
  const last = (o: Operation) => (o.path.startsWith('/api/auth/log') ? 1 : 0);
  return ops.sort((a, b) => last(a) - last(b));
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Real codes and ids of the demo data, so that valid-looking inputs reach the use cases and not only validation. */
interface Samples {
  dossierCodes: string[];
  procedureCodes: string[];
  componentCodes: string[];
  unitCodes: string[];
  documentIds: string[];
  verifyTokens: string[];
  fileIds: string[];
  officerIds: string[];
  usernames: string[];
  personalIds: string[];
  formData: Record<string, string>[];
  /** Procedure definitions as the catalogue exports them. */
  definitions: Record<string, unknown>[];
  /** A complete online submission of the citizen (birth registration, without files). */
  submission: Record<string, unknown>;
}

const VI_LETTERS = [
  ...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐƯƠ',
  ...'ABCDEGHKLMNPQSTVXY0123456789 .,-/',
];
/** Vietnamese text, trimmed (most fields trim before checking their length). */
const viText = (minLength = 0, maxLength = 40) =>
  fc
    .string({ unit: fc.constantFrom(...VI_LETTERS), minLength, maxLength })
    .map((x) => x.trim().padEnd(minLength, 'ă'));

const LONG = 5000;
/** Strings no input should trust. */
const HOSTILE_STRINGS: string[] = [
  '',
  ' ',
  '   \t  ',
  'Nguyễn Văn Ánh — Phường Hưng Dũng, thành phố Vinh',
  'Đặng Thị Hường Giang ỹỷỵ Ừ',
  'A\u0301\u0300\u0323 (dấu tổ hợp)',
  "' OR 1=1 --",
  "'; DROP TABLE dossiers; --",
  '" OR ""="',
  '1) OR pg_sleep(0)--',
  '%',
  '%_\\',
  '../',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0008\u001b[31m\u001f\u007f',
  'dòng 1\r\ndòng 2',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  'z\udc00\ud800',
  '\ufeff\u200b\u202e',
  '😀👍🏽',
  '<script>alert(1)</script>',
  '$' + '{7*7}{{7*7}}', // template injection
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '1e309',
  '9007199254740993',
  '99999999999999999999999999',
  '0x1F',
  '١٢٣',
  '１２３',
  'x'.repeat(LONG),
  'ễ'.repeat(LONG),
  '\u0000'.repeat(64),
  '\ud800'.repeat(32),
];
const NUMERIC_STRINGS = [
  '-1',
  '0',
  '-0',
  '1.5',
  '1e3',
  '1e309',
  '-1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b11',
  ' 7 ',
  '7abc',
  '',
  '9007199254740993',
  '99999999999999999999',
  '1,2',
  '١',
  '１',
  '2147483648',
  '-2147483649',
];
const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, '', [], {}, ['x'], { x: 1 }, [null], 'chuỗi'];

/** {a:{a:…}} or [[…]], `depth` levels (deeper ones are sent as raw text: JSON.stringify would overflow the stack). */
function nested(depth: number, array: boolean): unknown {
  let v: unknown = array ? [] : { a: 1 };
  for (let i = 0; i < depth; i++) v = array ? [v] : { a: v };
  return v;
}
const deep = fc
  .tuple(fc.integer({ min: 20, max: 1500 }), fc.boolean())
  .map(([depth, array]) => nested(depth, array));

const hostileString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 300, maxLength: 2000 }) },
);

function numberEdges(s: JsonSchema): unknown[] {
  const out: unknown[] = [
    0,
    -1,
    1.5,
    -0,
    2 ** 31,
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
    'NaN',
    'Infinity',
    '1',
  ];
  for (const b of [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum]) {
    if (typeof b === 'number') out.push(b, b - 1, b + 1, b + 0.5);
  }
  return out;
}

// Valid dates around the demo data; the far past and future are among the hostile values.
const DATE = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const DATE_TIME = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const HOSTILE_DATES = [
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '-002026-01-01',
  '275760-09-13',
  '2026-11-20T25:61:00Z',
  '2026-11-20T03:00:00+99:99',
  '20261120',
  '2026/11/20',
  '20.11.2026',
  '1899-12-31',
  '2101-01-01',
  '1970-01-01T00:00:00Z',
];

type Arb = fc.Arbitrary<unknown>;

/** Builds fast-check arbitraries from the JSON schemas of one operation, using the demo samples for hints. */
class Generator {
  constructor(
    private readonly samples: Samples,
    private readonly path: string,
  ) {}

  /** Realistic values for a field or parameter, by name (and, for path codes, by route). */
  private hint(name: string | undefined, where: 'path' | 'query' | 'body'): unknown[] | undefined {
    const s = this.samples;
    const p = this.path;
    switch (name) {
      case 'code':
        if (where === 'body' && p === '/api/units') return ['H41.77', '000.00.78.H41', 'H41.02', 'H41.50.01'];
        if (where === 'body') return s.componentCodes;
        if (p.startsWith('/api/dossiers') || p.startsWith('/api/lookup')) return s.dossierCodes;
        if (p.startsWith('/api/procedures')) return s.procedureCodes;
        return s.unitCodes;
      case 'procedureCode':
      case 'procedure':
        return s.procedureCodes;
      case 'component':
        return s.componentCodes;
      case 'unit':
      case 'agency':
      case 'competentUnit':
      case 'receivingUnit':
      case 'toUnit':
      case 'parentCode':
      case 'successor':
      case 'sources':
        return s.unitCodes;
      case 'id':
        if (p.startsWith('/api/documents')) return s.documentIds;
        if (p.startsWith('/api/files')) return s.fileIds;
        if (p.startsWith('/api/officers')) return s.officerIds;
        return undefined;
      case 'documentId':
        return s.documentIds;
      case 'fileIds':
        return s.fileIds;
      case 'assignee':
      case 'signerId':
        return s.officerIds;
      case 'token':
        return s.verifyTokens;
      case 'personalId':
      case 'idNumber':
        return s.personalIds;
      case 'username':
        return s.usernames;
      case 'expectedVersion':
        return [1, 2, 3, 4, 5, 6, 7, 8];
      case 'formData':
        return s.formData;
      case 'year':
        return [2025, 2026, 2027];
      case 'sessions':
        return [
          [
            ['07:30', '11:30'],
            ['13:30', '17:00'],
          ],
          [['08:00', '12:00']],
        ];
      case 'email':
        return ['minh@example.vn', 'nguyen.van.an@tinhso.gov.vn'];
      case 'name':
        return ['Nguyễn Văn Minh', 'Trần Thị Hường', 'UBND xã Hưng Dũng'];
      case 'period':
        return ['2026-10', '2026-Q3', '2026', '2026-H2', '2026-10-01..2026-11-20', '2026-11'];
      case 'q':
        return ['giay phep', 'Nguyễn', 'H41', 'khai sinh'];
      case undefined:
        if (where !== 'body') return undefined;
        if (p === '/api/procedures/{code}') return s.definitions;
        if (p === '/api/dossiers') return [s.submission];
        return undefined;
      case 'returnTo':
        return [
          '/ho-so',
          '//evil.example',
          'https://evil.example/',
          'javascript:alert(1)',
          '/\\evil.example',
        ];
      default:
        return undefined;
    }
  }

  /** A value of `schema`, hostile with some probability at every level. */
  value(schema: JsonSchema, name: string | undefined, where: 'path' | 'query' | 'body', depth = 0): Arb {
    return fc.oneof(
      { weight: 6, arbitrary: this.valid(schema, name, where, depth, true) },
      { weight: 1, arbitrary: this.hostile(schema) },
    );
  }

  hostile(schema: JsonSchema): Arb {
    return fc.oneof(
      { weight: 4, arbitrary: hostileString },
      { weight: 2, arbitrary: fc.constantFrom(...numberEdges(schema)) },
      { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_DATES) },
      { weight: 1, arbitrary: deep },
    );
  }

  /**
   * A value that the schema accepts (hints may still be refused by the use case). With `chaos`, every nested value
   * may be hostile too.
   */
  valid(
    schema: JsonSchema,
    name: string | undefined,
    where: 'path' | 'query' | 'body',
    depth = 0,
    chaos = false,
  ): Arb {
    const s = schema;
    const child = (c: JsonSchema, n: string | undefined) =>
      chaos ? this.value(c, n, where, depth + 1) : this.valid(c, n, where, depth + 1);
    if (s.const !== undefined) return fc.constant(s.const);
    if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...s.enum);
    const branches = s.anyOf ?? s.oneOf;
    if (branches && branches.length > 0) {
      return fc.oneof(...branches.map((b) => this.valid(b, name, where, depth, chaos)));
    }
    if (s.allOf && s.allOf.length > 0) return this.valid(s.allOf[0]!, name, where, depth, chaos);
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.length > 1) {
      return fc.oneof(...types.map((type) => this.valid({ ...s, type }, name, where, depth, chaos)));
    }
    const type = types[0] ?? (s.properties ? 'object' : undefined);
    // Hints of the right JSON type only (a list of unit codes hints the items of `sources`, not the array).
    const fits = (v: unknown) =>
      type === 'array'
        ? Array.isArray(v)
        : type === 'object'
          ? v !== null && typeof v === 'object' && !Array.isArray(v)
          : type === 'integer' || type === 'number'
            ? typeof v === 'number'
            : type === 'string'
              ? typeof v === 'string'
              : true;
    const hint = this.hint(name, where)?.filter(fits);
    const withHint = (arb: Arb): Arb =>
      hint && hint.length > 0
        ? fc.oneof({ weight: where === 'path' ? 8 : 3, arbitrary: fc.constantFrom(...hint) }, arb)
        : arb;
    switch (type) {
      case 'string':
        return withHint(this.string(s));
      case 'integer':
      case 'number': {
        const lo = Math.max(s.minimum ?? -1_000_000, -1_000_000);
        const hi = Math.min(s.maximum ?? 1_000_000, 1_000_000);
        const min = Math.min(lo, hi);
        const int = fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(lo, hi)) });
        const arb =
          type === 'integer'
            ? int
            : fc.oneof(int, fc.double({ min, max: Math.max(lo, hi), noNaN: true, noDefaultInfinity: true }));
        return withHint(arb);
      }
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        if (s.prefixItems && s.prefixItems.length > 0) {
          return fc.tuple(...s.prefixItems.map((p) => child(p, name)));
        }
        const items = typeof s.items === 'object' ? s.items : {};
        const minLength = Math.min(s.minItems ?? 0, 4);
        const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, 4));
        return withHint(fc.array(child(items, name), { minLength, maxLength }));
      }
      case 'object': {
        if (depth > 6) return fc.constant({});
        const props = s.properties ?? {};
        const required = (s.required ?? []).filter((k) => k in props);
        const record = fc.record(
          Object.fromEntries(Object.entries(props).map(([k, v]) => [k, child(v, k)] as const)),
          { requiredKeys: required },
        );
        const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
        if (Object.keys(props).length === 0 && extra) {
          return withHint(
            fc.dictionary(
              fc.oneof(viText(1, 12), fc.constantFrom('hoTen', 'ngaySinh', 'noiSinh', 'soDinhDanh')),
              child(extra, undefined),
              { maxKeys: 5 },
            ),
          );
        }
        return withHint(record);
      }
      default:
        return withHint(fc.jsonValue({ maxDepth: 2 }));
    }
  }

  private string(s: JsonSchema): Arb {
    const min = s.minLength ?? 0;
    const max = Math.max(min, Math.min(s.maxLength ?? 60, 60));
    if (s.format === 'uuid') return fc.uuid();
    if (s.format === 'date') return DATE;
    if (s.format === 'date-time') return DATE_TIME;
    if (s.pattern) {
      try {
        return fc.stringMatching(new RegExp(s.pattern), { size: 'small' });
      } catch {
        // A pattern fast-check cannot generate from: plain text, which the server will refuse cleanly.
      }
    }
    return fc.oneof(viText(min, max), fc.string({ minLength: min, maxLength: max }));
  }

  /** A JSON object of the schema with a required field missing, or extra fields. */
  mutated(schema: JsonSchema): Arb {
    const props = schema.properties;
    if (!props || Object.keys(props).length === 0) return this.valid(schema, undefined, 'body');
    const required = schema.required ?? [];
    return fc
      .tuple(
        this.valid(schema, undefined, 'body'),
        fc.constantFrom(...(required.length > 0 ? required : Object.keys(props))),
        fc.dictionary(
          fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', 'admin', 'id')),
          fc.oneof(fc.constantFrom(...WRONG_TYPES), hostileString),
          { minKeys: 1, maxKeys: 3 },
        ),
        fc.boolean(),
      )
      .map(([value, drop, extra, dropIt]) => {
        if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
        const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        if (dropIt) delete copy[drop];
        else
          for (const [k, v] of Object.entries(extra))
            Object.defineProperty(copy, k, { value: v, enumerable: true });
        return copy;
      });
  }
}

/** A copy of `value` whose n-th node (depth first, modulo their number) is replaced by `by`. */
function replaceNth(value: unknown, n: number, by: unknown): unknown {
  if (value === null || typeof value !== 'object') return by;
  const copy = structuredClone(value) as Record<string, unknown>;
  const slots: [Record<string, unknown>, string][] = [];
  const stack: unknown[] = [copy];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const [k, v] of Object.entries(node)) {
      slots.push([node as Record<string, unknown>, k]);
      stack.push(v);
    }
  }
  if (slots.length === 0) return by;
  const [parent, key] = slots[n % slots.length]!;
  parent[key] = by;
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

/** A path segment or query value: text (percent-encoded, lone surrogates as invalid UTF-8) or raw URL text. */
type Seg = { text: string } | { raw: string };
type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; contentType?: string; payload: string | Buffer };

interface Input {
  path: Record<string, Seg>;
  query: [string, Seg][];
  headers: Record<string, string>;
  body: Body;
  /** What was made hostile (for the report). */
  changed: string;
}

const RAW_SEGMENTS = [
  '..',
  '../',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%AF',
  '%FF%FE',
  '%',
  '%zz',
  '%E1%BB',
  '%20',
  '%0D%0ASet-Cookie:%20x=1',
  "'%20OR%201=1%20--",
  '',
];

/** Percent-encodes text; a lone surrogate becomes its (invalid) three UTF-8 bytes, as a broken client sends. */
function pct(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(s[i]!);
    }
  }
  return out;
}
const enc = (seg: Seg) => ('raw' in seg ? seg.raw : pct(seg.text));
const asText = (v: unknown): string =>
  typeof v === 'string' ? v : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);

const RAW_BODIES: { contentType?: string; payload: string | Buffer }[] = [
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: '{' },
  { contentType: 'application/json', payload: '{"a":' },
  { contentType: 'application/json', payload: 'nul' },
  { contentType: 'application/json', payload: '[1,2' },
  { contentType: 'application/json', payload: '{"a":1}rác' },
  { contentType: 'application/json', payload: '\u0000' },
  { contentType: 'application/json', payload: '{"__proto__":{"admin":true}}' },
  { contentType: 'application/json', payload: '{"constructor":{"prototype":{"admin":true}}}' },
  { contentType: 'application/json', payload: `${'['.repeat(20_000)}${']'.repeat(20_000)}` },
  { contentType: 'application/json', payload: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` },
  { contentType: 'application/json', payload: JSON.stringify({ x: 'x'.repeat(1_100_000) }) },
  {
    contentType: 'application/json',
    payload: Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]),
      Buffer.from('"}'),
    ]),
  },
  { contentType: 'application/json; charset=utf-16le', payload: Buffer.from('{"a":1}', 'utf16le') },
  { contentType: 'text/plain', payload: '{"a":1}' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'username=admin&password=x' },
  {
    contentType: 'application/xml',
    payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  },
  { contentType: 'multipart/form-data', payload: 'garbage' },
  { contentType: 'application/pdf', payload: Buffer.from('%PDF-1.4\nrác') },
  { contentType: 'application/pdf', payload: Buffer.alloc(0) },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    payload: Buffer.from('PK\u0003\u0004rác'),
  },
  { contentType: 'application/octet-stream', payload: Buffer.from([0, 1, 2, 3]) },
  { payload: '{"a":1}' },
];

/**
 * Inputs for one operation: every parameter and the body valid-looking, then (most of the time) one of them made
 * hostile — so each hostile value meets the validation of its own field, and valid requests reach the use cases.
 */
function inputArbitrary(op: Operation, samples: Samples): fc.Arbitrary<Input> {
  const g = new Generator(samples, op.path);
  const text = (a: Arb): fc.Arbitrary<Seg> => a.map((v) => ({ text: asText(v) }));
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const headerParams = op.params.filter((p) => p.in === 'header');

  const validPath = fc.record(
    Object.fromEntries(pathParams.map((p) => [p.name, text(g.valid(p.schema, p.name, 'path'))] as const)),
  );
  const validQuery = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.oneof(
          { weight: p.required ? 0 : 1, arbitrary: fc.constant<[string, Seg][]>([]) },
          {
            weight: 2,
            arbitrary: text(g.valid(p.schema, p.name, 'query')).map((v): [string, Seg][] => [[p.name, v]]),
          },
        ),
      ),
    )
    .map((pairs) => pairs.flat());
  const validHeaders = fc.tuple(
    ...headerParams.map((p) => fc.option(g.valid(p.schema, p.name, 'query').map(asText), { nil: undefined })),
  );
  const json = (a: Arb) => a.map((value): Body => ({ kind: 'json', value }));
  // Operations without a JSON schema: the catalogue import takes {procedures:[…]} (or XLSX), verification a PDF.
  const validBody: fc.Arbitrary<Body> = !op.write
    ? fc.constant({ kind: 'none' })
    : op.bodySchema
      ? json(g.valid(op.bodySchema, undefined, 'body'))
      : op.id === 'POST /api/catalogue/import'
        ? json(fc.subarray(samples.definitions, { minLength: 1 }).map((procedures) => ({ procedures })))
        : op.id === 'POST /api/verify'
          ? fc.constant<Body>({ kind: 'raw', contentType: 'application/pdf', payload: pdfBytes() })
          : fc.constant({ kind: 'none' });

  // One hostile change to a valid input.
  type Change = (input: Input) => Input;
  const hostileSeg = (p: Param): fc.Arbitrary<Seg> =>
    fc.oneof(
      { weight: 4, arbitrary: text(g.hostile(p.schema)) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(...NUMERIC_STRINGS, ...HOSTILE_DATES).map((t) => ({ text: t })),
      },
      { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw) => ({ raw })) },
    );
  const changes: fc.WeightedArbitrary<Change>[] = [
    { weight: 3, arbitrary: fc.constant<Change>((i) => i) },
    ...pathParams.map((p) => ({
      weight: 2,
      arbitrary: hostileSeg(p).map(
        (seg): Change =>
          (i) => ({ ...i, path: { ...i.path, [p.name]: seg }, changed: `path ${p.name}` }),
      ),
    })),
    ...queryParams.map((p) => ({
      weight: 1,
      arbitrary: fc.tuple(hostileSeg(p), fc.option(hostileSeg(p), { nil: undefined })).map(
        ([a, b]): Change =>
          (i) => ({
            ...i,
            query: [
              ...i.query.filter(([k]) => k !== p.name),
              [p.name, a],
              ...(b ? [[p.name, b] as [string, Seg]] : []),
            ],
            changed: `query ${p.name}`,
          }),
      ),
    })),
    ...(queryParams.some((p) => p.required)
      ? [
          {
            weight: 1,
            arbitrary: fc.constant<Change>((i) => ({ ...i, query: [], changed: 'no query' })),
          },
        ]
      : []),
    {
      weight: 1,
      arbitrary: fc
        .array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('__proto__', 'constructor', 'limit[]', 'a[b]', 'vnp_SecureHash', 'vnp_TxnRef'),
              viText(1, 10),
            ),
            hostileSeg({ name: 'x', in: 'query', required: false, schema: {} }),
          ),
          { minLength: 1, maxLength: 3 },
        )
        .map(
          (extra): Change =>
            (i) => ({ ...i, query: [...i.query, ...extra], changed: 'extra query' }),
        ),
    },
    ...headerParams.map((p) => ({
      weight: 1,
      arbitrary: fc.constantFrom('', 'x', 'k'.repeat(101), 'k'.repeat(4000), "' OR 1=1 --", '%00', '../').map(
        (v): Change =>
          (i) => ({ ...i, headers: { ...i.headers, [p.name]: v }, changed: `header ${p.name}` }),
      ),
    })),
  ];
  if (op.write) {
    const raw = fc.constantFrom(...RAW_BODIES).map((b): Body => ({ kind: 'raw', ...b }));
    const schema = op.bodySchema ?? {};
    // One node anywhere in a valid body replaced by a hostile value.
    const deepChange = fc
      .tuple(validBody, fc.nat(), g.hostile({}))
      .map(([b, n, h]): Body => (b.kind === 'json' ? { kind: 'json', value: replaceNth(b.value, n, h) } : b));
    const hostileBody: fc.Arbitrary<Body> = op.bodySchema
      ? fc.oneof(
          { weight: 4, arbitrary: json(g.valid(schema, undefined, 'body', 0, true)) },
          { weight: 3, arbitrary: json(g.mutated(schema)) },
          { weight: 3, arbitrary: deepChange },
          { weight: 1, arbitrary: json(g.hostile(schema)) },
          { weight: 2, arbitrary: raw },
          { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
        )
      : fc.oneof(
          { weight: 3, arbitrary: deepChange },
          { weight: 2, arbitrary: json(fc.jsonValue({ maxDepth: 3 })) },
          { weight: 2, arbitrary: json(g.hostile({})) },
          { weight: 3, arbitrary: raw },
        );
    changes.push({
      weight: 6,
      arbitrary: hostileBody.map(
        (body): Change =>
          (i) => ({ ...i, body, changed: 'body' }),
      ),
    });
  }

  return fc
    .tuple(validPath, validQuery, validHeaders, validBody, fc.oneof(...changes))
    .map(([path, query, headerValues, body, change]) => {
      const headers: Record<string, string> = {};
      headerValues.forEach((v, i) => {
        if (v !== undefined) headers[headerParams[i]!.name] = v;
      });
      const input = change({ path, query, headers, body, changed: 'nothing' });
      // Header values travel as Latin-1: what is not is dropped here (Node refuses it before any server sees it).
      for (const [k, v] of Object.entries(input.headers))
        if (!/^[\x20-\x7e]*$/.test(v)) delete input.headers[k];
      // A procedure definition saved under its own code (PUT /api/procedures/{code}), unless the code is the change.
      const code = (input.body as { value?: { code?: unknown } }).value?.code;
      if (op.path === '/api/procedures/{code}' && typeof code === 'string' && input.changed !== 'path code') {
        input.path = { ...input.path, code: { text: code } };
      }
      return input;
    });
}

function urlOf(op: Operation, input: Input): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => enc(input.path[name] ?? { text: '' }));
  const qs = input.query.map(([k, v]) => `${pct(k)}=${enc(v)}`).join('&');
  return qs ? `${path}?${qs}` : path;
}

type Who = 'anonymous' | 'citizen' | 'admin';

/** Each principal and operation gets its own client address, so that one's rate limit does not hide another's. */
function send(t: TestApp, op: Operation, input: Input, session: Session | null, remoteAddress: string) {
  const headers: Record<string, string> = { ...input.headers, ...(session?.headers ?? {}) };
  let payload: string | Buffer | undefined;
  if (input.body.kind === 'json') {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(input.body.value) ?? 'null';
  } else if (input.body.kind === 'raw') {
    if (input.body.contentType) headers['content-type'] = input.body.contentType;
    payload = input.body.payload;
  }
  return t.app.inject({
    method: op.method as 'GET',
    url: urlOf(op, input),
    headers,
    remoteAddress,
    ...(payload !== undefined ? { payload } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The property

const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;
const STACK_TRACE =
  /\n\s+at\s|\bat [\w.$<>]+ \(|node:internal|node_modules\/|\/(?:src|dist)\/[\w/.-]+\.[tj]s:\d+/;
const TEXTUAL = /json|text|html|xml|csv|svg|javascript/;

/** Throws when a response breaks the property: a 5xx, a 4xx without the error body, or a stack trace. */
function checkResponse(res: LightMyRequestResponse): void {
  if (res.statusCode >= 500) throw new Error(`5xx: ${res.statusCode} ${res.body.slice(0, 600)}`);
  const type = String(res.headers['content-type'] ?? '');
  if ((TEXTUAL.test(type) || type === '') && STACK_TRACE.test(res.body)) {
    throw new Error(`stack trace in the body: ${res.body.slice(0, 600)}`);
  }
  if (res.statusCode < 400) return;
  let body: { error?: { code?: unknown; message?: unknown; messageEn?: unknown } };
  try {
    body = res.json();
  } catch {
    throw new Error(`${res.statusCode} without a JSON error body (${type}): ${res.body.slice(0, 300)}`);
  }
  const e = body.error;
  if (
    !e ||
    typeof e.code !== 'string' ||
    e.code === '' ||
    typeof e.message !== 'string' ||
    typeof e.messageEn !== 'string' ||
    !VIETNAMESE.test(e.message)
  ) {
    throw new Error(`${res.statusCode} with a body not of the platform's shape: ${res.body.slice(0, 300)}`);
  }
}

function describeInput(op: Operation, input: Input): string {
  const body =
    input.body.kind === 'json'
      ? (JSON.stringify(input.body.value) ?? 'undefined')
      : input.body.kind === 'raw'
        ? `[${input.body.contentType ?? 'no content-type'}] ${String(input.body.payload)}`
        : '';
  const url = urlOf(op, input);
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  return `(${input.changed}) ${op.method} ${cut(url)} ${cut(body)} headers=${cut(JSON.stringify(input.headers))}`;
}

// ---------------------------------------------------------------------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string in `value` (recursively) holding a NUL or a lone surrogate, with its path. */
function garbageIn(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || LONE_SURROGATE.test(value)
      ? `${path}: ${JSON.stringify(value)}`
      : null;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date)
    return null;
  for (const [k, v] of Object.entries(value)) {
    const keyGarbage = garbageIn(k, `${path}[key]`);
    if (keyGarbage) return keyGarbage;
    const found = garbageIn(v, `${path}.${k}`);
    if (found) return found;
  }
  return null;
}

describe.each(ENGINES)('fuzzing every OpenAPI operation on %s', (engine) => {
  let t: TestApp;
  let ops: Operation[] = [];
  let samples: Samples;
  const sessions: Record<Who, Session | null> = { anonymous: null, citizen: null, admin: null };
  const CITIZEN = '040090001234';

  const count = async (table: 'dossiers' | 'drafts' | 'files') =>
    Number(
      (
        await t.ctx.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    dossiers: await count('dossiers'),
    drafts: await count('drafts'),
    files: await count('files'),
  });
  let initialDossierIds = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp(engine, { dossiers: 20 });
    const db = t.ctx.database.db;
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApiDoc;
    ops = operationsOf(doc);
    const citizen = await db
      .selectFrom('citizens')
      .select('id')
      .where('personal_id', '=', CITIZEN)
      .executeTakeFirstOrThrow();
    const dossiers = await db
      .selectFrom('dossiers')
      .select(['id', 'code', 'applicant_citizen_id'])
      .orderBy('code')
      .execute();
    initialDossierIds = new Set(dossiers.map((d) => d.id));
    const officers = await db.selectFrom('officers').select(['id', 'username']).orderBy('username').execute();
    const others = officers.filter((o) => o.username !== 'admin');
    const documents = await db.selectFrom('documents').select(['id', 'verify_token']).execute();
    const birth = (await t.app.inject({ method: 'GET', url: '/api/procedures/1.001193' })).json() as {
      definition: { components: { code: string }[] };
    };
    const form = await validForm(t.app, '1.001193');
    samples = {
      // The citizen's own dossiers first: they let the citizen's requests reach the use cases.
      dossierCodes: [
        ...dossiers.filter((d) => d.applicant_citizen_id === citizen.id).map((d) => d.code),
        ...dossiers.map((d) => d.code).slice(0, 8),
      ],
      procedureCodes: [
        '1.001193',
        '1.013225',
        ...(await db.selectFrom('procedures').select('code').orderBy('code').limit(4).execute()).map(
          (p) => p.code,
        ),
      ],
      componentCodes: birth.definition.components.map((c) => c.code),
      unitCodes: (await db.selectFrom('units').select('code').orderBy('code').execute()).map((u) => u.code),
      documentIds: documents.map((d) => d.id).slice(0, 6),
      verifyTokens: documents.flatMap((d) => (d.verify_token ? [d.verify_token] : [])).slice(0, 6),
      fileIds: (await db.selectFrom('files').select('id').limit(6).execute()).map((f) => f.id),
      // Never the administrator: fuzzing must not lock out the account it logs in with.
      officerIds: others.map((o) => o.id).slice(0, 6),
      usernames: ['tiepnhan', 'chuyenvien.xd', 'khong-ton-tai', 'Tiepnhan.50 '],
      personalIds: (await db.selectFrom('citizens').select('personal_id').execute()).map(
        (c) => c.personal_id,
      ),
      formData: [form],
      submission: {
        procedureCode: '1.001193',
        channel: 'online',
        competentUnit: 'H41.50',
        applicant: { name: 'Nguyễn Văn Minh', idNumber: CITIZEN, phone: '0912345678' },
        formData: form,
      },
      definitions: (
        (await t.app.inject({ method: 'GET', url: '/api/catalogue/export' })).json() as {
          procedures: Record<string, unknown>[];
        }
      ).procedures.filter((d) => d['code'] === '1.001193' || d['code'] === '1.013225'),
    };
    for (const key of ['dossierCodes', 'procedureCodes', 'unitCodes', 'personalIds'] as const) {
      expect(samples[key].length, key).toBeGreaterThan(0);
    }
    sessions.citizen = await citizenSession(t, CITIZEN);
    sessions.admin = await login(t.app, 'admin');
  });
  afterAll(async () => t?.close());

  /** Gives a fresh session when the fuzzing ended the principal's (it fuzzes logout too). */
  async function ensureSession(who: Who): Promise<void> {
    const s = sessions[who];
    if (!s) return;
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    if (me.statusCode === 200) return;
    sessions[who] = who === 'citizen' ? await citizenSession(t, CITIZEN) : await login(t.app, 'admin');
  }

  it('reads the OpenAPI document the app serves: every operation is fuzzed or listed as skipped', () => {
    expect(ops.length).toBeGreaterThan(60);
    const ids = new Set(ops.map((o) => o.id));
    for (const skipped of Object.keys(SKIPPED)) expect(ids, skipped).toContain(skipped);
    expect(ops.some((o) => o.path.startsWith('/oidc'))).toBe(false);
  });

  it('regressions found by fuzzing: a malformed URL and a malformed catalogue import are 400s of the platform', async () => {
    for (const url of ['/api/dossiers/%zz', '/api/procedures/%E1%BB', '/api/procedures/x/templates/%']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(() => checkResponse(res)).not.toThrow();
    }
    await ensureSession('admin');
    const importing = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/catalogue/import',
        headers: { ...sessions.admin!.headers, 'content-type': 'application/json' },
        payload,
      });
    for (const [payload, code] of [
      ['"{}"', 'VALIDATION_FAILED'], // was a 500: a ZodError thrown by .parse() in the route
      ['{"procedures":"x"}', 'VALIDATION_FAILED'],
      ['{"procedures":[null]}', 'IMPORT_INVALID'], // was a 500: reading .code of null
      ['{"procedures":[null,1,"x",[]]}', 'IMPORT_INVALID'],
    ]) {
      const res = await importing(payload!);
      expect(res.statusCode, `${payload}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe(code);
      expect(() => checkResponse(res)).not.toThrow();
    }
  });

  /**
   * Fuzzes every operation as `who`; returns the failures, one line per operation. Anonymous and citizen writes
   * are also checked for stored garbage: without a 2xx, the counts of dossiers, drafts and files stay the same.
   */
  async function fuzzAs(who: Who): Promise<string[]> {
    const failures: string[] = [];
    const watchCounts = who !== 'admin';
    for (const [index, op] of ops.entries()) {
      if (SKIPPED[op.id]) continue;
      const address = `10.${['anonymous', 'citizen', 'admin'].indexOf(who)}.${index >> 8}.${index & 255}`;
      await ensureSession(who);
      const before = watchCounts && op.write ? await counts() : null;
      let successes = 0;
      const arb = inputArbitrary(op, samples);
      const details = await fc.check(
        fc.asyncProperty(arb, async (input) => {
          const res = await send(t, op, input, sessions[who], address);
          if (DEBUG) debugRecord(`${who} ${op.id}`, op, input, res);
          if (res.statusCode >= 200 && res.statusCode < 300) successes++;
          try {
            checkResponse(res);
          } catch (e) {
            throw new Error(`${(e as Error).message}\n    request: ${describeInput(op, input)}`);
          }
        }),
        { seed: SEED, numRuns: HEAVY.has(op.id) ? Math.ceil(RUNS / 5) : RUNS, endOnFailure: true },
      );
      if (details.failed) {
        if (DEBUG) console.log((details.errorInstance as Error | null)?.stack);
        failures.push(
          `${who} ${op.id}: ${String((details.errorInstance as Error | null)?.message ?? 'failed')}`,
        );
      }
      if (before) {
        const after = await counts();
        if (successes === 0 && JSON.stringify(after) !== JSON.stringify(before)) {
          failures.push(
            `${who} ${op.id}: rows changed without a 2xx: ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
          );
        }
      }
    }
    if (DEBUG)
      for (const [k, v] of Object.entries(stats)) if (k.startsWith(who)) console.log(k, JSON.stringify(v));
    return failures;
  }
  /** FUZZ_DEBUG=1: the statuses of each operation and principal, and the first refused input that was left valid. */
  const stats: Record<string, Record<string, number>> = {};
  const seen = new Set<string>();
  function debugRecord(key: string, op: Operation, input: Input, res: LightMyRequestResponse) {
    let code = String(res.statusCode);
    if (res.statusCode >= 400) {
      try {
        code += `:${String(res.json().error?.code)}`;
      } catch {
        code += ':not-json';
      }
    }
    stats[key] ??= {};
    stats[key][code] = (stats[key][code] ?? 0) + 1;
    if (input.changed === 'nothing' && res.statusCode === 400 && !seen.has(key)) {
      seen.add(key);
      console.log('refused although left valid:', key, describeInput(op, input), res.body.slice(0, 400));
    }
  }

  it('anonymous: no 5xx, every 4xx with a Vietnamese error body, no stack trace, nothing stored', async () => {
    expect(await fuzzAs('anonymous')).toEqual([]);
  }, 900_000);

  it('citizen: no 5xx, every 4xx with a Vietnamese error body, no stack trace, no stored garbage', async () => {
    expect(await fuzzAs('citizen')).toEqual([]);
  }, 900_000);

  /**
   * The two multipart uploads, by hand (files.test.ts and templates.test.ts already cover forged types such as an
   * executable named .pdf, the size limit, missing/empty/extra parts, a truncated body and the CSRF check).
   */
  describe('multipart uploads', () => {
    const FILE_URL = '/api/files';
    const templateUrl = () => `/api/procedures/1.001193/templates/${samples.componentCodes[0]}`;
    const boundary = 'tinhso-fuzz-boundary';
    const mp = (body: string | Buffer) => ({
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: typeof body === 'string' ? Buffer.from(body) : body,
    });
    const part = (name: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}\r\n` +
      (filename === undefined ? '' : 'Content-Type: application/pdf\r\n') +
      '\r\n';
    const stored = async () => ({
      files: await count('files'),
      templates: Number(
        (
          await t.ctx.database.db
            .selectFrom('procedure_templates')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    let address = 0;
    const post = (url: string, s: Session, headers: Record<string, string>, payload: string | Buffer) =>
      t.app.inject({
        method: url === FILE_URL ? 'POST' : 'PUT',
        url,
        headers: { ...s.headers, ...headers },
        payload,
        remoteAddress: `10.9.${address >> 8}.${address++ & 255}`,
      });

    it('answers wrong content types, an empty multipart body, 1,000 parts and 1,000 files with 4xx, storing nothing', async () => {
      await ensureSession('citizen');
      await ensureSession('admin');
      const before = await stored();
      const pdf = pdfBytes();
      for (const [url, s] of [
        [FILE_URL, sessions.citizen!],
        [templateUrl(), sessions.admin!],
      ] as const) {
        const cases: [string, Record<string, string>, string | Buffer][] = [
          ['text/plain', { 'content-type': 'text/plain' }, pdf],
          ['application/pdf', { 'content-type': 'application/pdf' }, pdf],
          ['form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }, 'file=%25PDF-1.4'],
          [
            'multipart/mixed',
            { 'content-type': `multipart/mixed; boundary=${boundary}` },
            `${part('file', 'a.pdf')}x\r\n--${boundary}--\r\n`,
          ],
          ['no boundary value', { 'content-type': 'multipart/form-data; boundary=' }, pdf],
          [
            'boundary of 200 chars',
            { 'content-type': `multipart/form-data; boundary=${'b'.repeat(200)}` },
            pdf,
          ],
          ['no body', { 'content-type': `multipart/form-data; boundary=${boundary}` }, ''],
          ['empty multipart', mp(`--${boundary}--\r\n`).headers, mp(`--${boundary}--\r\n`).payload],
          [
            '1,000 fields',
            mp('').headers,
            `${Array.from({ length: 1000 }, (_, i) => `${part(`f${i}`)}giá trị ${i}\r\n`).join('')}--${boundary}--\r\n`,
          ],
          [
            '1,000 files',
            mp('').headers,
            Buffer.concat([
              ...Array.from({ length: 1000 }, (_, i) =>
                Buffer.concat([Buffer.from(part('file', `tep-${i}.pdf`)), pdf, Buffer.from('\r\n')]),
              ),
              Buffer.from(`--${boundary}--\r\n`),
            ]),
          ],
          [
            'a part without a name',
            mp('').headers,
            `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${boundary}--\r\n`,
          ],
          [
            'headers only, never ended',
            mp('').headers,
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n`,
          ],
        ];
        for (const [label, headers, payload] of cases) {
          const res = await post(url, s, headers, payload);
          expect(res.statusCode, `${url} ${label}: ${res.body}`).toBeGreaterThanOrEqual(400);
          expect(() => checkResponse(res), `${url} ${label}`).not.toThrow();
        }
      }
      expect(await stored()).toEqual(before);
    });

    it('refuses a part of 11 MB (above the default 10 MB limit) with 413, storing nothing', async () => {
      await ensureSession('citizen');
      const before = await stored();
      const big = mp(
        Buffer.concat([
          Buffer.from(part('file', 'lon.pdf')),
          pdfBytes(11 * 1024 * 1024),
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      );
      const res = await post(FILE_URL, sessions.citizen!, big.headers, big.payload);
      expect(res.statusCode, res.body).toBe(413);
      expect(() => checkResponse(res)).not.toThrow();
      expect(await stored()).toEqual(before);
    });

    it('stores a valid PDF under any file name, cleaned: no path, control character, NUL or lone surrogate', async () => {
      await ensureSession('citizen');
      await ensureSession('admin');
      const clean = (name: unknown) =>
        typeof name === 'string' &&
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
        !/[\u0000-\u001f\u007f/\\]/.test(name) &&
        !LONE_SURROGATE.test(name) &&
        name.length <= 160 &&
        name.endsWith('.pdf');
      /** Uploads a PDF named `name` (escaped as browsers do in the part header); throws unless stored cleanly. */
      const uploadNamed = async (name: string, template: boolean) => {
        const escaped = name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
        const body = mp(
          Buffer.concat([
            Buffer.from(part('file', escaped)),
            pdfBytes(),
            Buffer.from(`\r\n--${boundary}--\r\n`),
          ]),
        );
        const res = template
          ? await post(templateUrl(), sessions.admin!, body.headers, body.payload)
          : await post(FILE_URL, sessions.citizen!, body.headers, body.payload);
        checkResponse(res);
        if (res.statusCode !== (template ? 200 : 201)) {
          throw new Error(
            `${JSON.stringify(name).slice(0, 200)}: ${res.statusCode} ${res.body.slice(0, 300)}`,
          );
        }
        const stored = res.json() as { id?: string; name: string };
        if (!clean(stored.name)) {
          throw new Error(
            `stored name ${JSON.stringify(stored.name)} for ${JSON.stringify(name).slice(0, 200)}`,
          );
        }
        const download = await t.app.inject({
          method: 'GET',
          url: stored.id ? `/api/files/${stored.id}` : templateUrl(),
          headers: { cookie: sessions.citizen!.cookie },
        });
        expect(download.statusCode).toBe(200);
        expect(String(download.headers['content-disposition'])).not.toMatch(/[\r\n]/);
      };
      for (const name of [
        '../../../etc/passwd',
        '..\\..\\windows\\system32\\x.pdf',
        'tờ khai\u0000.pdf',
        'đơn\r\nContent-Type: text/html\r\n\r\n<script>.pdf',
        'hoá đơn\u202Efdp.exe',
        '<img src=x onerror=alert(1)>.pdf',
        `${'ễ'.repeat(5000)}.pdf`,
        // Regression: the 150-character cut split the last emoji and the lone surrogate made the upload a 400.
        `a${'😀'.repeat(100)}.pdf`,
        '\ud800\udfff\ud800.pdf',
        'NUL.pdf',
        '.pdf',
        '',
        "' OR 1=1 --.pdf",
      ]) {
        await uploadNamed(name, false);
        await uploadNamed(name, true);
      }
      const details = await fc.check(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), uploadNamed),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect(details.failed ? String((details.errorInstance as Error | null)?.message) : null).toBeNull();
    });
  });

  it('province administrator: no 5xx, every 4xx with a Vietnamese error body, no stack trace', async () => {
    expect(await fuzzAs('admin')).toEqual([]);
  }, 900_000);

  it('stores no garbage: drafts and new dossiers pass the domain checks; no NUL or lone surrogate in any row', async () => {
    const db = t.ctx.database.db;
    const problems: string[] = [];
    for (const d of await db.selectFrom('drafts').selectAll().execute()) {
      if (!isProcedureCode(d.procedure_code)) problems.push(`draft with code ${d.procedure_code}`);
      if (JSON.stringify(d.data).length > DRAFT_MAX_BYTES)
        problems.push(`draft ${d.procedure_code} too large`);
      try {
        assertStorableDraft(d.data as Record<string, unknown>);
      } catch (e) {
        problems.push(`draft ${d.procedure_code}: ${(e as Error).message}`);
      }
    }
    const created = await db
      .selectFrom('dossiers as d')
      .innerJoin('procedure_versions as v', (j) =>
        j.onRef('v.procedure_id', '=', 'd.procedure_id').onRef('v.version', '=', 'd.procedure_version'),
      )
      .select(['d.id', 'd.code', 'd.form_data', 'd.applicant_name', 'v.definition'])
      .execute();
    for (const d of created.filter((x) => !initialDossierIds.has(x.id))) {
      const def = ProcedureDefinition.parse(d.definition);
      const issues = def.eform ? validateEform(def.eform, d.form_data) : [];
      if (issues.length > 0) problems.push(`dossier ${d.code}: ${JSON.stringify(issues)}`);
      if (d.applicant_name.trim().length < 2)
        problems.push(`dossier ${d.code}: applicant ${d.applicant_name}`);
    }
    const scans: [string, unknown[]][] = [
      [
        'dossiers',
        await db
          .selectFrom('dossiers')
          .select(['code', 'applicant_name', 'applicant_contact', 'form_data', 'state', 'delivery'])
          .execute(),
      ],
      ['drafts', await db.selectFrom('drafts').select(['procedure_code', 'data']).execute()],
      ['files', await db.selectFrom('files').select(['id', 'name', 'mime']).execute()],
      [
        'audit_log',
        await db.selectFrom('audit_log').select(['id', 'action', 'entity_id', 'ip', 'details']).execute(),
      ],
    ];
    for (const [table, rows] of scans) {
      for (const row of rows) {
        const g = garbageIn(row);
        if (g) problems.push(`${table}: ${g}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
