const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** `<name>text</name>` with the text escaped; nothing when the value is `undefined`. */
export function xmlText(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)}</${name}>`;
}

/** `<name>children</name>`; the children are already XML. */
export function xmlElement(name: string, ...children: readonly string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}
