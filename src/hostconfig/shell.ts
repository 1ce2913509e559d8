import type { RenderedFile } from './types.js';

/** Single-quotes a string for bash. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const EOF = 'LMENV_FILE_EOF';

/** Heredoc body for file content; throws if the content could end the heredoc early. */
function heredoc(content: string): string {
  if (!content.endsWith('\n')) throw new Error('rendered file content must end with a newline');
  if (content.split('\n').includes(EOF)) throw new Error(`rendered file content contains the line ${EOF}`);
  return `<<'${EOF}'\n${content}${EOF}`;
}

/** Bash that writes the file only if its content or mode differs; sets LMENV_CHANGED=1|0. */
export function writeFileSnippet(
  file: Pick<RenderedFile, 'path' | 'content' | 'mode'>,
  pathExpr?: string,
): string {
  return `lmenv_write_file ${pathExpr ?? shq(file.path)} ${file.mode} ${heredoc(file.content)}`;
}

/** Bash that writes one file and reports its item. */
export function writeFileStep(file: RenderedFile): string {
  return [writeFileSnippet(file), `lmenv_item_if "$LMENV_CHANGED" ${shq(file.item)} ${shq(file.path)}`].join(
    '\n',
  );
}
