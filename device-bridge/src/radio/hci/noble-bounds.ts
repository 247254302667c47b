import type { Noble, NobleBindings } from './libs.js';

/**
 * noble keeps every address it ever saw in `_peripherals` (+ services, characteristics,
 * descriptors), `_discoveredPeripheralUUids`, the bindings' `_addresses`/`_addresseTypes`/
 * `_connectable`/`scannable` and the gap's `_discoveries`, and never evicts them (noble/noble#636,
 * abandonware/noble#109). With rotating addresses that is a leak. The bridge never connects, so
 * these maps can simply be emptied. Returns how many peripherals were dropped.
 */
export function clearNobleMaps(noble: Noble, bindings: NobleBindings): number {
  const dropped = Object.keys(bindings._gap._discoveries).length;
  noble._peripherals = {};
  noble._services = {};
  noble._characteristics = {};
  noble._descriptors = {};
  noble._discoveredPeripheralUUids = {};
  bindings._addresses = {};
  bindings._addresseTypes = {};
  bindings._connectable = {};
  bindings.scannable = {};
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
