import { embeddedWorldBackend } from '../../support/tracing-world.js';
import { describeTracingOrder } from './tracing-order.scenario.js';

describeTracingOrder('the embedded store', (clock, env, channel) => embeddedWorldBackend(clock, env, { channel }));
