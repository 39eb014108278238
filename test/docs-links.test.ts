import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The README is short and sends readers on to docs/; those pages link each other and name
// headings. A page or heading that moves must not leave a link pointing nowhere, and a docs
// page nobody links to is a page nobody finds.
const root = process.cwd();

/** README.md and every page of docs/, as repo-relative paths. */
function markdownFiles(): string[] {
  const pages = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', ...pages.sort().map((f) => `docs/${f}`)];
}

/** The text with fenced code blocks removed: a `[x](y)` or a `# line` in code is not Markdown. */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Targets of inline and reference links outside code, as written (`page.md#anchor`). */
function linkTargets(text: string): string[] {
  const prose = withoutFences(text).replace(/`[^`\n]*`/g, '');
  const inline = [...prose.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const reference = [...prose.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)];
  return [...inline, ...reference].map((m) => m[1]!);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every heading anchor of a Markdown text; repeated headings get -1, -2 as on GitHub. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of withoutFences(text).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Why a relative link from `file` is broken, or null when its file (and heading) exist. */
function brokenLink(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // http:, https:, mailto: are not files here
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = pathPart === '' ? file : path.normalize(path.join(path.dirname(file), pathPart));
  const full = path.join(root, resolved);
  if (!fs.existsSync(full)) return `${target}: no file ${resolved}`;
  if (anchor === undefined) return null;
  if (!resolved.endsWith('.md')) return `${target}: an anchor into a file that is not Markdown`;
  if (!anchors(fs.readFileSync(full, 'utf8')).has(decodeURIComponent(anchor))) {
    return `${target}: no heading #${anchor} in ${resolved}`;
  }
  return null;
}

describe('links in README.md and docs/', () => {
  it('reads links and anchors as GitHub does (the checker itself works)', () => {
    const text =
      '# Switching clusters: `:ctx`\n## Keys\n## Keys\nSee [a](docs/a.md#x), [b](#keys "t") and `[c](no.md)`.\n' +
      '```sh\n# not a heading [d](no.md)\n```\n[e]: ./e.md\n';
    expect(linkTargets(text)).toEqual(['docs/a.md#x', '#keys', './e.md']);
    expect([...anchors(text)]).toEqual(['switching-clusters-ctx', 'keys', 'keys-1']);
    expect(slug('`qtop check` for cron and Nagios/Icinga')).toBe('qtop-check-for-cron-and-nagiosicinga');
    expect(brokenLink('README.md', 'docs/no-such-page.md')).toMatch(/no file docs\/no-such-page\.md/);
    expect(brokenLink('README.md', '#no-such-heading')).toMatch(/no heading/);
  });

  for (const file of markdownFiles()) {
    it(`${file}: every relative link reaches a file and heading that exist`, () => {
      const targets = linkTargets(fs.readFileSync(path.join(root, file), 'utf8'));
      const broken = targets.map((t) => brokenLink(file, t)).filter((b) => b !== null);
      expect(broken).toEqual([]);
    });
  }

  it('the README links every docs page', () => {
    const linked = new Set(
      linkTargets(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).map((t) =>
        path.normalize(t.split('#')[0]!),
      ),
    );
    const unlinked = markdownFiles().filter((f) => f !== 'README.md' && !linked.has(f));
    expect(unlinked).toEqual([]);
  });
});
