import type { Noble, NobleBindings } from './libs.js';

/**
 * noble keeps every address it ever saw in `_peripherals` (+ services, characteristics,
 * descriptors), `_discoveredPeripheralUUids`, the bindings' `_addresses`/`_addresseTypes`/
 * `_connectable`/`scannable` and the gap's `_discoveries`, and never evicts them (noble/noble#636,
 * abandonware/noble#109). With rotating addresses that is a leak, so these maps are emptied,
 * except for peripherals the relay is connecting or connected to (noble needs their entries).
 * Returns how many peripherals were dropped.
 */
export function clearNobleMaps(noble: Noble, bindings: NobleBindings): number {
  const keep = Object.entries(noble._peripherals as Record<string, { state?: string }>)
    .filter(([, p]) => p.state !== undefined && p.state !== 'disconnected' && p.state !== 'error')
    .map(([uuid]) => uuid);
  const dropped = Object.keys(bindings._gap._discoveries).length;
  const pick = <T>(map: Record<string, T>): Record<string, T> => Object.fromEntries(keep.filter((k) => k in map).map((k) => [k, map[k]!]));
  noble._peripherals = pick(noble._peripherals);
  noble._services = pick(noble._services);
  noble._characteristics = pick(noble._characteristics);
  noble._descriptors = pick(noble._descriptors);
  noble._discoveredPeripheralUUids = pick(noble._discoveredPeripheralUUids);
  bindings._addresses = pick(bindings._addresses);
  bindings._addresseTypes = pick(bindings._addresseTypes);
  bindings._connectable = pick(bindings._connectable);
  bindings.scannable = pick(bindings.scannable);
  bindings._gap._discoveries = {};
  return dropped;
}

export function nobleMapSizes(noble: Noble, bindings: NobleBindings) {
  return {
    peripherals: Object.keys(noble._peripherals).length,
    discoveries: Object.keys(bindings._gap._discoveries).length,
    addresses: Object.keys(bindings._addresses).length,
  };
}
