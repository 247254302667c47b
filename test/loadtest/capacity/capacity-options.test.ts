import { describe, expect, it } from 'vitest';
import { parseCapacityOptions } from '../../../loadtest/src/capacity/options.js';

describe('npm run capacity: its choices', () => {
  it('takes --api-gateway in any case', () => {
    const result = parseCapacityOptions({ 'api-gateway': 'HTTP' });
    expect(result.ok && result.options.overrides.apiGateway).toBe('http');
  });

  it('names the flag and the accepted values otherwise', () => {
    const result = parseCapacityOptions({ 'api-gateway': 'graphql' });
    expect(result.ok ? [] : result.problems).toEqual(['--api-gateway: must be one of rest, http']);
  });
});
