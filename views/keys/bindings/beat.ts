/** Keys of the Beat panel: run a RedBeat entry now, enable or disable it. */
import { beatRunNow, beatToggle } from '../../../src/control/actions/beat.js';
import { actionBinding, type Binding } from '../context/binding.js';

export const beatBindings: Binding[] = [
  actionBinding(beatRunNow, { keys: ['N'], scopes: ['beat'], footer: true }),
  actionBinding(beatToggle, { keys: ['D'], scopes: ['beat'], footer: true }),
];
