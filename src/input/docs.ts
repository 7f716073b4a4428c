import * as z from 'zod';
import { FaultRuleSchema } from '../local/emulator/faults.ts';
import { FleetSchema } from '../local/fleet.ts';
import { ExecutionInputSchema } from './schema.ts';

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

/** Marks the generated table inside README.md. */
export const TABLE_START = '<!-- execution-input-fields:start -->';
export const TABLE_END = '<!-- execution-input-fields:end -->';

/** A table of README.md generated from a zod schema, between its two markers. */
export interface GeneratedTable {
  start: string;
  end: string;
  table: () => string;
}

/** Every table `npm run docs` writes: the execution input, the fleet file and the fault file (one rule). */
export const GENERATED_TABLES: readonly GeneratedTable[] = [
  { start: TABLE_START, end: TABLE_END, table: executionInputTable },
  { start: '<!-- fleet-fields:start -->', end: '<!-- fleet-fields:end -->', table: () => fieldTable(FleetSchema) },
  {
    start: '<!-- fault-rule-fields:start -->',
    end: '<!-- fault-rule-fields:end -->',
    table: () => fieldTable(FaultRuleSchema),
  },
];

/** The README's table of execution input fields, generated from the one zod schema. */
export function executionInputTable(): string {
  return fieldTable(ExecutionInputSchema);
}

/** A Markdown table of a schema's fields (nested objects and lists of objects as dotted paths, `list[].field`). */
export function fieldTable(schema: z.ZodType): string {
  const root = z.toJSONSchema(schema, { io: 'input' }) as JsonSchemaNode;
  const rows = ['| field | type | default | meaning |', '|---|---|---|---|'];
  const visit = (properties: Record<string, JsonSchemaNode>, prefix: string) => {
    for (const [name, node] of Object.entries(properties)) {
      const field = `${prefix}${name}`;
      if (node.properties) {
        visit(node.properties, `${field}.`);
        continue;
      }
      if (node.items?.properties) {
        rows.push(`| \`${field}\` | object[] | — | ${cell(node.description)} |`);
        visit(node.items.properties, `${field}[].`);
        continue;
      }
      rows.push(
        `| \`${field}\` | ${typeOf(node)} | ${node.default === undefined ? '—' : `\`${JSON.stringify(node.default)}\``} | ${cell(node.description)} |`,
      );
    }
  };
  visit(root.properties ?? {}, '');
  return rows.join('\n');
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|');
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'object');
  if (type === 'array') return `${node.items?.type ?? 'value'}[]`;
  // A named format (an ISO 8601 date-time) says more than the regular expression zod writes for it.
  if (node.format === 'date-time') return `${type} (ISO 8601 date-time with offset)`;
  if (node.pattern) return `${type} matching \`${node.pattern.replace(/\|/g, '\\|')}\``;
  const low = node.minimum ?? node.exclusiveMinimum;
  // zod writes the largest safe integer as the maximum of every integer: no limit worth printing.
  const high = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? `, ≤ ${node.maximum}` : '';
  const range = low === undefined ? '' : ` ${node.exclusiveMinimum === undefined ? '≥' : '>'} ${low}${high}`;
  return `${type}${range}`;
}
