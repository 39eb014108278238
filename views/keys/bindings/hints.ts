/** Keys of the Hints panel: apply a queue's scaling hint. */
import { hintApply } from '../../../src/control/actions/hints.js';
import { actionBinding, type Binding } from '../context/binding.js';

export const hintBindings: Binding[] = [
  actionBinding(hintApply, { keys: ['a'], scopes: ['hints'], footer: true }),
];
