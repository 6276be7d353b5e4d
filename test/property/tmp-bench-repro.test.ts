import { it } from 'vitest';
import { neverClosingLibuvLaw } from './harness/laws.js';
it('repro', () => {
  const ce = {"seed":1,"nofile":16,"baselineFds":3,"acceptPolicy":"libuv","backlog":1,"acceptRetry":null,"server":{"kind":"never-closes"},"clients":[{"connections":12,"start":0,"ramp":0,"hold":0},{"connections":1,"start":0,"ramp":0,"hold":0}],"until":0};
  neverClosingLibuvLaw(ce as never);
});
