/**
 * The footer: the keys of this view, generated from the keymap (never typed by hand), without
 * control keys when qtop may not write.
 */

import { useScreen } from '../hooks/store-context.js';
import { displayKey } from '../keys/key-names.js';
import { activeScopes, type Binding, visibleBindings } from '../keys/keymap.js';
import type { Segment } from '../present/segment.js';
import type { Scope } from '../state/current-view.js';
import { SegmentLine } from '../widgets/SegmentLine.js';

/** The bindings the footer shows for `viewScope` (and the open modal's scope, which replaces it). */
export function footerBindings(
  viewScope: Scope,
  modal: Scope | null,
  canWrite: boolean,
  replaying = false,
): Binding[] {
  const shown: Binding[] = [];
  for (const scope of activeScopes(viewScope, modal, replaying)) {
    for (const b of visibleBindings([scope], canWrite)) if (b.footer && !shown.includes(b)) shown.push(b);
  }
  return shown;
}

/** One footer hint: the binding's first key, then its label. */
export function footerHint(b: Binding, ascii: boolean): [Segment, Segment] {
  return [{ text: displayKey(b.keys[0]!, ascii), bold: true, tone: 'accent' }, { text: ` ${b.label}  ` }];
}

/** Footer hints for `viewScope` (and the open modal's scope, which replaces it). */
export function footerSegments(
  viewScope: Scope,
  modal: Scope | null,
  canWrite: boolean,
  ascii: boolean,
  replaying = false,
): Segment[] {
  return footerBindings(viewScope, modal, canWrite, replaying).flatMap((b) => footerHint(b, ascii));
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
