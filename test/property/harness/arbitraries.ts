/** Arbitraries shared by the properties: profiles, and the commands of the model-based test. */
import fc from 'fast-check';
import { AbortCommand } from '../commands/AbortCommand.js';
import { AcceptCommand } from '../commands/AcceptCommand.js';
import { AdvanceClockCommand } from '../commands/AdvanceClockCommand.js';
import { CloseCommand } from '../commands/CloseCommand.js';
import { CLOSED_PORT, ConnectCommand } from '../commands/ConnectCommand.js';
import { DeliverCommand } from '../commands/DeliverCommand.js';
import { DropCommand } from '../commands/DropCommand.js';
import { DuplicateCommand } from '../commands/DuplicateCommand.js';
import { ReadCommand } from '../commands/ReadCommand.js';
import { ShutdownCommand } from '../commands/ShutdownCommand.js';
import { WriteCommand } from '../commands/WriteCommand.js';
import type { ProfileChoice, Side, TcpPair } from './tcpPair.js';
import type { TcpModel } from './tcpModel.js';

/** A base profile with random graph-shaping overrides, so every compiled table gets exercised. */
export const profileChoiceArb: fc.Arbitrary<ProfileChoice> = fc.record({
  base: fc.constantFrom('linux' as const, 'rfc9293' as const),
  overrides: fc.oneof(
    // half the runs: a built-in profile as shipped
    fc.constant({}),
    fc.record(
      {
        rstOnUnreadClose: fc.boolean(),
        rstEndsTimeWait: fc.boolean(),
        finTimeout: fc.constantFrom(null, 5_000_000, 60_000_000),
      },
      { requiredKeys: [] },
    ),
  ),
});

const sideArb: fc.Arbitrary<Side> = fc.constantFrom('client', 'server');
/** Mostly the oldest segment; sometimes a later one (reordering). */
const pickArb = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(6) });
/** Around the interesting timers: RTOs, 1 s SYN RTO, tcp_fin_timeout, TIME_WAIT. */
const advanceArb = fc.oneof(
  fc.constantFrom(200_000, 1_000_000, 5_000_000, 60_000_000, 240_000_000),
  fc.integer({ min: 1, max: 130_000_000 }),
);
const readAmountArb = fc.oneof(
  fc.constant({ kind: 'line' as const }),
  fc.constant({ kind: 'eof' as const }),
  fc.integer({ min: 1, max: 8 }).map((count) => ({ kind: 'bytes' as const, count })),
);

/** Every command of the model-based property, weighted towards network activity. */
export const commandArbs: Array<fc.Arbitrary<fc.Command<TcpModel, TcpPair>>> = [
  fc.constant(new ConnectCommand()),
  fc.constant(new ConnectCommand()),
  fc.constant(new ConnectCommand(CLOSED_PORT)),
  fc.constant(new AcceptCommand()),
  fc.constant(new AcceptCommand()),
  sideArb.map((side) => new CloseCommand(side)),
  sideArb.map((side) => new ShutdownCommand(side)),
  fc.tuple(sideArb, fc.constantFrom('hello\n', 'x', 'bye\n', 'abc')).map(([side, data]) => new WriteCommand(side, data)),
  fc.tuple(sideArb, readAmountArb).map(([side, amount]) => new ReadCommand(side, amount)),
  sideArb.map((side) => new ShutdownCommand(side)),
  sideArb.map((side) => new CloseCommand(side)),
  sideArb.map((side) => new AbortCommand(side)),
  pickArb.map((pick) => new DeliverCommand(pick)),
  pickArb.map((pick) => new DeliverCommand(pick)),
  pickArb.map((pick) => new DeliverCommand(pick)),
  pickArb.map((pick) => new DropCommand(pick)),
  pickArb.map((pick) => new DuplicateCommand(pick)),
  pickArb.map((pick) => new DuplicateCommand(pick)),
  advanceArb.map((micros) => new AdvanceClockCommand(micros)),
];
