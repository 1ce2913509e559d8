import { stringify } from 'yaml';
import type { ActionDef } from './definitions.js';

/** Renders one action.yml from its definition (the committed files must equal this; a test checks). */
export function renderActionYml(a: ActionDef): string {
  const doc = {
    name: a.name,
    description: a.description,
    author: 'lm-env',
    branding: { icon: 'server', color: 'purple' },
    inputs: Object.fromEntries(
      a.inputs.map((i) => [
        i.name,
        {
          description:
            i.derived && i.derived !== 'required' && i.default === ''
              ? `${i.description} (default: ${i.derived})`
              : i.description,
          required: i.derived === 'required',
          ...(i.default !== '' ? { default: i.default } : {}),
        },
      ]),
    ),
    ...(a.outputs.length
      ? { outputs: Object.fromEntries(a.outputs.map((o) => [o.name, { description: o.description }])) }
      : {}),
    runs: { using: 'node24', main: a.main, ...(a.post ? { post: a.post, 'post-if': 'always()' } : {}) },
  };
  return `# Generated from src/actions/common/definitions.ts by scripts/gen-actions.mjs — edit there.\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Markdown tables of an action's inputs and outputs, for the README (between generated markers). */
export function renderActionTables(a: ActionDef): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const inputs = a.inputs.map((i) => {
    const dflt =
      i.derived === 'required' ? '**required**' : i.default !== '' ? `\`${i.default}\`` : (i.derived ?? '');
    return `| \`${i.name}\` | ${esc(i.description)} | ${esc(dflt)} |`;
  });
  const lines = ['| input | description | default |', '| --- | --- | --- |', ...inputs];
  if (a.outputs.length) {
    lines.push('', '| output | description |', '| --- | --- |');
    lines.push(...a.outputs.map((o) => `| \`${o.name}\` | ${esc(o.description)} |`));
  }
  return lines.join('\n');
}

/** Replaces each `<!-- BEGIN action:<dir> -->…<!-- END action:<dir> -->` block in the README. */
export function updateReadmeTables(readme: string, actions: ActionDef[]): string {
  let text = readme;
  for (const a of actions) {
    const begin = `<!-- BEGIN action:${a.dir} -->`;
    const end = `<!-- END action:${a.dir} -->`;
    const s = text.indexOf(begin);
    const e = text.indexOf(end);
    if (s < 0 || e < 0) continue;
    text = `${text.slice(0, s + begin.length)}\n${renderActionTables(a)}\n${text.slice(e)}`;
  }
  return text;
}
