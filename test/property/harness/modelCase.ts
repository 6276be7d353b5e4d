/** One run of the model-based property, shared by the property and its kept counterexamples. */
import fc from 'fast-check';
import { checkDrain, type DrainMode } from './drain.js';
import { establish } from './establish.js';
import { checkInvariants } from './invariants.js';
import { createTcpPair, profileOf, type ProfileChoice, type TcpPair } from './tcpPair.js';
import { createTcpModel, type TcpModel } from './tcpModel.js';

/** One run: set up the pair (connected first when `startEstablished`), run the commands, drain. */
export function runModelCase(
  choice: ProfileChoice,
  seed: number,
  commands: Iterable<fc.Command<TcpModel, TcpPair>>,
  drainMode: DrainMode,
  startEstablished: boolean,
): void {
  const setup = () => {
    const real = createTcpPair(profileOf(choice), seed);
    const model = createTcpModel();
    checkInvariants(model, real);
    if (startEstablished) establish(model, real);
    return { model, real };
  };
  let last: ReturnType<typeof setup> | undefined;
  fc.modelRun(() => (last = setup()), commands);
  if (!last) throw new Error('modelRun did not call setup');
  checkDrain(last.real.world, drainMode);
  checkInvariants(last.model, last.real);
}

