/**
 * The footer: the keys of this view, generated from the keymap (never typed by hand), without
 * control keys when qtop may not write.
 */

import { useScreen } from '../hooks/store-context.js';
import { displayKey } from '../keys/key-names.js';
import { activeScopes, visibleBindings } from '../keys/keymap.js';
import type { Segment } from '../present/segment.js';
import type { Scope } from '../state/current-view.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

/** Footer hints for `viewScope` (and the open modal's scope, which replaces it). */
export function footerSegments(
  viewScope: Scope,
  modal: Scope | null,
  canWrite: boolean,
  ascii: boolean,
  replaying = false,
): Segment[] {
  const scopes = activeScopes(viewScope, modal, replaying);
  const segments: Segment[] = [];
  const shown = new Set<string>();
  for (const scope of scopes) {
    for (const b of visibleBindings([scope], canWrite)) {
      if (!b.footer || shown.has(b.id)) continue;
      shown.add(b.id);
      segments.push(
        { text: displayKey(b.keys[0]!, ascii), bold: true, tone: 'accent' },
        { text: ` ${b.label}  ` },
      );
    }
  }
  return segments;
}

/** One line of key hints. */
export function Footer(props: { width: number; scope: Scope; modal: Scope | null }) {
  const { controls, theme, replay } = useScreen();
  return (
    <SegmentLine
      segments={footerSegments(
        props.scope,
        props.modal,
        controls.canWrite,
        theme.ascii,
        replay !== undefined,
      )}
      width={props.width}
    />
  );
}
