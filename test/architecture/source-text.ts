import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

// What the architecture checks read: the repository's .ts files and the text of their string and
// template literals (comments are prose, not statements). A template's `${…}` parts read as
// `__expr__`, so a statement whose table is chosen at run time shows as a table no migration made.

export const ROOT = join(import.meta.dirname, '..', '..');

/** Every .ts file under `dir` (relative to the repository), skipping dependencies and dot-folders. */
export function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const path = join(abs, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

/** The top-level folders of the repository that hold .ts files (a new folder is checked too). */
export function sourceFolders(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name)
    .filter((d) => tsFiles(d).length > 0)
    .sort();
}

export interface Literal {
  file: string;
  line: number;
  text: string;
}

/** The string and template literals of a .ts file, each with the line it starts on. */
export function literalsOf(file: string): Literal[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(join(ROOT, file), 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const out: Literal[] = [];
  const add = (node: ts.Node, text: string) =>
    out.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text });
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) add(node, node.text);
    else if (ts.isTemplateExpression(node)) {
      add(node, [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('__expr__'));
      node.templateSpans.forEach((s) => {
        visit(s.expression);
      });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}
