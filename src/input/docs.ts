import * as z from 'zod';
import { ExecutionInputSchema } from './schema.ts';

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}

/** Marks the generated table inside README.md. */
export const TABLE_START = '<!-- execution-input-fields:start -->';
export const TABLE_END = '<!-- execution-input-fields:end -->';

/** The README's table of execution input fields, generated from the one zod schema. */
export function executionInputTable(): string {
  const root = z.toJSONSchema(ExecutionInputSchema, { io: 'input' }) as JsonSchemaNode;
  const rows = ['| field | type | default | meaning |', '|---|---|---|---|'];
  const visit = (properties: Record<string, JsonSchemaNode>, prefix: string) => {
    for (const [name, node] of Object.entries(properties)) {
      const field = `${prefix}${name}`;
      if (node.properties) {
        visit(node.properties, `${field}.`);
        continue;
      }
      rows.push(
        `| \`${field}\` | ${typeOf(node)} | ${node.default === undefined ? '—' : `\`${JSON.stringify(node.default)}\``} | ${(node.description ?? '').replace(/\|/g, '\\|')} |`,
      );
    }
  };
  visit(root.properties ?? {}, '');
  return rows.join('\n');
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'object');
  if (type === 'array') return `${node.items?.type ?? 'value'}[]`;
  const low = node.minimum ?? node.exclusiveMinimum;
  // zod writes the largest safe integer as the maximum of every integer: no limit worth printing.
  const high = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? `, ≤ ${node.maximum}` : '';
  const range = low === undefined ? '' : ` ${node.exclusiveMinimum === undefined ? '≥' : '>'} ${low}${high}`;
  return `${type}${range}`;
}
